/**
 * Counts deliveries whose signature failed, per sender address, in fixed one-minute windows, and says
 * when a sender has failed too often: its next failures are answered 429 instead of 401 and not logged
 * one by one. It is consulted only after verification has failed, so a correctly signed delivery is never
 * held back — not even when Vipps and a forger reach the relay through the same proxy address.
 */
export class FailureLimiter {
  static readonly WINDOW_MS = 60_000;
  /** Senders tracked at once; beyond it the oldest window is dropped (a flood from many addresses). */
  static readonly MAX_SENDERS = 10_000;
  private readonly windows = new Map<string, { startedAt: number; failures: number }>();

  constructor(private readonly perMinute: number) {}

  /**
   * Records one failure of `sender` at `now`; returns undefined while within the limit, or the seconds
   * until its window ends once past it.
   */
  fail(sender: string, now: number): number | undefined {
    let window = this.windows.get(sender);
    if (window === undefined || now - window.startedAt >= FailureLimiter.WINDOW_MS) {
      this.windows.delete(sender);
      window = { startedAt: now, failures: 0 };
      this.windows.set(sender, window);
      if (this.windows.size > FailureLimiter.MAX_SENDERS)
        this.windows.delete(this.windows.keys().next().value as string);
    }
    window.failures += 1;
    if (window.failures <= this.perMinute) return undefined;
    return Math.ceil((window.startedAt + FailureLimiter.WINDOW_MS - now) / 1000);
  }
}
