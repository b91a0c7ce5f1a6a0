import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { untilSignal } from '../../common/cli/signals.js';
import { loginToBroker } from '../../common/mqtt/broker-connection.js';
import type { MqttLink } from '../../common/mqtt/link.js';
import { formatOpenAlerts, readOpenAlerts } from '../alerts/open-alerts.js';
import { databaseOption, type HqDatabase, openDatabase } from '../database/database.js';
import { formatTodayTotals, readTodayTotals } from '../database/today-totals.js';
import { FLEET_FILTER, FleetView, formatFleetTable } from '../fleet-view.js';
import { subscribeAwaited } from './awaited-subscription.js';
import { brokerConfigCommand, brokerConfigUsage } from './broker-config.js';
import { brokerOption } from './broker-option.js';
import { hqCollectCommand, hqCollectUsage } from './collect.js';
import { hqEnrolCommand, hqEnrolUsage } from './enrol-keygen.js';
import { hqEnrolServeCommand, hqEnrolServeUsage } from './enrol-serve.js';
import { hqReconcileCommand, hqReconcileUsage } from './reconcile.js';
import { hqSendCommand, hqSendCommandUsage } from './send-command.js';
import { hqServeCommand, hqServeUsage } from './serve.js';
import { hqUserCommand, hqUserUsage } from './user.js';

export const hqUsage = `vipps-kiosk hq watch --broker URL [--username NAME] [--once SECONDS] [--database URL]
  Shows the fleet as HQ sees it on the MQTT broker (vk/v1/+/+/#): per kiosk its site, device, online
  or offline and since when, screen, Vipps reachable, last sale, sales and declines seen, outbox depth
  and errors. Redraws every second on a terminal; otherwise prints the table whenever it changes.
  --once SECONDS collects for that long, prints the table once and exits. The password comes from the
  environment variable VK_HQ_PASSWORD (never from the command line). MQTT 5, falling back to 3.1.1.
  --database URL (the collector's, see hq collect) adds today's totals per kiosk as stored there:
  sales, amount, declines, cancellations and the last sale, including what sold before watch started.
${hqEnrolUsage}
${brokerConfigUsage}
${hqSendCommandUsage}
${hqEnrolServeUsage}
${hqCollectUsage}
${hqReconcileUsage}
${hqServeUsage}
${hqUserUsage}`;

const MAX_ONCE_SECONDS = 3_600;

