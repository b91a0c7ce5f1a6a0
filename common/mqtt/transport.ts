import type { MqttClient } from 'mqtt';

// Small facts about the socket under every MQTT client of ours (kiosk link, relay, hq watch).

/**
 * TCP_NODELAY on the client's socket. MQTT.js leaves Nagle's algorithm on, so a small packet sent while
 * the previous one is unacknowledged waits for the broker's delayed ACK (~40 ms): a SUBSCRIBE the kiosk
 * awaits before creating a payment, or a relayed webhook, would wait that long for nothing.
 */
export function sendSmallPacketsAtOnce(client: MqttClient): void {
  (client.stream as { setNoDelay?: (noDelay: boolean) => void }).setNoDelay?.(true);
}

/** The broker URL without credentials, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(invalid url)';
  }
}
