/**
 * How often the keypad may submit a phone number. Each number is looked up in the customer club (a member
 * goes straight to paying, anyone else is offered the club) and gets a payment push, so an unlimited
 * keypad would let someone standing at the kiosk, or a script driving it, learn who is a member and spam
 * strangers' phones. A customer types one number, maybe two after a typo; past `perWindow` numbers in a
 * rolling window the keypad pauses, and each pause that follows soon after another is twice as long.
 */
export interface PhoneEntryPolicy {
  /** Numbers taken in any `windowMs`. */
  perWindow: number;
  windowMs: number;
  /** The first pause; doubled for each further one until `maxPauseMs`. */
  firstPauseMs: number;
  maxPauseMs: number;
  /** A pause this long after the last one ended starts the doubling afresh. */
  forgiveAfterMs: number;
}

export const PHONE_ENTRY_POLICY: PhoneEntryPolicy = {
  perWindow: 3,
  windowMs: 60_000,
  firstPauseMs: 30_000,
  maxPauseMs: 10 * 60_000,
  forgiveAfterMs: 30 * 60_000,
};

export class PhoneEntryLimit {
  private taken: number[] = [];
  private pausedUntil = 0;
  private pauses = 0;
  private readonly policy: PhoneEntryPolicy;

  constructor(policy: PhoneEntryPolicy = PHONE_ENTRY_POLICY) {
    this.policy = policy;
  }

  /** Counts a submission at `now` and answers 0, or answers how many ms the keypad is still paused. */
  take(now: number): number {
    const { perWindow, windowMs, firstPauseMs, maxPauseMs, forgiveAfterMs } = this.policy;
    if (now < this.pausedUntil) return this.pausedUntil - now;
    if (this.pauses > 0 && now - this.pausedUntil >= forgiveAfterMs) this.pauses = 0;
    this.taken = this.taken.filter((at) => now - at < windowMs);
    if (this.taken.length < perWindow) {
      this.taken.push(now);
      return 0;
    }
    const pause = Math.min(maxPauseMs, firstPauseMs * 2 ** this.pauses);
    this.pauses += 1;
    // Never shorter than the window needs to free a place: the pause ends with a number allowed.
    this.pausedUntil = Math.max(now + pause, (this.taken[0] ?? now) + windowMs);
    return this.pausedUntil - now;
  }
}