export async function hqCommand(argv: string[]): Promise<void> {
  if (argv[0] === 'enrol-qr' || argv[0] === 'enrol-keygen') return hqEnrolCommand(argv);
  if (argv[0] === 'broker-config') return brokerConfigCommand(argv);
  if (argv[0] === 'command' || argv[0] === 'command-keygen') return hqSendCommand(argv);
  if (argv[0] === 'ca-init' || argv[0] === 'enrol-serve') return hqEnrolServeCommand(argv);
  if (argv[0] === 'collect') return hqCollectCommand(argv);
  if (argv[0] === 'reconcile') return hqReconcileCommand(argv);
  if (argv[0] === 'serve') return hqServeCommand(argv);
  if (argv[0] === 'user') return hqUserCommand(argv);
  const { values, positionals } = parseCommandArgs(argv, {
    broker: { type: 'string' },
    username: { type: 'string' },
    once: { type: 'string' },
    database: { type: 'string' },
  });
  const [sub, ...extra] = positionals;
  if (sub !== 'watch') {
    throw new UsageError(sub === undefined ? 'missing subcommand "watch"' : `unknown subcommand "${sub}"`);
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const broker = brokerOption(values.broker);
  const onceSeconds = onceOption(values.once);
  const target = values.database === undefined ? undefined : databaseOption(values.database);
  const password = process.env.VK_HQ_PASSWORD || undefined;
  const username = values.username ?? (decodeURIComponent(broker.username) || undefined);
  broker.username = '';

  const database = target && (await openDatabase(target, { max: 1, migrate: false }));
  try {
    await watchFleet(broker.toString(), username, password, onceSeconds, database);
  } finally {
    await database?.close();
  }
}

async function watchFleet(
  url: string,
  username: string | undefined,
  password: string | undefined,
  onceSeconds: number | undefined,
  database: HqDatabase | undefined,
): Promise<void> {
  const view = new FleetView();
  const link = await loginToBroker({
    url,
    username,
    password,
    clientIdPrefix: 'vk-hq-watch',
    hints: { noPassword: 'set VK_HQ_PASSWORD', refused: 'check --username and VK_HQ_PASSWORD' },
    events: {
      message: (topic, payload, packet) => {
        view.ingest(topic, payload.toString('utf8'), { retained: packet.retain });
      },
      // Each connection is a clean session: after a broker restart the fleet filter is asked for again.
      connected: (client, session) => {
        if (session > 1) void client.subscribeAsync(FLEET_FILTER, { qos: 1 }).catch(() => {});
      },
    },
  });
  try {
    await subscribeAwaited(link, FLEET_FILTER, url);
    if (onceSeconds !== undefined) {
      // Tells a script (and the tests) that live messages from now on are seen.
      process.stderr.write(`subscribed to ${FLEET_FILTER}, collecting for ${onceSeconds} s\n`);
      await Promise.race([sleep(onceSeconds * 1000), untilSignal()]);
      const today = database ? `\n${await todayText(database)}` : '';
      process.stdout.write(formatFleetTable(view.rows(), Date.now()) + unknownLine(view) + today);
      return;
    }
    await watch(link, view, database);
  } finally {
    await link.stop();
  }
}

function onceOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_ONCE_SECONDS) {
    throw new UsageError(
      `--once must be a number of seconds above 0, at most ${MAX_ONCE_SECONDS}, not "${value}"`,
    );
  }
  return seconds;
}

/** Today's totals from the database, or why they cannot be shown (the watch goes on regardless). */
async function todayText(database: HqDatabase): Promise<string> {
  const now = Date.now();
  try {
    const [totals, alerts] = await Promise.all([
      readTodayTotals(database.pool, now),
      readOpenAlerts(database.pool),
    ]);
    return formatTodayTotals(totals, now) + formatOpenAlerts(alerts, now);
  } catch (error) {
    return `Today's totals: cannot read the database at ${database.url}: ${(error as Error).message}\n`;
  }
}

/** How often `--database` totals are read again while watching. */
const TOTALS_REFRESH_MS = 5_000;

/** Until SIGINT/SIGTERM: a live table on a terminal, the table on every change otherwise. */
async function watch(link: MqttLink, view: FleetView, database: HqDatabase | undefined): Promise<void> {
  const tty = process.stdout.isTTY === true;
  let printed = '';
  let today = '';
  const draw = () => {
    const now = Date.now();
    const table = formatFleetTable(view.rows(), now);
    const lost = link.connected ? '' : 'reconnecting to the broker…\n';
    const unknown = unknownLine(view);
    const totals = today === '' ? '' : `\n${today}`;
    if (tty) {
      const header = `vipps-kiosk fleet, ${new Date(now).toISOString()} (Ctrl-C to stop)\n\n`;
      process.stdout.write(`\x1b[H\x1b[2J${header}${table}${unknown}${lost}${totals}`);
    } else if (`${view.version}|${lost}|${today}` !== printed) {
      printed = `${view.version}|${lost}|${today}`;
      process.stdout.write(`${new Date(now).toISOString()}\n${table}${unknown}${lost}${totals}\n`);
    }
  };
  const refresh = async () => {
    if (database) today = await todayText(database);
    draw();
  };
  await refresh();
  const timer = setInterval(draw, 1_000);
  const totalsTimer = database ? setInterval(() => void refresh(), TOTALS_REFRESH_MS) : undefined;
  try {
    await untilSignal();
  } finally {
    clearInterval(timer);
    clearInterval(totalsTimer);
  }
}

function unknownLine(view: FleetView): string {
  return view.unknownTopics > 0 ? `(${view.unknownTopics} message(s) on unknown topics ignored)\n` : '';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
