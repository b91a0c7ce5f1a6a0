import { describe, expect, it } from 'vitest';
import { PHONE_ENTRY_POLICY, PhoneEntryLimit } from '../../device/checkout/phone-entry-limit.js';

// Times are explicit numbers on the limit's own clock: nothing here waits.
const SECOND = 1_000;
const MINUTE = 60 * SECOND;

describe('the phone keypad limit', () => {
  it('takes three numbers a minute, then pauses until the minute has passed and 30 s at least', () => {
    const limit = new PhoneEntryLimit();
    expect([0, 5, 10].map((s) => limit.take(s * SECOND))).toEqual([0, 0, 0]);
    expect(limit.take(20 * SECOND)).toBe(40 * SECOND);
    expect(limit.take(59 * SECOND)).toBe(1 * SECOND);
    expect(limit.take(60 * SECOND)).toBe(0);
  });

  it('doubles each pause that follows soon after another, up to ten minutes', () => {
    const limit = new PhoneEntryLimit();
    let now = 0;
    const pauses: number[] = [];
    for (let round = 0; round < 8; round++) {
      // A prober submits as fast as the keypad lets it: every number it can, then the one refused.
      for (let wait = limit.take(now); wait === 0; wait = limit.take(now)) now += SECOND;
      const pause = limit.take(now);
      pauses.push(pause);
      now += pause;
    }
    expect(pauses.map((ms) => ms / SECOND)).toEqual([57, 60, 120, 240, 480, 600, 600, 600]);
  });

  it('forgives after half an hour without a pause, so the next customer starts afresh', () => {
    const limit = new PhoneEntryLimit();
    for (const at of [0, 1, 2]) limit.take(at * SECOND);
    const first = limit.take(3 * SECOND);
    for (const at of [0, 1, 2]) limit.take(3 * SECOND + first + at * SECOND + MINUTE);
    const second = limit.take(3 * SECOND + first + 3 * SECOND + MINUTE);
    expect(second).toBe(60 * SECOND);
    const later = 3 * SECOND + first + 3 * SECOND + MINUTE + second + PHONE_ENTRY_POLICY.forgiveAfterMs;
    for (const at of [0, 1, 2]) expect(limit.take(later + at * SECOND)).toBe(0);
    expect(limit.take(later + 3 * SECOND)).toBe(57 * SECOND);
  });
});
