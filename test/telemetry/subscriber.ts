import { connectAsync, type MqttClient } from 'mqtt';
import type { Mosquitto } from './mosquitto.js';

export interface Received {
  topic: string;
  text: string;
  retain: boolean;
  qos: number;
  at: number;
}

/**
 * HQ's side in the tests: a client that records everything it receives. `persistent` gives it a
 * session that outlives a broker restart (clean: false, long session expiry, QoS 1), so messages queued
 * for it while it reconnects are not lost — as HQ's own consumer should be set up.
 */
export class Subscriber {
  readonly messages: Received[] = [];

  private constructor(readonly client: MqttClient) {}

  static async connect(
    broker: Mosquitto,
    filters: string[],
    options: { clientId?: string; persistent?: boolean } = {},
  ): Promise<Subscriber> {
    const client = await connectAsync(broker.url, {
      clientId: options.clientId ?? `hq-test-${Math.random().toString(36).slice(2, 10)}`,
      username: broker.username,
      password: broker.password,
      protocolVersion: 5,
      clean: !options.persistent,
      ...(options.persistent ? { properties: { sessionExpiryInterval: 600 } } : {}),
      reconnectPeriod: 100,
    });
    client.on('error', () => {}); // reconnect errors while the broker restarts are expected
    const subscriber = new Subscriber(client);
    client.on('message', (topic, payload, packet) => {
      subscriber.messages.push({
        topic,
        text: payload.toString(),
        retain: packet.retain,
        qos: packet.qos,
        at: Date.now(),
      });
    });
    await client.subscribeAsync(filters, { qos: 1 });
    return subscriber;
  }

  on(topic: string): Received[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  json<T = Record<string, unknown>>(topic: string): T[] {
    return this.on(topic).map((m) => JSON.parse(m.text) as T);
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
