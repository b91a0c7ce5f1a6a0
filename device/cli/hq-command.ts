import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { FLEET_FILTER, FleetView, formatFleetTable } from '../../hq/fleet-view.js';
import { parseCommandArgs, UsageError } from './args.js';
import { untilSignal } from './signals.js';

export const hqUsage = `vipps-kiosk hq watch --broker URL [--username NAME] [--once SECONDS]
  Shows the fleet as HQ sees it on the MQTT broker (vk/v1/+/+/#): per kiosk its site, device, online
  or offline and since when, screen, Vipps reachable, last sale, sales and declines seen, outbox depth
  and errors. Redraws every second on a terminal; otherwise prints the table whenever it changes.
  --once SECONDS collects for that long, prints the table once and exits. The password comes from the
  environment variable VK_HQ_PASSWORD (never from the command line). MQTT 5, falling back to 3.1.1.`;

/** How long a broker gets to answer CONNECT and SUBSCRIBE. */
const CONNECT_TIMEOUT_MS = 5_000;
const MAX_ONCE_SECONDS = 3_600;

export async function hqCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    broker: { type: 'string' },
    username: { type: 'string' },
    once: { type: 'string' },
  });
  const [sub, ...extra] = positionals;
  if (sub !== 'watch') {
    throw new UsageError(sub === undefined ? 'missing subcommand "watch"' : `unknown subcommand "${sub}"`);
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const broker = brokerOption(values.broker);
  const onceSeconds = onceOption(values.once);
  const password = process.env.VK_HQ_PASSWORD || undefined;
  const username = values.username ?? (decodeURIComponent(broker.username) || undefined);
  broker.username = '';

  const view = new FleetView();
  const client = await connectFleet(broker.toString(), { username, password });
  client.on('message', (topic, payload, packet) => {
    view.ingest(topic, payload.toString('utf8'), { retained: packet.retain });
  });
  try {
    await subscribe(client, broker.toString());
    if (onceSeconds !== undefined) {
      // Tells a script (and the tests) that live messages from now on are seen.
      process.stderr.write(`subscribed to ${FLEET_FILTER}, collecting for ${onceSeconds} s\n`);
      await Promise.race([sleep(onceSeconds * 1000), untilSignal()]);
      process.stdout.write(formatFleetTable(view.rows(), Date.now()) + unknownLine(view));
      return;
    }
    await watch(client, view);
  } finally {
    await client.endAsync(true).catch(() => {});
  }
}

function brokerOption(value: string | undefined): URL {
  if (value === undefined)
    throw new UsageError('--broker URL is required (for example mqtts://hq.example:8883)');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--broker must be a URL like mqtt://host:1883, not "${value}"`);
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'ssl:', 'tls:'].includes(url.protocol)) {
    throw new UsageError(`--broker must be an mqtt://, mqtts://, ws:// or wss:// URL, not "${url.protocol}"`);
  }
  if (url.password !== '') {
    throw new UsageError(
      '--broker must not contain a password (it would show in the process list and shell history); ' +
        'set VK_HQ_PASSWORD instead',
    );
  }
  return url;
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

interface Credentials {
  username: string | undefined;
  password: string | undefined;
}

/** CONNACK codes (MQTT 3.1.1 return codes and MQTT 5 reason codes) that mean "who are you?". */
const AUTH_REFUSED = new Set([4, 5, 0x86, 0x87, 0x8c]);
/** The broker does not speak the protocol version asked for: 3.1.1 return code 1, MQTT 5 reason 0x84. */
const UNSUPPORTED_VERSION = new Set([1, 0x84]);

/** Connects with MQTT 5, or MQTT 3.1.1 when the broker refuses 5; a refusal becomes a readable error. */
async function connectFleet(url: string, credentials: Credentials): Promise<MqttClient> {
  try {
    return await connectOnce(url, credentials, 5);
  } catch (error) {
    if (!UNSUPPORTED_VERSION.has(codeOf(error) ?? -1)) throw explain(error, url, credentials);
  }
  try {
    return await connectOnce(url, credentials, 4);
  } catch (error) {
    throw explain(error, url, credentials);
  }
}

