import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VippsClient } from '../../device/vipps/client.js';
import { VippsUnavailableError } from '../../device/vipps/errors.js';
import type { RetryPolicy } from '../../device/vipps/retry.js';
import { ScriptedServer, tokenAnswer } from '../support/scripted-server.js';
import { testClient } from '../support/vipps-client.js';

// Issue 14, item 8: a Retry-After is honoured only up to a cap, and no retry loop runs past its deadline.
// A scripted server on loopback answers 429s; the client's clock moves only by the sleeps it asks for.

const credentials = {
  clientId: 'kiosk-client',
  clientSecret: 'not-a-real-secret',
  subscriptionKey: 'not-a-real-key',
  merchantSerialNumber: '123456',
};
const REFERENCE = 'kiosk-07-0000000001-1';
const busy = (seconds: string) => ({
  status: 429,
  headers: { 'retry-after': seconds },
  body: { title: 'Too many requests', status: 429 },
});

describe('retry limits', () => {
  let server: ScriptedServer;
  let client: VippsClient;
  let nowMs: number;
  const sleeps: number[] = [];

  const start = async (retry: RetryPolicy) => {
    client = testClient(await server.start(), credentials, {
      retry,
      now: () => nowMs,
      sleep: async (ms) => {
        sleeps.push(ms);
        nowMs += ms;
      },
    });
  };
  const gets = () => server.seen.filter((s) => s.path.startsWith('/epayment/v1/payments/'));

  beforeEach(() => {
    nowMs = Date.UTC(2026, 11, 7, 10);
    sleeps.length = 0;
    server = new ScriptedServer().enqueue(tokenAnswer('tok'));
  });
  afterEach(async () => {
    await client.stop();
    await server.stop();
  });

  it('waits no longer than the cap when Vipps asks for an hour', async () => {
    server.enqueue(busy('3600'), busy('86400'));
    await start({
      maxAttempts: 3,
      baseDelayMs: 1,
      maxDelayMs: 2,
      maxRetryAfterMs: 30_000,
      deadlineMs: 600_000,
    });
    const error = await client.epayment.getPayment(REFERENCE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsUnavailableError);
    expect(sleeps).toEqual([30_000, 30_000]);
  });

  it('caps an HTTP-date Retry-After too, by the default cap when none is configured', async () => {
    server.enqueue(busy(new Date(nowMs + 3_600_000).toUTCString()));
    await start({ maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 });
    await client.epayment.getPayment(REFERENCE).catch(() => undefined);
    expect(sleeps).toEqual([60_000]);
  });

  it('starts no attempt after the deadline, however many attempts are left', async () => {
    server.otherwise(() => busy('20'));
    await start({ maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 2, deadlineMs: 45_000 });
    const error = await client.epayment.getPayment(REFERENCE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsUnavailableError);
    expect((error as Error).message).toMatch(/after 3 attempt\(s\).*no time left/);
    expect(sleeps).toEqual([20_000, 20_000]);
    expect(gets()).toHaveLength(3);
  });
});
