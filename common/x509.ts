// @peculiar/x509 v2 resolves its algorithms with tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// @peculiar/x509 ready for node, with node's webcrypto as its crypto. HQ's fleet CA and the kiosk's
// enrolment (CSR) both use it from here.

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