function connectOnce(url: string, credentials: Credentials, protocolVersion: 4 | 5): Promise<MqttClient> {
  const options: IClientOptions = {
    protocolVersion,
    clientId: `vk-hq-watch-${Math.random().toString(36).slice(2, 10)}`,
    clean: true,
    // Our own answer to "broker unreachable" on the first attempt; reconnects are switched on once in.
    reconnectPeriod: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
    ...(credentials.username !== undefined ? { username: credentials.username } : {}),
    ...(credentials.password !== undefined ? { password: credentials.password } : {}),
  };
  return new Promise((resolve, reject) => {
    const client = connect(url, options);
    const timer = setTimeout(() => fail(new TimeoutError()), CONNECT_TIMEOUT_MS + 1_000);
    const done = () => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', onError);
      client.off('close', onClose);
    };
    const fail = (error: Error) => {
      done();
      client.on('error', () => {});
      client.end(true);
      reject(error);
    };
    const onConnect = () => {
      done();
      // From here on a dropped connection is retried every second; the table says so meanwhile.
      client.options.reconnectPeriod = 1_000;
      client.on('error', () => {});
      resolve(client);
    };
    // Before CONNACK every error is final (a refused CONNACK, a socket error): no waiting for `close`.
    const onError = (error: Error) => fail(error);
    const onClose = () => fail(new Error('the broker closed the connection'));
    client.on('connect', onConnect);
    client.on('error', onError);
    client.on('close', onClose);
  });
}

class TimeoutError extends Error {
  constructor() {
    super(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`);
  }
}

function codeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

function explain(error: unknown, url: string, credentials: Credentials): Error {
  const code = codeOf(error);
  const syscall = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && AUTH_REFUSED.has(code)) {
    const who = credentials.username === undefined ? 'without a username' : `as "${credentials.username}"`;
    const hint =
      credentials.password === undefined
        ? ' (no password given: set VK_HQ_PASSWORD)'
        : ' (check --username and VK_HQ_PASSWORD)';
    return new Error(`the MQTT broker at ${url} refused the login ${who}: ${message}${hint}`);
  }
  if (code !== undefined && UNSUPPORTED_VERSION.has(code)) {
    return new Error(`the MQTT broker at ${url} speaks neither MQTT 5 nor 3.1.1: ${message}`);
  }
  if (syscall === 'ECONNREFUSED') {
    return new Error(`cannot reach the MQTT broker at ${url}: connection refused (is it running?)`);
  }
  if (syscall === 'ENOTFOUND' || syscall === 'EAI_AGAIN') {
    return new Error(`cannot reach the MQTT broker at ${url}: host not found`);
  }
  if (error instanceof TimeoutError || /timeout/i.test(message)) {
    return new Error(`cannot reach the MQTT broker at ${url}: ${message}`);
  }
  return new Error(`cannot connect to the MQTT broker at ${url}: ${message}`);
}

async function subscribe(client: MqttClient, url: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const granted = await Promise.race([
    client.subscribeAsync(FLEET_FILTER, { qos: 1 }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the MQTT broker at ${url} did not answer the subscription within 5 s`)),
        CONNECT_TIMEOUT_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
  const qos = granted[0]?.qos;
  // 128 (0x80) and MQTT 5's 0x87 (not authorized) and friends: every failure code is >= 0x80.
  if (qos === undefined || qos >= 0x80) {
    throw new Error(
      `the MQTT broker at ${url} refused the subscription to ${FLEET_FILTER}` +
        `${qos === undefined ? '' : ` (code 0x${qos.toString(16)})`}: the HQ user needs read access to vk/v1/#`,
    );
  }
}

/** Until SIGINT/SIGTERM: a live table on a terminal, the table on every change otherwise. */
async function watch(client: MqttClient, view: FleetView): Promise<void> {
  const tty = process.stdout.isTTY === true;
  let printed = '';
  const draw = () => {
    const now = Date.now();
    const table = formatFleetTable(view.rows(), now);
    const link = client.connected ? '' : 'reconnecting to the broker…\n';
    const unknown = unknownLine(view);
    if (tty) {
      const header = `vipps-kiosk fleet, ${new Date(now).toISOString()} (Ctrl-C to stop)\n\n`;
      process.stdout.write(`\x1b[H\x1b[2J${header}${table}${unknown}${link}`);
    } else if (`${view.version}|${link}` !== printed) {
      printed = `${view.version}|${link}`;
      process.stdout.write(`${new Date(now).toISOString()}\n${table}${unknown}${link}\n`);
    }
  };
  draw();
  const timer = setInterval(draw, 1_000);
  try {
    await untilSignal();
  } finally {
    clearInterval(timer);
  }
}

function unknownLine(view: FleetView): string {
  return view.unknownTopics > 0 ? `(${view.unknownTopics} message(s) on unknown topics ignored)\n` : '';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
