// Rate limits per reference (API.md §0.4), on the sandbox clock so no test waits a real minute.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Answer, expectProblem, nok, useSandbox, validPayment } from './helpers.js';

const vipps = useSandbox();

// The windows are read off the sandbox clock; frozen, it moves only when a test advances it, so a slow
// machine taking seconds over 120 calls cannot shift a Retry-After.
beforeEach(() => vipps().sandbox.clock.setSpeed(0));
afterEach(() => vipps().sandbox.clock.setSpeed(1));

function expectRateLimited(answer: Answer, retryAfterSeconds: number): void {
  expectProblem(answer, 429);
  expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(retryAfterSeconds - 1);
  expect(Number(answer.headers.get('retry-after'))).toBeLessThanOrEqual(retryAfterSeconds);
}

describe('create, capture, cancel and refund', () => {
  it('allow 5 calls a minute per reference, then 429 with Retry-After until the window slides', async () => {
    const reference = await vipps().authorized();
    const capture = () => vipps().modify(reference, 'capture', { modificationAmount: nok(100) });
    for (let call = 2; call <= 5; call += 1) expect((await capture()).status).toBe(200);
    const refused = await capture();
    expectRateLimited(refused, 60);
    expect((await vipps().payment(reference))['aggregate']).toMatchObject({ capturedAmount: nok(400) });

    vipps().sandbox.clock.advance(30_000);
    expectRateLimited(await capture(), 30);
    vipps().sandbox.clock.advance(30_000);
    expect((await capture()).status).toBe(200);
  });

  it('count each reference on its own', async () => {
    const busy = await vipps().authorized();
    for (let call = 2; call <= 5; call += 1) await vipps().modify(busy, 'cancel');
    expectProblem(await vipps().modify(busy, 'cancel'), 429);
    const other = await vipps().created();
    expect((await vipps().modify(other, 'cancel')).status).toBe(200);
  });

  it('lump every create without a readable reference together', async () => {
    const broken = () => {
      const body = validPayment();
      delete body['reference'];
      return vipps().createPayment(body);
    };
    for (let call = 1; call <= 5; call += 1) expectProblem(await broken(), 400, { field: 'reference' });
    expectProblem(await broken(), 429);
  });
});

describe('get payment and get events', () => {
  it('allow 120 calls a minute per reference, shared by both', async () => {
    const reference = await vipps().created();
    const calls = Array.from({ length: 120 }, (_, index) =>
      vipps().send('GET', `/epayment/v1/payments/${reference}${index % 2 === 0 ? '' : '/events'}`),
    );
    expect((await Promise.all(calls)).map((answer) => answer.status)).toEqual(Array(120).fill(200));
    expectRateLimited(await vipps().getPayment(reference), 60);
    vipps().sandbox.clock.advance(60_000);
    expect((await vipps().getPayment(reference)).status).toBe(200);
  });
});
