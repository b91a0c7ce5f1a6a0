import { randomBytes } from 'node:crypto';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from '../../common/log/logger.js';
import { redactUrl, sendSmallPacketsAtOnce } from '../../common/mqtt/transport.js';
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
  private client: MqttClient | undefined;
  private readonly seen = new Map<string, true>();
  private published = 0;
  private acknowledged = 0;
  private duplicates = 0;
  private failed = 0;

  constructor(private readonly options: RelayPublisherOptions) {}

  start(): void {
    if (this.client) return;
    const { options } = this;
    const clientOptions: IClientOptions = {
      clientId: `vk-hq-relay-${randomBytes(6).toString('hex')}`,
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 1_000,
      connectTimeout: 5_000,
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
    };
    const client = connect(options.url, clientOptions);
    client.on('connect', () => {
      sendSmallPacketsAtOnce(client);
      options.logger.info('connected to the MQTT broker', { url: redactUrl(options.url) });
    });
    client.on('close', () => {
      if (this.client === client)
        options.logger.warn('lost the MQTT broker; deliveries get 503 until it is back');
    });
    client.on('error', (error) =>
      options.logger.warn('MQTT broker connection failed', {
        url: redactUrl(options.url),
        error: error.message,
      }),
    );
    this.client = client;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await client.endAsync(false).catch(() => client.end(true));
  }

  get connected(): boolean {
    return this.client?.connected === true;
  }

  /** Publishes the event unless this replica published the same id already; resolves on PUBACK. */
  publish(event: RelayedEvent): Promise<void> {
    if (this.seen.has(event.id)) {
      this.duplicates += 1;
      return Promise.resolve();
    }
    const client = this.client;
    if (!client) return Promise.reject(new Error('the relay is stopped'));
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
