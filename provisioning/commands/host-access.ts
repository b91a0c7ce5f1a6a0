import { execFileSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseCommandArgs } from '../../common/cli/args.js';
import { DEFAULT_CONFIG_DIR, loadSettings } from '../../device/config/load.js';
import { DROP_IN_PATH, hostAccess, hostAccessDropIn } from '../host-access.js';

export const hostAccessUsage = `vipps-kiosk host-access [--config-dir DIR] [--apply]
  Works out from the configuration which addresses the payment daemon may reach (Vipps, HQ's broker,
  the CRM, the DNS servers; in attended mode the store-LAN addresses its POS may call from, from
  terminal.allowFrom) and which LED directories under /sys it may write, and prints the
  systemd drop-in that allows exactly those. --apply (root) writes it to
  ${DROP_IN_PATH} and reloads systemd, which
  applies the addresses to a running daemon at once (vipps-kiosk-host-access.timer does this hourly).`;

/** Reads a file that may not be there yet; "" then. */
function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export async function hostAccessCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    'config-dir': { type: 'string' },
    apply: { type: 'boolean' },
  });
  const dir = values['config-dir'] ?? DEFAULT_CONFIG_DIR;
  const settings = await loadSettings({
    configPath: join(dir, 'config.json'),
    secretsPath: join(dir, 'secrets.json'),
  });
  const access = await hostAccess(settings, {
    lookup: async (host) => (await lookup(host, { all: true })).map((a) => a.address),
    resolvConf: readOrEmpty('/etc/resolv.conf'),
    realpath: (path) => realpathSync(path),
  });
  const dropIn = hostAccessDropIn(access);
  if (!values.apply) {
    process.stdout.write(dropIn);
    return;
  }
  if (readOrEmpty(DROP_IN_PATH) === dropIn) {
    process.stdout.write(`${DROP_IN_PATH}: unchanged\n`);
    return;
  }
  mkdirSync(dirname(DROP_IN_PATH), { recursive: true });
  writeFileSync(`${DROP_IN_PATH}.new`, dropIn, { mode: 0o644 });
  renameSync(`${DROP_IN_PATH}.new`, DROP_IN_PATH);
  // A reload re-applies IPAddressAllow= to the running daemon; ReadWritePaths= waits for its next start.
  execFileSync('systemctl', ['daemon-reload'], { stdio: 'inherit' });
  process.stdout.write(`${DROP_IN_PATH}: written (${access.addresses.length} addresses)\n`);
}
