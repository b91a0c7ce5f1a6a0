import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { createLogger } from '../../common/log/logger.js';
import { maskMsisdn } from '../../common/log/mask.js';
import { clubStoreName, openClub } from '../club/open-club.js';
import { CLUB_FILE } from '../club/sqlite-club.js';
import { DEFAULT_CONFIG_DIR, loadSettings } from '../config/load.js';

export const clubUsage = `vipps-kiosk club forget <phone number> [--config-dir DIR]
  forget     delete everything the customer club holds about this customer (number with country code,
             e.g. 4712345678); exit 0 when deleted, 1 when there was no such member`;

/** A forget that found nobody: exit code 1, with the message saying so. */
export class NoSuchMemberError extends Error {
  override readonly name = 'NoSuchMemberError';
}

export async function clubCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { 'config-dir': { type: 'string' } });
  const [action, ...parts] = positionals;
  if (action !== 'forget') throw new UsageError(`unknown club action "${action ?? ''}"`);
  if (parts.length === 0) throw new UsageError('expected the phone number of the member to forget');
  // `+47 912 34 567` typed as a person writes it arrives in pieces: it is one number.
  const number = parts.join(' ');
  const msisdn = number.replace(/[\s+]/g, '');
  if (!/^\d{10,15}$/.test(msisdn)) {
    throw new UsageError(
      `"${maskMsisdn(number)}" is not a phone number with country code: expected 10–15 digits, e.g. 4712345678`,
    );
  }
  const dir = values['config-dir'] ?? DEFAULT_CONFIG_DIR;
  const settings = await loadSettings({
    configPath: join(dir, 'config.json'),
    secretsPath: join(dir, 'secrets.json'),
  });
  const where = clubStoreName(settings);
  const masked = maskMsisdn(msisdn);
  // Opening a missing club file would create an empty one, owned by whoever runs this command.
  if (settings.club.store === 'sqlite' && !existsSync(join(settings.stateDir, CLUB_FILE))) {
    throw new NoSuchMemberError(`no club member ${masked}: ${where} does not exist; nothing deleted`);
  }
  const logger = createLogger({
    level: 'warn',
    journal: false,
    write: (line) => process.stderr.write(`${line}\n`),
  });
  const club = openClub(settings, logger.child('club'));
  await club.start();
  let deleted: boolean;
  try {
    deleted = await club.forget(msisdn);
  } finally {
    await club.stop();
  }
  if (!deleted) throw new NoSuchMemberError(`no club member ${masked} in ${where}; nothing deleted`);
  process.stdout.write(`Deleted club member ${masked} and everything held about them from ${where}.\n`);
}
