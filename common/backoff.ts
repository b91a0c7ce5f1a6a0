/**
 * Reconnect delays: exponential, with jitter, capped. MQTT.js only knows a fixed `reconnectPeriod`
 * (issues #561, #1742), so after a broker restart a whole fleet would reconnect in lock step and can
 * trip a broker's flapping ban (EMQX bans by client id). "Equal jitter": half the step fixed, half
 * random, so a kiosk never retries at once and the fleet spreads over the window.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** A number in [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 60_000 };

export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {}

  /** The delay before the next attempt; each call doubles the step until the cap. */
  next(): number {
    const step = Math.min(this.options.maxMs, this.options.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt += 1;
    const random = this.options.random ?? Math.random;
    return Math.round(step / 2 + random() * (step / 2));
  }

  reset(): void {
    this.attempt = 0;
  }
}
