import { randomBytes } from 'node:crypto';
import { lstat, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isScreenToken, newScreenToken } from './screen-guard.js';

/** The file in the daemon's runtime directory (/run/vipps-kiosk) the screen unit loads as a credential. */
export const SCREEN_TOKEN_FILE = 'screen-token';

/**
 * The screen's token for this boot. /run is emptied at every boot, and the daemon's unit keeps its runtime
 * directory across restarts (RuntimeDirectoryPreserve=yes), so a daemon that restarts after a crash keeps
 * the token the running screen already holds, and a reboot makes a new one. A file that is not exactly
 * ours (a link, another owner, readable by others, not a token) is replaced, never trusted.
 */
export async function bootScreenToken(runtimeDir: string): Promise<string> {
  const file = join(runtimeDir, SCREEN_TOKEN_FILE);
  const kept = await ownToken(file);
  if (kept !== null) return kept;
  const token = newScreenToken();
  // Written whole under a private name and renamed, so the screen never loads half a token.
  const partial = `${file}.${randomBytes(6).toString('hex')}`;
  await writeFile(partial, token, { mode: 0o600, flag: 'wx' });
  try {
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return token;
}

async function ownToken(file: string): Promise<string | null> {
  const stats = await lstat(file).catch(() => null);
  if (!stats?.isFile() || (stats.mode & 0o077) !== 0) return null;
  if (process.getuid !== undefined && stats.uid !== process.getuid()) return null;
  const text = await readFile(file, 'utf8');
  return isScreenToken(text) ? text : null;
}
