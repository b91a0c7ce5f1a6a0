// Retrying with the same Idempotency-Key must never do the work twice; reusing a key for other work is refused.

import { describe, expect, it } from 'vitest';
import {
  aggregate,
  asArray,
  expectProblem,
  type JsonObject,
  nok,
  TOTAL,
  useSandbox,
  validPayment,
} from './helpers.js';

const vipps = useSandbox();

async function eventCount(reference: string): Promise<number> {
  return asArray((await vipps().send('GET', `/epayment/v1/payments/${reference}/events`)).body).length;
}

describe('create', () => {
  it('replays the first answer for the same key and body, creating once', async () => {
    const body = validPayment();
    const first = await vipps().createPayment(body, 'create-1');
    const again = await vipps().createPayment(body, 'create-1');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await eventCount(String(body['reference']))).toBe(1);
  });

  it('treats a re-serialized body with another key order as the same body', async () => {
    const body = validPayment();
    expect((await vipps().createPayment(body, 'create-1')).status).toBe(201);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    expect((await vipps().createPayment(reordered, 'create-1')).status).toBe(201);
  });

  it('refuses the same key with a different body (409)', async () => {
    const body = validPayment();
    expect((await vipps().createPayment(body, 'create-1')).status).toBe(201);
    const changed = { ...body, paymentDescription: 'Something else' };
    expectProblem(await vipps().createPayment(changed, 'create-1'), 409, { errorCode: '4020' });
  });

  it('refuses the same reference under a new key (4150)', async () => {
    const body = validPayment();
    expect((await vipps().createPayment(body, 'create-1')).status).toBe(201);
    expectProblem(await vipps().createPayment(body, 'create-2'), 409, { errorCode: '4150' });
  });

  it('keeps a refusal for the key: the retry gets the very same 400', async () => {
    const body = { ...validPayment(), paymentDescription: 'x' };
    const first = expectProblem(await vipps().createPayment(body, 'create-1'), 400, {
      field: 'paymentDescription',
    });
    const again = expectProblem(await vipps().createPayment(body, 'create-1'), 400, {
      field: 'paymentDescription',
    });
    expect(again).toEqual(first);
  });
});

describe('capture, refund and cancel', () => {
  it('captures once however often the same capture is retried', async () => {
    const reference = await vipps().authorized();
    const body = { modificationAmount: nok(10_000) };
    const first = await vipps().modify(reference, 'capture', body, 'capture-1');
    const again = await vipps().modify(reference, 'capture', body, 'capture-1');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await vipps().payment(reference))['aggregate']).toEqual(aggregate(TOTAL, 10_000, 0, 0));
    expect(await eventCount(reference)).toBe(3);
  });

  it('refuses a capture key reused with another amount (409, 4010)', async () => {
    const reference = await vipps().authorized();
    await vipps().modify(reference, 'capture', { modificationAmount: nok(10_000) }, 'capture-1');
    const answer = await vipps().modify(
      reference,
      'capture',
      { modificationAmount: nok(5_000) },
      'capture-1',
    );
    expectProblem(answer, 409, { errorCode: '4010' });
  });

  it('uses the same capture key independently on another payment', async () => {
    const first = await vipps().authorized();
    const second = await vipps().authorized();
    const body = { modificationAmount: nok(TOTAL) };
    expect((await vipps().modify(first, 'capture', body, 'capture-1')).status).toBe(200);
    expect((await vipps().modify(second, 'capture', body, 'capture-1')).status).toBe(200);
    expect((await vipps().payment(second))['aggregate']).toEqual(aggregate(TOTAL, TOTAL, 0, 0));
  });

  it('refunds once per key, and refuses the key with another amount (409, 4150)', async () => {
    const reference = await vipps().authorized();
    await vipps().modify(reference, 'capture', { modificationAmount: nok(TOTAL) });
    const body = { modificationAmount: nok(1_000) };
    await vipps().modify(reference, 'refund', body, 'refund-1');
    expect((await vipps().modify(reference, 'refund', body, 'refund-1')).status).toBe(200);
    expect((await vipps().payment(reference))['aggregate']).toEqual(aggregate(TOTAL, TOTAL, 0, 1_000));
    const changed = await vipps().modify(reference, 'refund', { modificationAmount: nok(2_000) }, 'refund-1');
    expectProblem(changed, 409, { errorCode: '4150' });
  });

  it('replays a cancel under its key', async () => {
    const reference = await vipps().created();
    const first = await vipps().modify(reference, 'cancel', { cancelTransactionOnly: true }, 'cancel-1');
    const again = await vipps().modify(reference, 'cancel', { cancelTransactionOnly: true }, 'cancel-1');
    expect(again.body).toEqual(first.body);
    expect(await eventCount(reference)).toBe(2);
  });

  it('keeps a "come back later" refusal for its key by default: the 6250 stays the answer to cancel-1', async () => {
    const reference = await vipps().created();
    await vipps().control('POST', `/payments/${reference}/open`);
    const body: JsonObject = { cancelTransactionOnly: true };
    const first = expectProblem(await vipps().modify(reference, 'cancel', body, 'cancel-1'), 409, {
      errorCode: '6250',
    });
    await vipps().control('POST', `/payments/${reference}/reject`);
    const again = expectProblem(await vipps().modify(reference, 'cancel', body, 'cancel-1'), 409, {
      errorCode: '6250',
    });
    expect(again).toEqual(first);
    expectProblem(await vipps().modify(reference, 'cancel', body, 'cancel-2'), 400, { errorCode: '6190' });
  });

  it('forgets a "come back later" refusal when switched so: the retry with its key gets a fresh answer', async () => {
    expect((await vipps().control('POST', '/idempotency', { rememberRetryLater: false })).body).toEqual({
      rememberRetryLater: false,
    });
    const reference = await vipps().created();
    await vipps().control('POST', `/payments/${reference}/open`);
    const body: JsonObject = { cancelTransactionOnly: true };
    expectProblem(await vipps().modify(reference, 'cancel', body, 'cancel-1'), 409, { errorCode: '6250' });
    await vipps().control('POST', `/payments/${reference}/reject`);
    expectProblem(await vipps().modify(reference, 'cancel', body, 'cancel-1'), 400, { errorCode: '6190' });
  });

  it('keeps a rate-limit 429 for an unused key by default, and not when switched off', async () => {
    const reference = await vipps().authorized();
    const capture = (key: string) =>
      vipps().modify(reference, 'capture', { modificationAmount: nok(100) }, key);
    for (let call = 2; call <= 5; call += 1) expect((await capture(`capture-${call}`)).status).toBe(200);
    const limited = expectProblem(await capture('capture-6'), 429);
    vipps().sandbox.clock.advance(60_000);
    expect(expectProblem(await capture('capture-6'), 429)).toEqual(limited);
    expect((await capture('capture-7')).status).toBe(200);

    await vipps().control('POST', '/idempotency', { rememberRetryLater: false });
    // The replay of capture-6 and capture-7 count in this window too.
    for (let call = 8; call <= 10; call += 1) expect((await capture(`capture-${call}`)).status).toBe(200);
    expectProblem(await capture('capture-11'), 429);
    vipps().sandbox.clock.advance(60_000);
    expect((await capture('capture-11')).status).toBe(200);
  });

  it('sets the switch back to remembering on reset', async () => {
    await vipps().control('POST', '/idempotency', { rememberRetryLater: false });
    expect((await vipps().control('POST', '/reset')).status).toBe(204);
    expect((await vipps().control('GET', '/idempotency')).body).toEqual({ rememberRetryLater: true });
  });
});
