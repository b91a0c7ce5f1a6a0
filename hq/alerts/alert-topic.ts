import type { MqttClient } from 'mqtt';
import type { Logger } from '../../common/log/logger.js';
import type { HqAlertPayload } from '../../contracts/telemetry.js';
import { HQ_ALERTS_TOPIC } from '../../contracts/topics.js';

// HQ's alert topic as the collector publishes it: QoS 1, not retained (contracts/asyncapi.yaml says
// why). A publication is never awaited where it is made: the collector publishes while it handles a
// message, and MQTT.js reads nothing more (no PUBACK either) until that message is handled. What
// could not go out (no connection, a connection lost before the PUBACK) waits here for the next
// connection: at least once, like every QoS 1 message.

/** Changes kept while the broker is away; past this the oldest go (they stay in the database). */
const MAX_WAITING = 10_000;

export class AlertTopic {
  private readonly waiting: HqAlertPayload[] = [];

  constructor(
    /** The connected client, if one is. */
    private readonly client: () => MqttClient | undefined,
    private readonly logger: Logger,
  ) {}

  get backlog(): number {
    return this.waiting.length;
  }

  publish(alert: HqAlertPayload): void {
    this.waiting.push(alert);
    if (this.waiting.length > MAX_WAITING) {
      this.waiting.shift();
      this.logger.warn('dropped the oldest alert waiting for the broker; it is in the database', {
        waiting: MAX_WAITING,
      });
    }
    this.flush();
  }

  /** Sends what waits; called again on every connection. */
  flush(): void {
    const client = this.client();
    if (!client) return;
    for (const alert of this.waiting.splice(0)) {
      client.publish(HQ_ALERTS_TOPIC, JSON.stringify(alert), { qos: 1, retain: false }, (error) => {
        if (!error) return;
        this.logger.warn('an alert could not be published; it goes again on the next connection', {
          code: alert.code,
          error: error.message,
        });
        this.waiting.unshift(alert);
      });
    }
  }
}
