import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseCommandArgs, portOption, UsageError } from '../../common/cli/args.js';
import { untilSignal } from '../../common/cli/signals.js';
import { createLogger } from '../../common/log/logger.js';
import { ENROL_PATH } from '../../contracts/enrolment.js';
import { EnrolService } from '../enrolment/enrol-service.js';
import {
  CA_CERT_FILE,
  CA_KEY_FILE,
  CLIENT_CERT_DAYS,
  createFleetCa,
  loadFleetCa,
} from '../enrolment/fleet-ca.js';
import { EnrolmentTokenStore } from '../enrolment/token-store.js';
import { required } from './enrol-keygen.js';

export const hqEnrolServeUsage = `vipps-kiosk hq ca-init --out DIR
  Makes HQ's fleet CA: DIR/${CA_KEY_FILE} (ECDSA P-256, 0600, stays at HQ) and DIR/${CA_CERT_FILE} (the
  broker's cafile for client certificates: require_certificate true, use_identity_as_username true).
vipps-kiosk hq enrol-serve --ca DIR --tokens FILE --tls-cert FILE --tls-key FILE [--port N] [--host ADDR]
                           [--broker-ca FILE]
  HQ's enrolment service, HTTPS: a kiosk being provisioned sends POST ${ENROL_PATH} with the one-time
  token of its enrolment code and a CSR for a key it made itself; a live token minted for that kiosk's
  client id (vk-SITE-DEVICE) is spent and the answer is a client certificate from the fleet CA (CN =
  client id, clientAuth, ${CLIENT_CERT_DAYS} days). Unknown, used or expired tokens and a CSR for another
  identity are refused (4xx, JSON). --tls-cert is what hq enrol-qr --service-cert fingerprints; it may be
  self-signed (the kiosks pin it). --broker-ca is the CA that signed the broker's certificate, handed
  to the kiosks; without it they verify the broker with the system's CAs. Defaults: port 8444, host
  127.0.0.1 (put it behind the firewall rule the kiosks' network needs, or give --host 0.0.0.0).`;

export async function hqEnrolServeCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    out: { type: 'string' },
    ca: { type: 'string' },
    tokens: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'broker-ca': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
  });
  if (positionals[0] === 'ca-init') {
    const dir = required(values.out, '--out DIR');
    const { keyFile, certFile } = await createFleetCa(dir, new Date()).catch((error: Error) => {
      throw new UsageError(error.message);
    });
    process.stdout.write(
      `${keyFile} (0600, keep at HQ) and ${certFile} (the broker's client cafile) written\n`,
    );
    return;
  }
  const ca = await loadFleetCa(required(values.ca, '--ca DIR (from hq ca-init)'));
  const tokens = await EnrolmentTokenStore.open(
    required(values.tokens, '--tokens FILE (hq enrol-qr writes it)'),
  );
  const certFile = required(values['tls-cert'], "--tls-cert FILE (this service's certificate)");
  const cert = await readFile(certFile);
  const key = await readFile(required(values['tls-key'], "--tls-key FILE (this service's key)"));
  const brokerCa =
    values['broker-ca'] === undefined ? undefined : await readFile(values['broker-ca'], 'utf8');
  const service = new EnrolService({
    ca,
    tokens,
    tls: { cert, key },
    brokerCa,
    logger: createLogger({ level: 'info', journal: false }, 'enrol-serve'),
  });
  try {
    const url = await service.listen(portOption(values.port, 'port', 8444), values.host ?? '127.0.0.1');
    const fingerprint = new X509Certificate(cert).fingerprint256.replace(/:/g, '').toLowerCase();
    process.stdout.write(
      [
        `enrolment service listening on ${url}${ENROL_PATH}`,
        `  certificate sha256 ${fingerprint} (${certFile}: give it to hq enrol-qr --service-cert)`,
        `  fleet CA           ${ca.certificate.subject}`,
        `  broker CA          ${brokerCa ? values['broker-ca'] : "none: kiosks use the system's CAs"}`,
        '',
      ].join('\n'),
    );
    await untilSignal();
  } finally {
    await service.close();
    tokens.close();
  }
}
