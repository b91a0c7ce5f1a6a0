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
  /** 5 unless the broker speaks only MQTT 3.1.1 (the demo's embedded broker). */
  protocolVersion?: 4 | 5;
  logger: Logger;
}

export interface RelayPublisherStats {
  connected: boolean;
  published: number;
  acknowledged: number;
  failed: number;
}

/**
 * The relay's MQTT side: QoS 1, not retained, one client per replica (its own random client id, a clean
 * session: nothing on the broker outlives a replica). It publishes what it is given: the relay drops
 * copies of an event before they get here (hq/webhook-relay/recent-events.ts).
 */
export class RelayPublisher {
  private client: MqttClient | undefined;
  private published = 0;
  private acknowledged = 0;
  private failed = 0;

  constructor(private readonly options: RelayPublisherOptions) {}

  start(): void {
    if (this.client) return;
    const { options } = this;
    const clientOptions: IClientOptions = {
      clientId: `vk-hq-relay-${randomBytes(6).toString('hex')}`,
      protocolVersion: options.protocolVersion ?? 5,
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

  /** Publishes the event; resolves on PUBACK. */
  publish(event: RelayedEvent): Promise<void> {
    const client = this.client;
    if (!client) return Promise.reject(new Error('the relay is stopped'));
    this.published += 1;
    return client.publishAsync(event.topic, JSON.stringify(event.payload), { qos: 1, retain: false }).then(
      () => {
        this.acknowledged += 1;
      },
      (error: unknown) => {
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
      failed: this.failed,
    };
  }
}
