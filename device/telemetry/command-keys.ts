import { createPublicKey, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../common/log/logger.js';
import { commandKeyId } from '../../contracts/hq-command.js';

/** The folder of HQ's command keys in the configuration directory (`/etc/vipps-kiosk/hq-command-keys`). */
export const COMMAND_KEYS_DIR = 'hq-command-keys';

/**
 * HQ's public command keys: every `*.pub` (Ed25519, PEM) in one folder, by key id. Read again for each
 * command, so a key HQ adds or removes (rotation: add the new key to the fleet, sign with it, remove the
 * old one) counts at once without restarting the kiosk. A file that is not an Ed25519 public key is
 * logged and skipped; a missing folder means no key, and every command is refused.
 */
export function commandKeysIn(dir: string | undefined, logger: Logger): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  if (dir === undefined) return keys;
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.pub'));
  } catch {
    return keys;
  }
  for (const file of files.sort()) {
    try {
      const key = createPublicKey(readFileSync(join(dir, file)));
      if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType} key`);
      keys.set(commandKeyId(key), key);
    } catch (error) {
      logger.warn('HQ command key skipped: not an Ed25519 public key (PEM)', {
        file: join(dir, file),
        error: (error as Error).message,
      });
    }
  }
  return keys;
}
