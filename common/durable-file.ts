import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

// A file that is on disk, whole, once the write returns: what a power cut or a SIGKILL must not lose or
// leave half written (a receipt counter, a till's open payment).
//
// Synchronous on purpose. Written with promises, one such write took a dozen turns of the event loop, each
// waiting behind the daemon's other work (70 ms median on a busy two-core machine, for a receipt number the
// next payment then waited for). In one go it costs its fsyncs and nothing else.

/**
 * Writes `content` to `path` through a temporary file: written, fsynced, renamed over the old one, then
 * the directory fsynced, since the rename itself lives in the directory and a power cut can lose it.
 * A reader sees the old content or the new, never part of either. `mode` is for a new file.
 */
export function writeDurably(path: string, content: string, mode = 0o600): void {
  const temporary = `${path}.${process.pid}.tmp`;
  const file = openSync(temporary, 'w', mode);
  try {
    writeFileSync(file, content, 'utf8');
    fsyncSync(file);
  } finally {
    closeSync(file);
  }
  renameSync(temporary, path);
  syncDirectory(dirname(path));
}

/** Removes `path` for good (the directory fsynced after); one that is not there is already removed. */
export function removeDurably(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  syncDirectory(dirname(path));
}

function syncDirectory(path: string): void {
  const directory = openSync(path, 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
}
