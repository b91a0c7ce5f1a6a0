import { mkdir } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { isLoopbackHost } from '../../contracts/secure-url.js';
import { pairingCodeText } from '../../contracts/terminal-api.js';
import { DEFAULT_CONFIG_DIR, loadSettings } from '../config/load.js';
import type { Settings } from '../config/schema.js';
import { terminalCertificate } from '../terminal/terminal-certificate.js';
import { openTerminalDb, TERMINAL_DB_FILE, type TerminalDb } from '../terminal/terminal-db.js';

export const posUsage = `vipps-kiosk pos pair|list|unpair [--config-dir DIR]
  pair [--label NAME] [--url URL]
             pair a store POS with this kiosk's terminal API (attended mode): mints its token and prints it
             as text and as a QR, with the terminal's URL and the SHA-256 fingerprint of its certificate
             for the POS to pin. The token is shown once; the kiosk keeps only its hash. --url: the
             address the POS reaches the kiosk at (default: this machine's first LAN address)
  list       the paired POS systems: id, label, when paired
  unpair ID  the POS with this id can no longer call the terminal`;

export async function posCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    'config-dir': { type: 'string' },
    label: { type: 'string' },
    url: { type: 'string' },
  });
  const [action, ...rest] = positionals;
  const dir = values['config-dir'] ?? DEFAULT_CONFIG_DIR;
  const settings = await loadSettings({
    configPath: join(dir, 'config.json'),
    secretsPath: join(dir, 'secrets.json'),
  });
  await mkdir(settings.stateDir, { recursive: true });
  const db = openTerminalDb(join(settings.stateDir, TERMINAL_DB_FILE), Date.now);
  try {
    if (action === 'pair') await pair(settings, db, values.label ?? 'POS', values.url);
    else if (action === 'list') list(db);
    else if (action === 'unpair') unpair(db, rest[0]);
    else throw new UsageError(`unknown pos action "${action ?? ''}"`);
  } finally {
    db.close();
  }
}

async function pair(settings: Settings, db: TerminalDb, label: string, url: string | undefined) {
  const { host, port } = settings.terminal;
  const plain = isLoopbackHost(host);
  // The certificate is made at the first pairing; the daemon serves the same one.
  const fingerprint = plain
    ? null
    : (await terminalCertificate(settings.stateDir, settings.device.id)).fingerprint;
  const address = url ?? `${plain ? 'http' : 'https'}://${plain ? '127.0.0.1' : lanAddress(host)}:${port}`;
  const { pairing, token } = db.pairings.pair(label);
  const code = pairingCodeText({ url: address, fingerprint, token });
  process.stdout.write(
    [
      await QRCode.toString(code, { type: 'utf8', errorCorrectionLevel: 'M' }),
      `Paired ${pairing.posId} (${label}) with the terminal of ${settings.device.id}.`,
      `  URL          ${address}/terminal/v1`,
      fingerprint === null
        ? '  TLS          none (plain HTTP on 127.0.0.1)'
        : `  certificate  sha256 ${fingerprint} (pin it)`,
      `  token        ${token} (shown once: send it as "Authorization: Bearer <token>")`,
      settings.mode === 'attended'
        ? ''
        : 'Note: this kiosk is in self-service mode; set "mode": "attended" for the terminal API to run.',
      'Code (for the POS to scan or paste):',
      code,
      '',
    ].join('\n'),
  );
}

function list(db: TerminalDb): void {
  const pairings = db.pairings.list();
  if (pairings.length === 0) {
    process.stdout.write('No POS is paired with this kiosk.\n');
    return;
  }
  for (const pairing of pairings) {
    process.stdout.write(`${pairing.posId}  ${new Date(pairing.pairedAt).toISOString()}  ${pairing.label}\n`);
  }
}

function unpair(db: TerminalDb, posId: string | undefined): void {
  if (posId === undefined) throw new UsageError('expected the id of the POS to unpair (see `pos list`)');
  if (!db.pairings.unpair(posId)) throw new UsageError(`no paired POS ${posId} (see \`pos list\`)`);
  process.stdout.write(`Unpaired ${posId}: its token no longer opens the terminal.\n`);
}

/** The address a POS on the store's LAN reaches the kiosk at: the configured host, or the first LAN IPv4. */
function lanAddress(host: string): string {
  if (host !== '0.0.0.0') return host;
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((address) => address !== undefined && address.family === 'IPv4' && !address.internal);
  return lan?.address ?? '127.0.0.1';
}
