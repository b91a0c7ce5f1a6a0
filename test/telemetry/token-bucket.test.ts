import { expect, it } from 'vitest';
import { TokenBucket } from '../../device/telemetry/token-bucket.js';

// The outbox drain's rate limit, on a clock the test turns by hand.

it('lets a full burst through at once, then one token per 1/rate second, never more than the burst', () => {
  const bucket = new TokenBucket(100, 5);
  let now = 0;
  expect(bucket.available(now)).toBe(5);
  for (let i = 0; i < 5; i++) bucket.take();
  expect(bucket.available(now)).toBe(0);
  expect(bucket.untilNext()).toBe(10);
  now += 9;
  expect(bucket.available(now)).toBe(0);
  expect(bucket.untilNext()).toBe(1);
  now += 1;
  expect(bucket.available(now)).toBe(1);
  bucket.take();
  now += 250; // 25 tokens' worth of time, but the bucket holds 5
  expect(bucket.available(now)).toBe(5);
});

it('30 events at 100/s with a burst of 5 take 250 ms of its clock', () => {
  const bucket = new TokenBucket(100, 5);
  let now = 0;
  let sent = 0;
  while (sent < 30) {
    const room = bucket.available(now);
    for (let i = 0; i < room; i++, sent++) bucket.take();
    if (sent < 30) now += bucket.untilNext();
  }
  expect(now).toBe(250);
});

it('refuses a rate that would never let anything through', () => {
  expect(() => new TokenBucket(0, 5)).toThrow(RangeError);
  expect(() => new TokenBucket(10, 0)).toThrow(RangeError);
});
