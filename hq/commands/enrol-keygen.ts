import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { ENROLMENT_FIELDS, newEnrolmentToken, signEnrolment } from '../../contracts/enrolment.js';

export const hqEnrolUsage = `vipps-kiosk hq enrol-keygen --out DIR
  Makes HQ's enrolment key pair: DIR/hq-enrol.key (private, 0600, stays at HQ) and DIR/hq-enrol.pub
  (goes on every kiosk as /etc/vipps-kiosk/hq-enrol.pub: install.sh --hq-key FILE).
vipps-kiosk hq enrol-qr --key FILE --site SITE --device ID --broker URL [--label TEXT] [--ttl-minutes N]
                        [--svg FILE] [--mosquitto-passwd FILE]
  Prints a signed enrolment QR (site, device id, broker URL, the kiosk's broker login: its device id
  and a token minted for it) valid for --ttl-minutes (default 60). The tech scans it at the kiosk's
  first provisioning question. --mosquitto-passwd adds that login to a Mosquitto password file (then
  reload the broker: systemctl reload mosquitto); other brokers: add the user as the QR's note says.
  The QR carries a broker password: print it for the visit, and shred it after.`;

const MAX_TTL_MINUTES = 7 * 24 * 60;

export async function hqEnrolCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    out: { type: 'string' },
    key: { type: 'string' },
    site: { type: 'string' },
    device: { type: 'string' },
    broker: { type: 'string' },
    label: { type: 'string' },
    'ttl-minutes': { type: 'string' },
    svg: { type: 'string' },
    'mosquitto-passwd': { type: 'string' },
  });
  if (positionals[0] === 'enrol-keygen') return keygen(values.out);
  const key = required(values.key, "--key FILE (HQ's private enrolment key, from hq enrol-keygen)");
  const site = checked('site', required(values.site, '--site SITE'), '--site');
  const deviceId = checked('deviceId', required(values.device, '--device ID'), '--device');
  const brokerUrl = checked('brokerUrl', required(values.broker, '--broker URL'), '--broker');
  const label = values.label === undefined ? undefined : checked('label', values.label, '--label');
  const ttl = Number(values['ttl-minutes'] ?? 60);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_MINUTES) {
    throw new UsageError(`--ttl-minutes must be a whole number of minutes, 1–${MAX_TTL_MINUTES}`);
  }
  const token = newEnrolmentToken();
  const expiresAt = new Date(Date.now() + ttl * 60_000);
  const code = signEnrolment(
    { site, deviceId, label, brokerUrl, brokerUsername: deviceId, token, expiresAt },
    createPrivateKey(readFileSync(key)),
  );
  if (values['mosquitto-passwd']) {
    execFileSync('mosquitto_passwd', ['-b', values['mosquitto-passwd'], deviceId, token], { stdio: 'pipe' });
  }
  if (values.svg)
    writeFileSync(values.svg, await QRCode.toString(code, { type: 'svg', errorCorrectionLevel: 'M' }));
  process.stdout.write(
    [
      await QRCode.toString(code, { type: 'utf8', errorCorrectionLevel: 'M' }),
      `Enrolment of ${site}/${deviceId}${label ? ` (${label})` : ''}, broker ${brokerUrl}, valid until ${expiresAt.toISOString()}`,
      values['mosquitto-passwd']
        ? `Broker login "${deviceId}" added to ${values['mosquitto-passwd']}; reload the broker.`
        : `The broker must accept the login "${deviceId}" with the token in the code (--mosquitto-passwd does it for Mosquitto).`,
      values.svg ? `QR also written to ${values.svg}` : '',
      'Code (for typing or pasting at the kiosk):',
      code,
      '',
    ].join('\n'),
  );
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

function required(value: string | undefined, what: string): string {
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
