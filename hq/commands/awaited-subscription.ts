import { CONNECT_TIMEOUT_MS } from '../../common/mqtt/broker-connection.js';
import { type MqttLink, withTimeout } from '../../common/mqtt/link.js';

/**
 * An HQ command's first subscription, awaited before anything else happens (so no answer or fleet
 * message is missed): a refusal is the ACL's, for the person at HQ to fix, so it ends the command.
 */
export async function subscribeAwaited(link: MqttLink, topic: string, url: string): Promise<void> {
  const client = link.client;
  if (!client) throw new Error(`lost the MQTT broker at ${url} right after logging in`);
  const granted = await withTimeout(
    client.subscribeAsync(topic, { qos: 1 }),
    CONNECT_TIMEOUT_MS,
    `the MQTT broker at ${url} did not answer the subscription within ${CONNECT_TIMEOUT_MS / 1000} s`,
  );
  const qos = granted[0]?.qos;
  // 128 (0x80) and MQTT 5's 0x87 (not authorized) and friends: every failure code is >= 0x80.
  if (qos === undefined || qos >= 0x80) {
    throw new Error(
      `the MQTT broker at ${url} refused the subscription to ${topic}` +
        `${qos === undefined ? '' : ` (code 0x${qos.toString(16)})`}: the HQ user needs read access to it ` +
        '(its role in the fleet file, hq broker-config)',
    );
  }
}
