import { randomBytes } from 'node:crypto';
import { withoutCredentials } from '../../contracts/secure-url.js';
import {
  type BrokerEndpoint,
  MqttLink,
  type MqttLinkEvents,
  type MqttLinkOptions,
  MqttTimeoutError,
  protocolRefused,
} from './link.js';

// Logging in to an MQTT broker once, with an answer a person can act on: used by `hq watch` (HQ's
// login) and by provisioning and the self-test (the kiosk's own identity, before the daemon runs).

/** How long a broker gets to answer CONNECT (and SUBSCRIBE). */
export const CONNECT_TIMEOUT_MS = 5_000;

export interface BrokerLogin
  extends BrokerEndpoint,
    Pick<MqttLinkOptions, 'session' | 'handleMessage' | 'backoff' | 'logger'> {
  /** Who connects, so the broker log tells a tech's test login from the daemon. */
  clientIdPrefix: string;
  /** A fixed client id (a persistent session is found again by it); else the prefix and a random part. */
  clientId?: string;
  /** What to tell a refused login: with no password ("set VK_HQ_PASSWORD"), and with a wrong one. */
  hints: { noPassword: string; refused: string };
  /** Once logged in, what the caller does on every connection (re-subscribe) and message. */
  events?: MqttLinkEvents;
}

/** CONNACK codes (MQTT 3.1.1 return codes and MQTT 5 reason codes) that mean "who are you?". */
const AUTH_REFUSED = new Set([4, 5, 0x86, 0x87, 0x8c]);

/**
 * Connects with MQTT 5, or MQTT 3.1.1 when the broker refuses 5, and resolves with the link once in; a
 * refusal becomes a readable error. A connection lost later is retried in the background (`hq watch`
 * keeps watching through a broker restart); `stop()` the link when done.
 */
export async function loginToBroker(login: BrokerLogin): Promise<MqttLink> {
  const link = new MqttLink({
    ...login,
    clientId: login.clientId ?? (() => `${login.clientIdPrefix}-${randomBytes(4).toString('hex')}`),
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    // A dropped connection is retried about every second, as a person watching expects.
    backoff: login.backoff ?? { initialMs: 1_000, maxMs: 1_000 },
    ...(login.events ? { events: login.events } : {}),
  });
  try {
    // A little longer than the CONNACK timeout: MQTT.js' own answer is the more precise one.
    await link.open(CONNECT_TIMEOUT_MS + 1_000);
    return link;
  } catch (error) {
    throw explain(error, login);
  }
}

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | undefined)?.code;
}

function explain(error: unknown, login: BrokerLogin): Error {
  // Shown to a person, logged, and sent to HQ in the self-test: never with a password written into it.
  const url = withoutCredentials(login.url);
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'number' && AUTH_REFUSED.has(code)) {
    const who = login.username === undefined ? 'without a username' : `as "${login.username}"`;
    const hint =
      login.password === undefined && login.tls?.cert === undefined
        ? ` (no password given: ${login.hints.noPassword})`
        : ` (${login.hints.refused})`;
    return new Error(`the MQTT broker at ${url} refused the login ${who}: ${message}${hint}`);
  }
  if (protocolRefused(error)) {
    return new Error(`the MQTT broker at ${url} speaks neither MQTT 5 nor 3.1.1: ${message}`);
  }
  if (code === 'ECONNREFUSED') {
    return new Error(`cannot reach the MQTT broker at ${url}: connection refused (is it running?)`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new Error(`cannot reach the MQTT broker at ${url}: host not found`);
  }
  if (error instanceof MqttTimeoutError || /timeout/i.test(message)) {
    return new Error(`cannot reach the MQTT broker at ${url}: ${message}`);
  }
  return new Error(`cannot connect to the MQTT broker at ${url}: ${message}`);
}
