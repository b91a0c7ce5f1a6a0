import { describe, expect, it } from 'vitest';
import { Backoff } from '../../common/backoff.js';

describe('reconnect backoff', () => {
  it('doubles up to the cap, with half of each step random', () => {
    const low = new Backoff({ initialMs: 1_000, maxMs: 60_000, random: () => 0 });
    const high = new Backoff({ initialMs: 1_000, maxMs: 60_000, random: () => 0.999_999 });
    const lows = Array.from({ length: 10 }, () => low.next());
    const highs = Array.from({ length: 10 }, () => high.next());
    expect(lows).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000]);
    expect(highs).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000]);
  });

  it('starts over after reset, and never retries at once', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1_000 });
    for (let i = 0; i < 50; i++) expect(backoff.next()).toBeGreaterThanOrEqual(50);
    backoff.reset();
    expect(backoff.next()).toBeLessThanOrEqual(100);
  });
});
