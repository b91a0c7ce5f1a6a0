import type { IClientOptions, MqttClient } from 'mqtt';
import type { Logger } from '../../common/log/logger.js';
import { CONNECT_TIMEOUT_MS, loginToBroker } from '../../common/mqtt/broker-connection.js';
import { type BrokerEndpoint, type MqttLink, withTimeout } from '../../common/mqtt/link.js';
import { TOPIC_ROOT } from '../../contracts/topics.js';
import { type TelemetryRecord, telemetryRecord } from './telemetry-record.js';
import type { SaveOutcome, TelemetryStore } from './telemetry-store.js';

// HQ's collector: every kiosk's events, presence, health and state, from the broker into the database.
//
// No message is lost when a collector dies: each is acknowledged (PUBACK) only once its row is
// committed (MqttLink's `handleMessage`, MQTT.js' hook that holds the PUBACK until it calls back), and
// the session is persistent under a fixed client id, so what a killed replica had not acknowledged,
// and what the broker queued for it meanwhile, comes to the replica that starts with its identity.
// No message is stored twice: rows are keyed by what the kiosk sent (the event id; boot and session
// for presence), so a redelivery is an insert that does nothing.
// Replicas share the stream by an MQTT 5 shared subscription, `$share/{group}/...`: the broker gives
// each message to one replica of the group.
// Alerts (hq/alerts/) follow each stored message before it is acknowledged, and a sweep on a timer;
// the changes are published on HQ's alert topic over this same connection.

/** The kiosk topics collected, under `vk/v1/{site}/{device}/`; commands and answers are not kept. */
const COLLECTED = ['events/+', 'status', 'state', 'health'] as const;

/**
 * How long the broker keeps a replica's session (and queues its share of the messages) while it is
 * away: a week, time for a person to bring a host back. A replica retired for good leaves its queued
 * messages to expire with it, so retire one by stopping it cleanly after its group has others.
 */
export const SESSION_EXPIRY_SECONDS = 7 * 24 * 3_600;

const GROUP = /^[A-Za-z0-9_-]{1,64}$/;

/** The topic filters a collector subscribes to: shared in `group` when one is given. */
export function collectorFilters(group: string | undefined): string[] {
  if (group !== undefined && !GROUP.test(group))
    throw new Error(`the group "${group}" cannot be a shared subscription: use letters, digits, - and _`);
  return COLLECTED.map((rest) => `${group === undefined ? '' : `$share/${group}/`}${TOPIC_ROOT}/+/+/${rest}`);
}

export interface CollectorOptions {
  broker: BrokerEndpoint;
  /** The replica's identity on the broker: its persistent session is found again by it. */
  clientId: string;
  /** The shared subscription group; without one the collector takes every message alone. */
  group: string | undefined;
  store: TelemetryStore;
  logger: Logger;
  /** HQ's alert rules (hq/alerts/hq-alerts.ts); none: no alerts. */
  alerts?: StoredMessageFollower;
}

/** What runs after each stored message, and publishes on the collector's connection: HQ's alert rules. */
export interface StoredMessageFollower {
  /** `client`: the collector's connected client, if one is. */
  start(client: () => MqttClient | undefined): void;
  /** The broker connection is up again: what waited to be published can go. */
  connected(): void;
  /** Before the message is acknowledged; a rejection has the broker send it again. */
  onRecord(record: TelemetryRecord): Promise<void>;
  stop(): void;
}

export class Collector {
  readonly counts: Record<SaveOutcome, number> = { stored: 0, duplicate: 0, unreadable: 0, ignored: 0 };
  private link: MqttLink | undefined;

  constructor(private readonly options: CollectorOptions) {}

  /** Logs in and subscribes; rejects with a readable error when the broker refuses either. */
  async start(): Promise<void> {
    const { broker, clientId, logger } = this.options;
    const filters = collectorFilters(this.options.group);
    const session = (protocolVersion: 4 | 5): Pick<IClientOptions, 'clean' | 'properties'> =>
      protocolVersion === 5
        ? { clean: false, properties: { sessionExpiryInterval: SESSION_EXPIRY_SECONDS } }
        : { clean: false };
    this.link = await loginToBroker({
      ...broker,
      clientId,
      clientIdPrefix: clientId,
      session,
      logger: logger.child('mqtt'),
      // A database or broker outage is retried, backing off to a try every 30 s.
      backoff: { initialMs: 1_000, maxMs: 30_000 },
      hints: { noPassword: 'set VK_HQ_PASSWORD', refused: 'check --username and VK_HQ_PASSWORD' },
      handleMessage: (topic, payload) => this.handle(topic, payload),
      events: {
        // The session keeps the subscriptions; asking again covers a session the broker let expire.
        connected: (client, count) => {
          if (count > 1) void client.subscribeAsync(filters, { qos: 1 }).catch(() => {});
          this.options.alerts?.connected();
        },
      },
    });
    await this.subscribe(filters);
    // The session outlives the process: an identity that once ran alone still holds the plain filters,
    // and would take every message on top of its share. (A former group's filters stay until the
    // session expires; the rows stay single either way, only the work doubles.)
    if (this.options.group !== undefined)
      await this.link.client?.unsubscribeAsync(collectorFilters(undefined)).catch(() => {});
    this.options.alerts?.start(() => this.link?.client);
  }

  /** The first subscription, awaited: a refusal is the broker's ACL or its MQTT version, for a person to fix. */
  private async subscribe(filters: string[]): Promise<void> {
    const { url } = this.options.broker;
    const client = this.link?.client;
    if (!client) throw new Error(`lost the MQTT broker at ${url} right after logging in`);
    const granted = await withTimeout(
      client.subscribeAsync(filters, { qos: 1 }),
      CONNECT_TIMEOUT_MS,
      `the MQTT broker at ${url} did not answer the subscription within ${CONNECT_TIMEOUT_MS / 1000} s`,
    );
    // Every failure code is >= 0x80: 0x87 not authorized, 0x9e shared subscriptions not supported.
    const refused = filters.filter((_, i) => (granted[i]?.qos ?? 0x80) >= 0x80);
    if (refused.length > 0)
      throw new Error(
        `the MQTT broker at ${url} refused the subscription to ${refused.join(', ')}: the collector's ` +
          'identity needs read access to vk/v1/# (the collector role in the fleet file, hq broker-config)' +
          (this.options.group === undefined
            ? ''
            : ', and --group needs a broker with MQTT 5 shared subscriptions'),
      );
  }

  async stop(): Promise<void> {
    this.options.alerts?.stop();
    await this.link?.stop();
  }

  private async handle(topic: string, payload: Buffer): Promise<void> {
    const record = telemetryRecord(topic, payload);
    const outcome = await this.options.store.save(record, topic, payload);
    this.counts[outcome] += 1;
    // A redelivery (duplicate) runs the rules again: the first time may have failed after the row.
    if (outcome === 'stored' || outcome === 'duplicate') await this.options.alerts?.onRecord(record);
    if (record.kind === 'unreadable')
      this.options.logger.warn('kept a message that could not be read', { topic, problem: record.problem });
  }
}
