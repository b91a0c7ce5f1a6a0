import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import {
  ENROLMENT_FIELDS,
  MAX_ENROLMENT_TTL_MINUTES,
  newEnrolmentToken,
  signEnrolment,
} from '../../contracts/enrolment.js';
import { clientIdFor } from '../../contracts/topics.js';
import { EnrolmentTokenStore } from '../enrolment/token-store.js';

export const hqEnrolUsage = `vipps-kiosk hq enrol-keygen --out DIR
  Makes HQ's enrolment key pair: DIR/hq-enrol.key (private, 0600, stays at HQ) and DIR/hq-enrol.pub
  (goes on every kiosk as /etc/vipps-kiosk/hq-enrol.pub: install.sh --hq-key FILE).
vipps-kiosk hq enrol-qr --key FILE --tokens FILE --site SITE --device ID --broker URL
                        --service URL --service-cert FILE [--label TEXT] [--ttl-minutes N] [--svg FILE]
  Prints a signed enrolment QR for one kiosk: site, device id, broker URL, HQ's enrolment service
  (--service, https://, and the SHA-256 fingerprint of its certificate --service-cert, which the kiosk
  pins) and a one-time token, recorded (hashed) in the token file that hq enrol-serve reads. The kiosk
  spends the token once for a client certificate whose identity is vk-SITE-DEVICE; the code holds no
  broker password and is worthless once used or after --ttl-minutes (default 60, at most
  ${MAX_ENROLMENT_TTL_MINUTES}). --svg writes the QR as an SVG file, mode 0600.`;

const DEFAULT_TTL_MINUTES = 60;

export async function hqEnrolCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    out: { type: 'string' },
    key: { type: 'string' },
    tokens: { type: 'string' },
    site: { type: 'string' },
    device: { type: 'string' },
    broker: { type: 'string' },
    service: { type: 'string' },
    'service-cert': { type: 'string' },
    label: { type: 'string' },
    'ttl-minutes': { type: 'string' },
    svg: { type: 'string' },
  });
  if (positionals[0] === 'enrol-keygen') return keygen(values.out);
  const key = required(values.key, "--key FILE (HQ's private enrolment key, from hq enrol-keygen)");
  const tokensFile = required(values.tokens, '--tokens FILE (the token file hq enrol-serve reads)');
  const site = checked('site', required(values.site, '--site SITE'), '--site');
  const deviceId = checked('deviceId', required(values.device, '--device ID'), '--device');
  const brokerUrl = checked('brokerUrl', required(values.broker, '--broker URL'), '--broker');
  const serviceUrl = checked('serviceUrl', required(values.service, '--service URL'), '--service');
  const serviceFingerprint = fingerprintOf(
    required(values['service-cert'], "--service-cert FILE (hq enrol-serve's --tls-cert)"),
  );
  const label = values.label === undefined ? undefined : checked('label', values.label, '--label');
  const ttl = Number(values['ttl-minutes'] ?? DEFAULT_TTL_MINUTES);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_ENROLMENT_TTL_MINUTES) {
    throw new UsageError(`--ttl-minutes must be a whole number of minutes, 1–${MAX_ENROLMENT_TTL_MINUTES}`);
  }
  const now = new Date();
  const token = newEnrolmentToken();
  const expiresAt = new Date(now.getTime() + ttl * 60_000);
  const code = signEnrolment(
    { site, deviceId, label, brokerUrl, serviceUrl, serviceFingerprint, token, expiresAt },
    createPrivateKey(readFileSync(key)),
  );
  const clientId = clientIdFor(site, deviceId);
  const tokens = await EnrolmentTokenStore.open(tokensFile);
  try {
    tokens.mint(token, clientId, expiresAt, now);
  } finally {
    tokens.close();
  }
  if (values.svg)
    await writePrivately(values.svg, await QRCode.toString(code, { type: 'svg', errorCorrectionLevel: 'M' }));
  process.stdout.write(
    [
      await QRCode.toString(code, { type: 'utf8', errorCorrectionLevel: 'M' }),
      `Enrolment of ${site}/${deviceId}${label ? ` (${label})` : ''} as ${clientId}, broker ${brokerUrl}, ` +
        `enrolment service ${serviceUrl}, valid once until ${expiresAt.toISOString()}`,
      values.svg ? `QR also written to ${values.svg} (0600)` : '',
      'Code (for typing or pasting at the kiosk):',
      code,
      '',
    ].join('\n'),
  );
}

/** Made (or truncated) with mode 0600 before the code is in it: a QR is a one-time key to the fleet. */
async function writePrivately(path: string, content: string): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

function fingerprintOf(file: string): string {
  try {
    return new X509Certificate(readFileSync(file)).fingerprint256.replace(/:/g, '').toLowerCase();
  } catch (error) {
    throw new UsageError(
      `--service-cert ${file}: not a readable PEM certificate (${(error as Error).message})`,
    );
  }
}

function keygen(out: string | undefined): void {
  const dir = required(out, '--out DIR');
  const privatePath = join(dir, 'hq-enrol.key');
  if (existsSync(privatePath)) {
    throw new UsageError(`${privatePath} exists; replacing it would invalidate every code printed with it`);
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(join(dir, 'hq-enrol.pub'), publicKey.export({ type: 'spki', format: 'pem' }), {
    mode: 0o644,
  });
  process.stdout.write(
    `${privatePath} (keep at HQ) and ${join(dir, 'hq-enrol.pub')} (for the kiosks) written\n`,
  );
}

export function required(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new UsageError(`${what} is required`);
  return value;
}

/** Refused here rather than at the kiosk: a code the kiosk's configuration would reject helps nobody. */
function checked(field: keyof typeof ENROLMENT_FIELDS, value: string, flag: string): string {
  const result = ENROLMENT_FIELDS[field].safeParse(value);
  if (!result.success)
    throw new UsageError(
      `${flag} "${value}" is not valid; ${result.error.issues[0]?.message ?? 'not valid'}`,
    );
  return value;
}
