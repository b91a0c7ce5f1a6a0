import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

// A file that is on disk, whole, once the write returns: what a power cut or a SIGKILL must not lose or
// leave half written (a receipt counter, a till's open payment).

/**
 * Writes `content` to `path` through a temporary file: written, fsynced, renamed over the old one, then
 * the directory fsynced, since the rename itself lives in the directory and a power cut can lose it.
 * A reader sees the old content or the new, never part of either. `mode` is for a new file.
 */
export async function writeDurably(path: string, content: string, mode = 0o600): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const file = await open(temporary, 'w', mode);
  try {
    await file.writeFile(content, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  await syncDirectory(dirname(path));
}

/** Removes `path` for good (the directory fsynced after); one that is not there is already removed. */
export async function removeDurably(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await syncDirectory(dirname(path));
}

async function syncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
