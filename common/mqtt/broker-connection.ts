import { connect, type IClientOptions, type MqttClient } from 'mqtt';

// Logging in to an MQTT broker once, with an answer a person can act on: used by `hq watch` (HQ's
// login) and by provisioning and the self-test (the kiosk's own identity, before the daemon runs).

/** How long a broker gets to answer CONNECT (and SUBSCRIBE). */
export const CONNECT_TIMEOUT_MS = 5_000;

export interface BrokerLogin {
  username: string | undefined;
  password: string | undefined;
  /** Client certificate login (mqtts://): PEM contents. */
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  /** Who connects, so the broker log tells a tech's test login from the daemon. */
  clientIdPrefix: string;
  /** What to tell a refused login: with no password ("set VK_HQ_PASSWORD"), and with a wrong one. */
  hints: { noPassword: string; refused: string };
}

/** CONNACK codes (MQTT 3.1.1 return codes and MQTT 5 reason codes) that mean "who are you?". */
const AUTH_REFUSED = new Set([4, 5, 0x86, 0x87, 0x8c]);
/** The broker does not speak the protocol version asked for: 3.1.1 return code 1, MQTT 5 reason 0x84. */
const UNSUPPORTED_VERSION = new Set([1, 0x84]);

/** Connects with MQTT 5, or MQTT 3.1.1 when the broker refuses 5; a refusal becomes a readable error. */
export async function connectBroker(url: string, login: BrokerLogin): Promise<MqttClient> {
  try {
    return await connectOnce(url, login, 5);
  } catch (error) {
    if (!UNSUPPORTED_VERSION.has(codeOf(error) ?? -1)) throw explain(error, url, login);
  }
  try {
    return await connectOnce(url, login, 4);
  } catch (error) {
    throw explain(error, url, login);
  }
}

function connectOnce(url: string, login: BrokerLogin, protocolVersion: 4 | 5): Promise<MqttClient> {
  const options: IClientOptions = {
    protocolVersion,
    clientId: `${login.clientIdPrefix}-${Math.random().toString(36).slice(2, 10)}`,
    clean: true,
    // Our own answer to "broker unreachable" on the first attempt; reconnects are switched on once in.
    reconnectPeriod: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
    ...(login.username !== undefined ? { username: login.username } : {}),
    ...(login.password !== undefined ? { password: login.password } : {}),
    ...login.tls,
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
      // From here on a dropped connection is retried every second.
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

function explain(error: unknown, url: string, login: BrokerLogin): Error {
  const code = codeOf(error);
  const syscall = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && AUTH_REFUSED.has(code)) {
    const who = login.username === undefined ? 'without a username' : `as "${login.username}"`;
    const hint =
      login.password === undefined && login.tls?.cert === undefined
        ? ` (no password given: ${login.hints.noPassword})`
        : ` (${login.hints.refused})`;
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
