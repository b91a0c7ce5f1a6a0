import { join } from 'node:path';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { createLogger } from '../../common/log/logger.js';
import { maskMsisdn } from '../../common/log/mask.js';
import {
  type CustomerForgotten,
  CustomerPartlyForgottenError,
  forgetCustomer,
} from '../club/forget-customer.js';
import { DEFAULT_CONFIG_DIR, loadSettings } from '../config/load.js';

export const clubUsage = `vipps-kiosk club forget <phone number> [--config-dir DIR]
  forget     delete everything the kiosk holds about this customer (number with country code, e.g.
             4712345678): the club member, a queued CRM enrolment, the number in the payment journal and
             the telemetry outbox; prints per store what was removed. Exit 0 when something was found,
             1 when nothing was, or the club store could not be reached`;

/** A forget that found nothing in any store: exit code 1, with the message saying so. */
export class NothingToForgetError extends Error {
  override readonly name = 'NothingToForgetError';
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
  const masked = maskMsisdn(msisdn);
  const logger = createLogger({
    level: 'warn',
    journal: false,
    write: (line) => process.stderr.write(`${line}\n`),
  });
  let forgotten: CustomerForgotten;
  try {
    forgotten = await forgetCustomer(settings, msisdn, logger.child('club'));
  } catch (error) {
    if (error instanceof CustomerPartlyForgottenError) process.stdout.write(report(masked, error.done));
    throw error;
  }
  process.stdout.write(report(masked, forgotten));
  const found = forgotten.stores.reduce((sum, store) => sum + (store.removed ?? 0), 0);
  if (found + forgotten.unsettledPayments === 0)
    throw new NothingToForgetError(`nothing held about ${masked} in any store; nothing deleted`);
}

/** Per store what was removed, the number masked; and what is still held, and until when. */
function report(masked: string, forgotten: CustomerForgotten): string {
  const lines = [`Forgetting ${masked}:`];
  for (const { store, removed, what } of forgotten.stores)
    lines.push(
      `  ${store}: ${removed === null ? 'does not exist here, nothing to do' : `${removed} ${what}`}`,
    );
  const open = forgotten.unsettledPayments;
  if (open > 0) {
    lines.push(
      `Still held: ${open} payment${open === 1 ? '' : 's'} not settled yet name${open === 1 ? 's' : ''} ${masked} in ` +
        'the payment journal. Recovery may have to repeat the request to Vipps, so it stays until Vipps has ' +
        'settled the payment; the journal removes the number then by itself, without another forget.',
    );
  }
  return `${lines.join('\n')}\n`;
}
