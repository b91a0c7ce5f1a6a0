import { parseCommandArgs, portOption, UsageError } from '../../common/cli/args.js';
import { untilSignal } from '../../common/cli/signals.js';
import { createLogger } from '../../common/log/logger.js';
import { ALERT_OPTIONS, alertOptionsUsage, alertSettings } from '../alerts/alert-options.js';
import { HqAlerts } from '../alerts/hq-alerts.js';
import { Collector } from '../collector/collector.js';
import { TelemetryStore } from '../collector/telemetry-store.js';
import { databaseOption, openDatabase } from '../database/database.js';
import { brokerOption } from './broker-option.js';
import { pageOptionSpec, startPageFromOptions } from './serve.js';

export const hqCollectUsage = `vipps-kiosk hq collect --broker URL --database URL [--group NAME] [--username NAME]
                       [--client-id ID] [--serve-port N [hq serve's page options]]
  Keeps what the kiosks publish (every event, presence, health and state) in the database: a PostgreSQL
  URL (postgres://USER@HOST/DB; the password from PGPASSWORD), or embedded:DIR[?port=N] for the embedded
  database in DIR, served on 127.0.0.1 for hq watch and the HQ page (the demo, a single small site).
  Migrations are applied at start. Each message is acknowledged to the broker only once its row is
  committed, and stored once however often it arrives. --group NAME shares the stream among replicas
  (an MQTT 5 shared subscription): run each replica with the same group and its own broker identity
  (--username, a collector role in the fleet file); without --group a collector takes every message
  alone. The client id is the identity (--client-id for a broker without logins); the broker keeps the
  replica's session while it is away, so start the same identity again to lose nothing. The password
  comes from VK_HQ_PASSWORD. Alerts raised and cleared go to the database and to vk/v1/hq/alerts.
  --serve-port N also serves the HQ page (hq serve) from this process, fed by the database as the
  collector writes it (no second broker login; commands need hq serve --broker).
${alertOptionsUsage}`;

export async function hqCollectCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    broker: { type: 'string' },
    username: { type: 'string' },
    'client-id': { type: 'string' },
    database: { type: 'string' },
    group: { type: 'string' },
    ...ALERT_OPTIONS,
    'serve-port': { type: 'string' },
    ...pageOptionSpec,
  });
  if (values['command-key'] !== undefined)
    throw new UsageError(
      '--command-key is for hq serve --broker: the page beside a collector sends no commands',
    );
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const broker = brokerOption(values.broker);
  const target = databaseOption(values.database);
  const username = values.username ?? (decodeURIComponent(broker.username) || undefined);
  broker.username = '';
  const clientId = values['client-id'] ?? username;
  if (clientId === undefined)
    throw new UsageError("--username NAME (the replica's broker identity) or --client-id ID is required");
  if (values.group !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(values.group))
    throw new UsageError(`--group "${values.group}" must be 1–64 letters, digits, - and _`);
  const alerts = alertSettings(values);

  const logger = createLogger({ level: 'info', journal: false }, 'hq-collect');
  const database = await openDatabase(target);
  try {
    if (database.applied.length > 0)
      logger.info('database schema brought up to date', { migrations: database.applied.join(',') });
    const collector = new Collector({
      broker: { url: broker.toString(), username, password: process.env.VK_HQ_PASSWORD || undefined },
      clientId,
      group: values.group,
      store: new TelemetryStore(database.pool),
      logger,
      alerts: new HqAlerts({
        pool: database.pool,
        thresholds: alerts.thresholds,
        now: Date.now,
        logger: logger.child('alerts'),
        sweepEveryMs: alerts.sweepEveryMs,
      }),
    });
    await collector.start();
    let page: Awaited<ReturnType<typeof startPageFromOptions>> | undefined;
    try {
      if (values['serve-port'] !== undefined) {
        const port = portOption(values['serve-port'], 'serve-port', 8090);
        page = await startPageFromOptions(values, port, database, undefined, logger);
        logger.info('HQ page', { url: page.url });
      }
      logger.info('collecting', {
        broker: broker.toString(),
        clientId,
        group: values.group ?? '(none: every message)',
        database: database.url,
      });
      await untilSignal();
    } finally {
      await page?.stop();
      await collector.stop();
      logger.info('stopped', { ...collector.counts });
    }
  } finally {
    await database.close();
  }
}
