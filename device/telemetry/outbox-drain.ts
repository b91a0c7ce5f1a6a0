import type { MqttClient } from 'mqtt';
import type { Logger } from '../../common/log/logger.js';
import type { MqttLink } from '../../common/mqtt/link.js';
import type { Outbox, OutboxEvent } from './outbox.js';
import { TokenBucket } from './token-bucket.js';

export interface OutboxDrainOptions {
  /** The topic of an event type (`events/{type}`). */
  topic: (type: string) => string;
  /** Events drained from the outbox per second at most, so a backlog after an outage does not flood HQ. */
  eventsPerSecond?: number;
  /** Events published and not yet acknowledged (PUBACK) at most. */
  maxInflight?: number;
  logger: Logger;
  now: () => number;
}

/**
 * Publishes the outbox's events in order at QoS 1, at most `maxInflight` unacknowledged and at most
 * `eventsPerSecond` (a token bucket), and acks each in the outbox only on its PUBACK. Each connection
 * drains from the head: what was in flight when a connection dropped goes again on the next one (HQ
 * de-duplicates by id).
 */
export class OutboxDrain {
  /** The seq of the last event handed to the client on this connection. */
  private cursor = 0;
  private readonly inflight = new Set<string>();
  private readonly rate: TokenBucket;
  private readonly maxInflight: number;
  private timer: NodeJS.Timeout | undefined;
  private acked = 0;

  constructor(
    private readonly link: MqttLink,
    private readonly outbox: Outbox,
    private readonly options: OutboxDrainOptions,
  ) {
    this.maxInflight = options.maxInflight ?? 10;
    this.rate = new TokenBucket(options.eventsPerSecond ?? 50, this.maxInflight);
  }

  /** Events published and awaiting their PUBACK. */
  get inflightCount(): number {
    return this.inflight.size;
  }

  /** Events the broker acknowledged since start. */
  get eventsAcked(): number {
    return this.acked;
  }

  /** A new connection: start again from the head of the outbox. */
  connected(): void {
    this.cursor = 0;
    this.inflight.clear();
    this.drain();
  }

  /** The connection is gone (or being closed): unacknowledged events stay in the outbox for the next one. */
  stop(): void {
    this.inflight.clear();
    clearTimeout(this.timer);
    // A stale handle would make drain() think a timer is pending after a later start.
    this.timer = undefined;
  }

  /** Publishes what the window and the rate allow now; called on every enqueue, connect and PUBACK. */
  drain(): void {
    const client = this.link.client;
    if (!client || this.timer) return;
    const room = Math.min(this.maxInflight - this.inflight.size, this.rate.available(this.options.now()));
    if (room <= 0) {
      if (this.inflight.size < this.maxInflight) {
        // Out of tokens, not of window: come back when the next token is due.
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.drain();
        }, this.rate.untilNext());
      }
      return; // a full window resumes on the next PUBACK
    }
    for (const event of this.outbox.next(room, this.cursor)) {
      this.cursor = event.seq;
      this.rate.take();
      this.inflight.add(event.id);
      client.publish(this.options.topic(event.type), JSON.stringify(envelope(event)), { qos: 1 }, (error) =>
        this.onPuback(client, event, error),
      );
    }
  }

  private onPuback(client: MqttClient, event: OutboxEvent, error: Error | undefined): void {
    // The answer of an older connection: its in-flight set is gone, the event goes again on this one.
    if (client !== this.link.client || !this.inflight.delete(event.id)) return;
    if (error) {
      // The broker refused it (a PUBACK reason code, e.g. not authorized): keep it, drop the connection,
      // and retry from the head after the backoff — a field tech sees this in the log until the ACL is fixed.
      this.options.logger.error('the MQTT broker refused an event; it stays in the outbox', {
        type: event.type,
        id: event.id,
        error: error.message,
      });
      this.link.drop();
      return;
    }
    this.outbox.ack(event.id);
    this.acked += 1;
    this.drain();
  }
}

/** What HQ receives for an event: the id to de-duplicate by, the type, the class, when, and the payload. */
function envelope(event: OutboxEvent): Record<string, unknown> {
  return {
    id: event.id,
    type: event.type,
    class: event.class,
    at: new Date(event.createdAt).toISOString(),
    payload: event.payload,
  };
}
