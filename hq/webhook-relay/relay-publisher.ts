import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import type { Logger } from '../../common/log/logger.js';
import { MqttLink } from '../../common/mqtt/link.js';
import type { RelayedEvent } from '../../contracts/relayed-event.js';

export interface RelayPublisherOptions {
  url: string;
  username?: string;
  password?: string;
  ca?: string | Buffer;
  logger: Logger;
  /** How long a publish cut off by a lost connection waits for the link to come back (default 30 s). */
  republishWithinMs?: number;
}

export interface RelayPublisherStats {
  connected: boolean;
  published: number;
  acknowledged: number;
  /** Publishes cut off by a lost connection and sent again once the link was back. */
  republished: number;
  failed: number;
}

/**
 * The relay's MQTT side: QoS 1, not retained, one client per replica (its own random client id, a clean
 * session: nothing on the broker outlives a replica). It publishes what it is given: the relay drops
 * copies of an event before they get here (hq/webhook-relay/recent-events.ts). The relay has answered
 * Vipps 200 before it publishes, so Vipps will not send the event again: a publish cut off by a lost
 * connection is sent once more when the link is back, within `republishWithinMs`.
 */
export class RelayPublisher {
  private link: MqttLink | undefined;
  private readonly waitingForLink = new Set<(client: MqttClient | undefined) => void>();
  private published = 0;
  private acknowledged = 0;
  private republished = 0;
  private failed = 0;

  constructor(private readonly options: RelayPublisherOptions) {}

  start(): void {
    if (this.link) return;
    const { options } = this;
    const link = new MqttLink({
      url: options.url,
      username: options.username,
      password: options.password,
      tls: options.ca !== undefined ? { ca: options.ca } : undefined,
      clientId: `vk-hq-relay-${randomBytes(6).toString('hex')}`,
      connectTimeoutMs: 5_000,
      // About a second between attempts, as before the shared link; the jitter spreads the replicas.
      backoff: { initialMs: 1_000, maxMs: 1_000 },
      logger: options.logger,
      events: {
        connected: (client) => this.linkIsBack(client),
        lost: () => options.logger.warn('lost the MQTT broker; deliveries get 503 until it is back'),
      },
    });
    link.start();
    this.link = link;
  }

  async stop(): Promise<void> {
    const link = this.link;
    this.link = undefined;
    this.linkIsBack(undefined);
    await link?.stop();
  }

  get connected(): boolean {
    return this.link?.connected === true;
  }

  /** Publishes the event; resolves on PUBACK. */
  async publish(event: RelayedEvent): Promise<void> {
    const client = this.link?.client;
    if (!client) throw new Error('the relay is not connected to the MQTT broker');
    this.published += 1;
    try {
      await this.send(client, event);
    } catch (cutOff) {
      const again = await this.nextLink();
      if (!again) {
        this.failed += 1;
        throw cutOff;
      }
      this.republished += 1;
      try {
        await this.send(again, event);
      } catch (error) {
        this.failed += 1;
        throw error;
      }
    }
    this.acknowledged += 1;
  }

  stats(): RelayPublisherStats {
    return {
      connected: this.connected,
      published: this.published,
      acknowledged: this.acknowledged,
      republished: this.republished,
      failed: this.failed,
    };
  }

  private async send(client: MqttClient, event: RelayedEvent): Promise<void> {
    await client.publishAsync(event.topic, JSON.stringify(event.payload), { qos: 1, retain: false });
  }

  /** The client of the next connection, or undefined when the relay stops or it takes too long. */
  private nextLink(): Promise<MqttClient | undefined> {
    if (!this.link) return Promise.resolve(undefined);
    const { client } = this.link;
    if (client && this.link.connected) return Promise.resolve(client);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(undefined), this.options.republishWithinMs ?? 30_000);
      const done = (next: MqttClient | undefined) => {
        clearTimeout(timer);
        this.waitingForLink.delete(done);
        resolve(next);
      };
      this.waitingForLink.add(done);
    });
  }

  private linkIsBack(client: MqttClient | undefined): void {
    for (const waiting of [...this.waitingForLink]) waiting(client);
  }
}
