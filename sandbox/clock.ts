// Sandbox time. Payment expiry, token lifetime and rate-limit windows all read this clock, so a test can
// jump five minutes ahead (or run the world at 60x) without waiting in real time.

export class SandboxClock {
  private anchorRealMs: number;
  private anchorVirtualMs: number;
  private speed = 1;

  constructor(
    startMs: number = Date.now(),
    private readonly realNow: () => number = Date.now,
  ) {
    this.anchorRealMs = realNow();
    this.anchorVirtualMs = startMs;
  }

  /** Milliseconds since the epoch, in sandbox time. */
  now(): number {
    return Math.floor(this.anchorVirtualMs + (this.realNow() - this.anchorRealMs) * this.speed);
  }

  /** Jumps ahead. Never backwards: sliding windows and event logs assume time only moves forward. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`advance needs a finite, non-negative ms, got ${ms}`);
    }
    this.anchorVirtualMs += ms;
  }

  /** 0 freezes the clock, 1 is real time, 60 makes a minute pass every second. */
  setSpeed(factor: number): void {
    if (!Number.isFinite(factor) || factor < 0) {
      throw new RangeError(`speed must be finite and >= 0, got ${factor}`);
    }
    // Re-anchor first so the time already elapsed keeps the old speed.
    this.anchorVirtualMs = this.now();
    this.anchorRealMs = this.realNow();
    this.speed = factor;
  }

  getSpeed(): number {
    return this.speed;
  }
}
