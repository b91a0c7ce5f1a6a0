import { randomBytes } from 'node:crypto';
import type { Logger } from '../../common/log/logger.js';
import { MqttLink } from '../../common/mqtt/link.js';
import type { RelayedEvent } from '../../contracts/relayed-event.js';

export interface RelayPublisherOptions {
  url: string;
  username?: string;
  password?: string;
  ca?: string | Buffer;
  logger: Logger;
  /** Event ids remembered per replica to drop Vipps' duplicates; the oldest are forgotten first. */
  rememberedIds?: number;
}

export interface RelayPublisherStats {
  connected: boolean;
  published: number;
  acknowledged: number;
  duplicates: number;
  failed: number;
}

/**
 * The relay's MQTT side: QoS 1, not retained, one client per replica (its own random client id, a clean
 * session: nothing on the broker outlives a replica). De-duplication is per replica, in a bounded
 * in-memory set of event ids; two replicas that each take a copy of the same delivery both publish it,
 * with the same `id`, and the kiosk's reaction to a second copy is one more read of the payment.
 */
export class RelayPublisher {
  private link: MqttLink | undefined;
  private readonly seen = new Map<string, true>();
  private published = 0;
  private acknowledged = 0;
  private duplicates = 0;
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
        lost: () => options.logger.warn('lost the MQTT broker; deliveries get 503 until it is back'),
      },
    });
    link.start();
    this.link = link;
  }

  async stop(): Promise<void> {
    const link = this.link;
    this.link = undefined;
    await link?.stop();
  }

  get connected(): boolean {
    return this.link?.connected === true;
  }

  /** Publishes the event unless this replica published the same id already; resolves on PUBACK. */
  publish(event: RelayedEvent): Promise<void> {
    if (this.seen.has(event.id)) {
      this.duplicates += 1;
      return Promise.resolve();
    }
    if (!this.link) return Promise.reject(new Error('the relay is stopped'));
    const client = this.link.client;
    if (!client) return Promise.reject(new Error('the relay is not connected to the MQTT broker'));
    this.remember(event.id);
    this.published += 1;
    return client.publishAsync(event.topic, JSON.stringify(event.payload), { qos: 1, retain: false }).then(
      () => {
        this.acknowledged += 1;
      },
      (error: unknown) => {
        // Forgotten again, so Vipps' next attempt of the same event is published rather than dropped.
        this.seen.delete(event.id);
        this.failed += 1;
        throw error;
      },
    );
  }

  stats(): RelayPublisherStats {
    return {
      connected: this.connected,
      published: this.published,
      acknowledged: this.acknowledged,
      duplicates: this.duplicates,
      failed: this.failed,
    };
  }

  private remember(id: string): void {
    this.seen.set(id, true);
    const limit = this.options.rememberedIds ?? 10_000;
    // A Map iterates in insertion order: the first key is the oldest.
    while (this.seen.size > limit) this.seen.delete(this.seen.keys().next().value as string);
  }
}
