import type { MqttLink } from '../../common/mqtt/link.js';

export interface RetainedStateOptions {
  /** The kiosk's `state` topic. */
  topic: string;
  /** At most one retained `state` per this many ms; changes in between are coalesced to the latest. */
  minIntervalMs?: number;
  now: () => number;
}

/**
 * The retained `state`: published only when it differs from the last one, at most once per
 * `minIntervalMs` (the latest wins), and again on every connect, because a broker without persistence
 * forgets retained messages when it restarts (z2m #9629).
 */
export class RetainedState {
  // The latest wanted, the latest the broker has, and when it was sent.
  private wanted: string | undefined;
  private sent: string | undefined;
  private sentAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private publishedCount = 0;

  constructor(
    private readonly link: MqttLink,
    private readonly options: RetainedStateOptions,
  ) {}

  /** States handed to the broker so far. */
  get published(): number {
    return this.publishedCount;
  }

  /** The state as JSON text; the same text again is no change. */
  set(text: string): void {
    if (text === this.wanted) return;
    this.wanted = text;
    this.flush();
  }

  /** A new connection: republish whatever the broker had. */
  connected(): void {
    if (this.wanted === undefined) return;
    this.sent = undefined;
    this.sentAt = Number.NEGATIVE_INFINITY;
    this.flush();
  }

  stop(): void {
    clearTimeout(this.timer);
    // A stale handle would make flush() think a timer is pending after a later start.
    this.timer = undefined;
  }

  private flush(): void {
    const client = this.link.client;
    if (this.wanted === undefined || this.wanted === this.sent) return;
    if (!client || this.timer) return;
    const wait = this.sentAt + (this.options.minIntervalMs ?? 2_000) - this.options.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, wait);
      return;
    }
    const text = this.wanted;
    this.sent = text;
    this.sentAt = this.options.now();
    this.publishedCount += 1;
    client.publish(this.options.topic, text, { qos: 1, retain: true });
  }
}
