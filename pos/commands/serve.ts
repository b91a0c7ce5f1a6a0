import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseCommandArgs, portOption, UsageError } from '../../common/cli/args.js';
import { untilSignal } from '../../common/cli/signals.js';
import { createLogger } from '../../common/log/logger.js';
import { startPos } from '../start-pos.js';

export const posServeUsage = `vipps-kiosk pos serve --terminal URL --token-file FILE [--fingerprint SHA256]
                      --catalog FILE [--port N] [--state-dir DIR]
  The reference cashier screen of attended mode: a page on 127.0.0.1 (default port 8085) where a
  cashier scans wares, sends the payment request to the kiosk's terminal API and follows it. --terminal
  and --fingerprint are what \`vipps-kiosk pos pair\` printed on the kiosk; the token file holds the
  pairing token (never sent to the browser). --catalog is a price list in the kiosk's catalog format.
  --state-dir is where the till keeps the payment under way, so that after a crash it asks the terminal
  about that payment by its id instead of asking the customer again (default
  $XDG_STATE_HOME/vipps-kiosk-pos, or ~/.local/state/vipps-kiosk-pos).`;

export async function posServeCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    terminal: { type: 'string' },
    'token-file': { type: 'string' },
    fingerprint: { type: 'string' },
    catalog: { type: 'string' },
    port: { type: 'string' },
    'state-dir': { type: 'string' },
  });
  const { terminal, catalog, fingerprint } = values;
  const tokenFile = values['token-file'];
  if (terminal === undefined)
    throw new UsageError('--terminal URL is needed: the kiosk as `pos pair` printed it');
  if (tokenFile === undefined)
    throw new UsageError('--token-file FILE is needed: the file holding the pairing token');
  if (catalog === undefined)
    throw new UsageError('--catalog FILE is needed: the price list the cashier sells from');
  const token = (
    await readFile(tokenFile, 'utf8').catch((error: unknown) => {
      throw new UsageError(`cannot read the token file ${tokenFile}: ${(error as Error).message}`);
    })
  ).trim();
  if (token === '')
    throw new UsageError(`the token file ${tokenFile} is empty; it should hold the pairing token`);
  const logger = createLogger({ level: 'info', journal: false }, 'pos');
  const pos = await startPos({
    terminalUrl: terminal,
    token,
    ...(fingerprint === undefined ? {} : { fingerprint }),
    catalogPath: catalog,
    port: portOption(values.port, 'port', 8085),
    stateDir: values['state-dir'] ?? defaultStateDir(),
    logger,
  });
  process.stdout.write(`cashier screen  ${pos.url}   (terminal ${terminal}); Ctrl+C stops it\n`);
  await untilSignal();
  await pos.stop();
}

function defaultStateDir(): string {
  const base = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'vipps-kiosk-pos');
}
