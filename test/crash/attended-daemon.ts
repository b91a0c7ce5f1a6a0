import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTerminalDb, TERMINAL_DB_FILE } from '../../device/terminal/terminal-db.js';
import { freePort } from '../support/free-port.js';
import { DaemonProcess } from './daemon-process.js';

/**
 * A kiosk daemon in attended mode (not started yet) on a fresh state directory, with one POS paired:
 * its terminal API on a free loopback port, and the pairing's token a POS calls it with.
 */
export async function attendedDaemon(
  sandboxUrl: string,
  kioskId: string,
): Promise<{ daemon: DaemonProcess; stateDir: string; terminalUrl: string; token: string }> {
  const stateDir = await mkdtemp(join(tmpdir(), 'vk-attended-crash-'));
  const db = openTerminalDb(join(stateDir, TERMINAL_DB_FILE), Date.now);
  const { token } = db.pairings.pair('crash till');
  db.close();
  const port = await freePort();
  const daemon = new DaemonProcess(sandboxUrl, stateDir, kioskId, {
    VK_MODE: 'attended',
    VK_TERMINAL__HOST: '127.0.0.1',
    VK_TERMINAL__PORT: String(port),
  });
  return { daemon, stateDir, terminalUrl: `http://127.0.0.1:${port}`, token };
}
