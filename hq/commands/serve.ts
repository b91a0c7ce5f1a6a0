import { readFileSync } from 'node:fs';
import { parseCommandArgs, portOption, UsageError } from '../../common/cli/args.js';
import { untilSignal } from '../../common/cli/signals.js';
import { createLogger, type Logger } from '../../common/log/logger.js';
import type { HqDatabase } from '../database/database.js';
import { databaseOption, openDatabase } from '../database/database.js';
import { brokerOption } from './broker-option.js';
import { startPageService } from './page-service.js';
import { readVippsKeys } from './reconcile.js';
import { readCommandKey } from './send-command.js';

export const hqServeUsage = `vipps-kiosk hq serve --database URL [--port N] [--host ADDR] [--broker URL [--username NAME]]
                     [--command-key FILE] [--vipps-keys FILE [--vipps-url URL]]
                     [--tls-cert FILE --tls-key FILE | --secure-cookies]
  The HQ page on http://ADDR:N/ (default 127.0.0.1:8090): the fleet at a glance, each kiosk's
  timeline, health and sales, sales per hour and day with the Z reports' totals, the commands kiosks
  understand (operators only) and reconciliation with Vipps. Users sign in (hq user add). With --broker
  the page is live from the broker (a read-only subscription; the password from VK_HQ_PASSWORD), else
  it reads the database every 5 s. --command-key (hq command-keygen's private key) and --broker enable
  the command buttons; --vipps-keys (as for hq reconcile) the reconciliation page. --tls-cert/--tls-key
  serve HTTPS; --secure-cookies marks the cookies Secure behind a proxy that terminates TLS.`;

/** The page's options, shared by `hq serve` and `hq collect --serve-port`. */
export const pageOptionSpec = {
  host: { type: 'string' },
  'command-key': { type: 'string' },
  'vipps-keys': { type: 'string' },
  'vipps-url': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'secure-cookies': { type: 'boolean' },
} as const;

type PageValues = {
  [K in keyof typeof pageOptionSpec]?: (typeof pageOptionSpec)[K]['type'] extends 'boolean'
    ? boolean
    : string;
};

function readPem(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(`${flag} ${path}: ${(error as Error).message}`);
  }
}

/** Starts the page on `database` with the page options of `values`; the broker is the caller's. */
export async function startPageFromOptions(
  values: PageValues,
  port: number,
  database: HqDatabase,
  broker: { url: string; username?: string | undefined; password?: string | undefined } | undefined,
  logger: Logger,
) {
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined))
    throw new UsageError('--tls-cert and --tls-key go together');
  if (values['command-key'] !== undefined && broker === undefined)
    throw new UsageError('--command-key needs --broker: commands go to the kiosks through it');
  const tls = values['tls-cert']
    ? { cert: readPem(values['tls-cert'], '--tls-cert'), key: readPem(values['tls-key']!, '--tls-key') }
    : undefined;
  const commandKey = values['command-key'] === undefined ? undefined : readCommandKey(values['command-key']);
  const vippsKeys =
    values['vipps-keys'] === undefined
      ? undefined
      : await readVippsKeys(values['vipps-keys'], values['vipps-url'] ?? 'https://api.vipps.no');
  return startPageService({
    database,
    port,
    logger,
    ...(values.host ? { host: values.host } : {}),
    ...(broker ? { broker } : {}),
    ...(commandKey ? { commandKey } : {}),
    ...(vippsKeys ? { vippsKeys } : {}),
    ...(tls ? { tls } : {}),
    ...(values['secure-cookies'] ? { secureCookies: true } : {}),
  });
}

export async function hqServeCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...pageOptionSpec,
    database: { type: 'string' },
    port: { type: 'string' },
    broker: { type: 'string' },
    username: { type: 'string' },
  });
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const target = databaseOption(values.database);
  const port = portOption(values.port, 'port', 8090);
  let broker: { url: string; username?: string | undefined; password?: string | undefined } | undefined;
  if (values.broker !== undefined) {
    const url = brokerOption(values.broker);
    const username = values.username ?? (decodeURIComponent(url.username) || undefined);
    url.username = '';
    broker = { url: url.toString(), username, password: process.env.VK_HQ_PASSWORD || undefined };
  }
  const logger = createLogger({ level: 'info', journal: false }, 'hq-serve');
  const database = await openDatabase(target);
  try {
    const page = await startPageFromOptions(values, port, database, broker, logger);
    try {
      process.stdout.write(`HQ page on ${page.url}/ (sign in with a user of hq user add)\n`);
      await untilSignal();
    } finally {
      await page.stop();
    }
  } finally {
    await database.close();
  }
}
