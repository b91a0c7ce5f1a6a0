import './reflect-metadata.js';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// @peculiar/x509 ready for node: its Reflect needs met first (./reflect-metadata.ts), node's webcrypto
// as its crypto. HQ's fleet CA and the kiosk's enrolment (CSR) both use it from here.

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
