import { UsageError } from '../../common/cli/args.js';
import { BROKER_URL_RULE, urlProblem } from '../../contracts/secure-url.js';

/**
 * HQ's `--broker URL` (`hq watch`, `hq command`): mqtts:// or wss:// (plain only to loopback, like the
 * kiosk's own rule), without a password in it.
 */
export function brokerOption(value: string | undefined): URL {
  if (value === undefined)
    throw new UsageError('--broker URL is required (for example mqtts://hq.example:8883)');
  const problem = urlProblem(value, BROKER_URL_RULE);
  if (problem !== undefined) throw new UsageError(`--broker "${value}" is not valid; ${problem}`);
  const url = new URL(value);
  if (url.password !== '') {
    throw new UsageError(
      '--broker must not contain a password (it would show in the process list and shell history); ' +
        'set VK_HQ_PASSWORD instead',
    );
  }
  return url;
}
