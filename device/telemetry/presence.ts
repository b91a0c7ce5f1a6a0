import type { MqttClient } from 'mqtt';
import type { MqttSession } from '../../common/mqtt/link.js';
import { newEventId } from './event-id.js';

export interface PresenceOptions {
  /** The kiosk's `status` topic. */
  topic: string;
  /** The kiosk software version. */
  version: string;
  /** How long the broker waits after a lost connection before publishing `offline` (a blip is not an outage). */
  willDelaySeconds?: number;
  now: () => number;
}

/**
 * The kiosk's presence on `status` (retained, QoS 1): `online` on every connect, `offline` as the last
 * will the broker publishes for a lost connection, and `offline` published by the kiosk itself on a clean
 * stop (the will is not sent then).
 *
 * The session that carries the will: `clean: false` with a short Session Expiry (will delay + 30 s). MQTT 5
 * publishes the will when the session *ends* even if the will delay has not passed, so with a session that
 * ends at disconnect (clean start, expiry 0) the will delay would do nothing. Resuming the session within
 * the delay is what tells the broker "no outage". The session is kept short so the broker holds no state
 * for a dead kiosk and no stale HQ command waits a long time for it; durability lives in the outbox, not in
 * the broker session. (Mosquitto 2.0 delays the will even for a session that ends at once; EMQX and
 * HiveMQ follow the spec, so the expiry matters in production even though the Mosquitto tests cannot
 * show it.)
 */
export class Presence {
  readonly bootId = newEventId();
  private readonly startedAt: string;

  constructor(private readonly options: PresenceOptions) {
    this.startedAt = new Date(options.now()).toISOString();
  }

  /** The session and will of the connection that will be number `session`, in that protocol version. */
  session(protocolVersion: 4 | 5, session: number): MqttSession {
    const v5 = protocolVersion === 5;
    const willDelay = Math.max(0, Math.round(this.options.willDelaySeconds ?? 30));
    return {
      // 3.1.1 has no session expiry: a persistent session there would live forever, so start clean.
      clean: !v5,
      ...(v5
        ? { properties: { sessionExpiryInterval: willDelay + 30, requestProblemInformation: true } }
        : {}),
      will: {
        topic: this.options.topic,
        // Built before the CONNACK, so it carries the number this connection will get.
        payload: Buffer.from(JSON.stringify(this.status('offline', session))),
        qos: 1,
        retain: true,
        ...(v5 ? { properties: { willDelayInterval: willDelay } } : {}),
      },
    };
  }

  /** First thing on every connect: a broker restart without persistence forgets retained messages. */
  announce(client: MqttClient, session: number): void {
    client.publish(this.options.topic, JSON.stringify(this.status('online', session)), {
      qos: 1,
      retain: true,
    });
  }

  /** The `offline` of a clean stop, acknowledged by the broker. */
  farewell(client: MqttClient, session: number): Promise<unknown> {
    return client.publishAsync(this.options.topic, JSON.stringify(this.status('offline', session)), {
      qos: 1,
      retain: true,
    });
  }

  private status(state: 'online' | 'offline', session: number): Record<string, unknown> {
    return {
      state,
      version: this.options.version,
      bootId: this.bootId,
      startedAt: this.startedAt,
      // Like Sparkplug's bdSeq: HQ can tell a late will of an older session from the current one.
      session,
    };
  }
}
