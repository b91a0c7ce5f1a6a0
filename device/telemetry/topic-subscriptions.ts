import type { MqttClient } from 'mqtt';
import { type MqttLink, withTimeout } from '../../common/mqtt/link.js';

/**
 * Exact topics the kiosk listens to besides HQ's commands (the relayed webhook hints of a payment in
 * flight), renewed on every connect until unsubscribed.
 */
export class TopicSubscriptions {
  private readonly handlers = new Map<string, (payload: Buffer) => void>();

  constructor(private readonly link: MqttLink) {}

  /**
   * Subscribes to one exact topic (QoS 1) and resolves once the broker granted it (SUBACK). Rejects when
   * not connected, when the broker refuses (ACL), or after `timeoutMs`; the subscription is still kept
   * and renewed on every connect until `unsubscribe`, so a later connection delivers what comes then.
   */
  async subscribe(topic: string, onMessage: (payload: Buffer) => void, timeoutMs: number): Promise<void> {
    this.handlers.set(topic, onMessage);
    const client = this.link.client;
    if (!client) throw new Error('not connected to the MQTT broker');
    const granted = await withTimeout(client.subscribeAsync(topic, { qos: 1 }), timeoutMs);
    const code = granted[0]?.qos;
    // Every failure code of a SUBACK is 0x80 or above (0x87: not authorized by the broker's ACL).
    if (code === undefined || code >= 0x80)
      throw new Error(
        `the MQTT broker refused the subscription to ${topic} (code 0x${(code ?? 0x80).toString(16)})`,
      );
  }

  unsubscribe(topic: string): void {
    if (!this.handlers.delete(topic)) return;
    this.link.client?.unsubscribe(topic);
  }

  /** A new connection: ask for every topic again. */
  renew(client: MqttClient): void {
    if (this.handlers.size > 0) client.subscribe([...this.handlers.keys()], { qos: 1 });
  }

  /** Hands the message to its handler; false when the topic is not one of these. */
  deliver(topic: string, payload: Buffer): boolean {
    const handler = this.handlers.get(topic);
    if (!handler) return false;
    handler(payload);
    return true;
  }
}
