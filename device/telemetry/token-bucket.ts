/**
 * A rate limit: `perSecond` on average, bursts of at most `burst`, on the caller's clock (so a test
 * can drive it without waiting). It starts full: the first burst goes at once.
 */
export class TokenBucket {
  private tokens = 0;
  private at = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    if (!(perSecond > 0 && burst >= 1))
      throw new RangeError('a rate limit needs a rate above 0 and a burst of 1 or more');
  }

  /** Whole tokens there are at `now` (milliseconds on the caller's clock). */
  available(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.perSecond) / 1000);
    this.at = now;
    return Math.floor(this.tokens);
  }

  take(): void {
    this.tokens -= 1;
  }

  /** Milliseconds from the last `available` until the next whole token (at least 1). */
  untilNext(): number {
    return Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.perSecond));
  }
}
