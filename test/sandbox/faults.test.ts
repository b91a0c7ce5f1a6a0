// Fault injection: every kind of fault, before and after processing, and only on the Vipps paths.

import { describe, expect, it } from 'vitest';
import {
  aggregate,
  asArray,
  asObject,
  expectProblem,
  nok,
  request,
  TOTAL,
  useSandbox,
  validPayment,
} from './helpers.js';

const vipps = useSandbox();

async function inject(plan: unknown): Promise<void> {
  const answer = await vipps().control('POST', '/faults', plan);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

async function paymentCount(): Promise<number> {
  return asArray((await vipps().control('GET', '/payments')).body).length;
}

describe('faults before processing', () => {
  it('answers the next N matching calls with a status, and nothing happens', async () => {
    await inject({ rules: [{ path: '/epayment/v1/payments', method: 'POST', status: 503, count: 2 }] });
    const body = validPayment();
    expectProblem(await vipps().createPayment(body, 'create-1'), 503);
    expect(await paymentCount()).toBe(0);
    expectProblem(await vipps().createPayment(body, 'create-1'), 503);
    expect((await vipps().createPayment(body, 'create-1')).status).toBe(201);
    expect(await paymentCount()).toBe(1);
  });

  it('means an injected 503 on capture captured nothing', async () => {
    const reference = await vipps().authorized();
    await inject({ rules: [{ path: `/epayment/v1/payments/${reference}/capture`, status: 503, count: 1 }] });
    const body = { modificationAmount: nok(TOTAL) };
    expectProblem(await vipps().modify(reference, 'capture', body, 'capture-1'), 503);
    expect((await vipps().payment(reference))['aggregate']).toEqual(aggregate(TOTAL, 0, 0, 0));
    expect((await vipps().modify(reference, 'capture', body, 'capture-1')).status).toBe(200);
  });

  it('sends Retry-After with an injected 429', async () => {
    await inject({ rules: [{ status: 429, retryAfter: 3, count: 1 }] });
    const answer = await vipps().getPayment('kiosk07-anything');
    expectProblem(answer, 429);
    expect(answer.headers.get('retry-after')).toBe('3');
  });

  it('applies a rule with rate 1 every time and one with rate 0 never', async () => {
    await inject({
      rules: [
        { path: '/qr', status: 500, rate: 0 },
        { path: '/epayment', status: 502, rate: 1 },
      ],
    });
    for (let call = 0; call < 3; call += 1) expectProblem(await vipps().getPayment('kiosk07-anything'), 502);
    const qr = await vipps().send('POST', '/qr/v1/exchange', { body: { qrCode: 'https://qr.vipps.no/p/x' } });
    expect(qr.status).toBe(400);
  });

  it('matches the path as a prefix and the method exactly', async () => {
    await inject({ rules: [{ path: '/epayment/v1/payments', method: 'GET', status: 500 }] });
    expect((await vipps().createPayment(validPayment())).status).toBe(201);
    expectProblem(await vipps().getPayment('kiosk07-anything'), 500);
  });

  it('resets the connection without an answer', async () => {
    await inject({ rules: [{ reset: true, count: 1 }] });
    await expect(vipps().getPayment('kiosk07-anything')).rejects.toThrow();
    expect((await vipps().getPayment('kiosk07-anything')).status).toBe(404);
  });

  it('hangs until the client gives up', async () => {
    await inject({ rules: [{ hang: true, count: 1 }] });
    // Ended by the client's own deadline: no answer and no reset came first.
    await expect(
      vipps().send('GET', '/epayment/v1/payments/kiosk07-anything', { signal: AbortSignal.timeout(150) }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    expect((await vipps().getPayment('kiosk07-anything')).status).toBe(404);
  });

  it('adds latency to every Vipps call', async () => {
    // A minute of latency against a client that waits one second: the answer cannot come in time, while
    // the sandbox's own control API (not a Vipps path) answers at once.
    await inject({ latencyMs: 60_000 });
    await expect(
      vipps().send('GET', '/epayment/v1/payments/kiosk07-anything', { signal: AbortSignal.timeout(1_000) }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(await paymentCount()).toBe(0);
    await inject({ latencyMs: 0 });
    expect((await vipps().getPayment('kiosk07-anything')).status).toBe(404);
  });
});

describe('faults after processing', () => {
  it('loses the answer of a capture that happened; the retry with the same key does not charge twice', async () => {
    const reference = await vipps().authorized();
    await inject({
      rules: [{ path: `/epayment/v1/payments/${reference}/capture`, status: 500, after: true, count: 1 }],
    });
    const body = { modificationAmount: nok(TOTAL) };
    expectProblem(await vipps().modify(reference, 'capture', body, 'capture-1'), 500);
    expect((await vipps().payment(reference))['aggregate']).toEqual(aggregate(TOTAL, TOTAL, 0, 0));
    const retry = await vipps().modify(reference, 'capture', body, 'capture-1');
    expect(retry.status).toBe(200);
    expect(asObject(retry.body)['aggregate']).toEqual(aggregate(TOTAL, TOTAL, 0, 0));
    const events = asArray((await vipps().send('GET', `/epayment/v1/payments/${reference}/events`)).body);
    expect(events.filter((event) => asObject(event)['name'] === 'CAPTURED')).toHaveLength(1);
  });

  it('drops the connection after creating; the retry gets the original 201', async () => {
    await inject({
      rules: [{ path: '/epayment/v1/payments', method: 'POST', reset: true, after: true, count: 1 }],
    });
    const body = validPayment();
    await expect(vipps().createPayment(body, 'create-1')).rejects.toThrow();
    expect(await paymentCount()).toBe(1);
    const retry = await vipps().createPayment(body, 'create-1');
    expect(retry.status).toBe(201);
    expect(await paymentCount()).toBe(1);
  });

  it('hangs after processing', async () => {
    await inject({
      rules: [{ path: '/epayment/v1/payments', method: 'POST', hang: true, after: true, count: 1 }],
    });
    const body = validPayment();
    const attempt = vipps().send('POST', '/epayment/v1/payments', {
      body,
      headers: { 'Idempotency-Key': 'create-1' },
      signal: AbortSignal.timeout(100),
    });
    await expect(attempt).rejects.toThrow();
    expect(await paymentCount()).toBe(1);
  });
});

describe('faults with a Vipps error code', () => {
  it('answers problem+json with the code in extraDetails, as ePayment does, and creates nothing', async () => {
    await inject({
      rules: [{ path: '/epayment/v1/payments', method: 'POST', status: 403, code: '5080', count: 1 }],
    });
    const body = validPayment();
    const answer = await vipps().createPayment(body, 'create-1');
    const problem = expectProblem(answer, 403, { errorCode: '5080' });
    expect(problem['extraDetails']).toEqual([{ name: 'ErrorCode', reason: '5080' }]);
    expect(problem['title']).toBe('Push message not allowed');
    expect(await paymentCount()).toBe(0);
    expect((await vipps().createPayment(body, 'create-1')).status).toBe(201);
  });

  it('takes a detail, and any code (a code the sandbox does not know gets a plain title)', async () => {
    await inject({ rules: [{ status: 422, code: '5070', detail: 'Precondition failed', count: 1 }] });
    const problem = expectProblem(await vipps().getPayment('kiosk07-anything'), 422, { errorCode: '5070' });
    expect(problem['detail']).toBe('Precondition failed');
    await inject({ rules: [{ status: 400, code: '99999', count: 1 }] });
    expect(
      expectProblem(await vipps().getPayment('kiosk07-anything'), 400, { errorCode: '99999' }),
    ).toMatchObject({
      title: 'Error 99999',
    });
  });

  it('with after: true the capture happened though the answer says 6280; the same key then gets the 200', async () => {
    const reference = await vipps().authorized();
    await inject({
      rules: [
        {
          path: `/epayment/v1/payments/${reference}/capture`,
          status: 400,
          code: '6280',
          after: true,
          count: 1,
        },
      ],
    });
    const body = { modificationAmount: nok(TOTAL) };
    expectProblem(await vipps().modify(reference, 'capture', body, 'capture-1'), 400, { errorCode: '6280' });
    expect((await vipps().payment(reference))['aggregate']).toEqual(aggregate(TOTAL, TOTAL, 0, 0));
    expect((await vipps().modify(reference, 'capture', body, 'capture-1')).status).toBe(200);
  });

  it('matches the rule path regardless of case', async () => {
    await inject({ rules: [{ path: '/epayment/v1/payments', method: 'GET', status: 423, count: 1 }] });
    expectProblem(await vipps().send('GET', '/ePayment/v1/Payments/kiosk07-anything'), 423);
  });

  it.each([
    ['a code without a status', { rules: [{ reset: true, code: '5080' }] }],
    ['a code that is not 4-5 digits', { rules: [{ status: 400, code: 'E5080' }] }],
  ])('refuses %s', async (_, plan) => {
    expect((await vipps().control('POST', '/faults', plan)).status).toBe(400);
  });
});

describe('fault control', () => {
  it('never touches the control API or the phone page', async () => {
    await inject({ rules: [{ status: 503 }] });
    expect((await vipps().control('GET', '/payments')).status).toBe(200);
    expect((await request(`${vipps().sandbox.url}/phone`, 'GET')).status).toBe(200);
    expectProblem(await vipps().getPayment('kiosk07-anything'), 503);
  });

  it('shows the plan in force with what is left of each count, and clears it', async () => {
    await inject({ latencyMs: 0, rules: [{ path: '/epayment', status: 503, count: 2 }] });
    await vipps().getPayment('kiosk07-anything');
    expect((await vipps().control('GET', '/faults')).body).toEqual({
      latencyMs: 0,
      rules: [{ path: '/epayment', status: 503, count: 1 }],
    });
    expect((await vipps().control('DELETE', '/faults')).status).toBe(200);
    expect((await vipps().control('GET', '/faults')).body).toEqual({ latencyMs: 0, rules: [] });
    expect((await vipps().getPayment('kiosk07-anything')).status).toBe(404);
  });

  it('drops a rule once its count is used up', async () => {
    await inject({ rules: [{ status: 503, count: 1 }] });
    await vipps().getPayment('kiosk07-anything');
    expect(asObject((await vipps().control('GET', '/faults')).body)['rules']).toEqual([]);
  });

  it.each([
    ['no action', { rules: [{ count: 1 }] }],
    ['two actions', { rules: [{ status: 500, reset: true }] }],
    ['a status that is no error', { rules: [{ status: 200 }] }],
    ['a rate above 1', { rules: [{ status: 500, rate: 2 }] }],
    ['an unknown field', { rules: [{ status: 500, times: 2 }] }],
  ])('refuses a plan with %s', async (_, plan) => {
    const answer = await vipps().control('POST', '/faults', plan);
    expect(answer.status).toBe(400);
    expect(asObject(answer.body)['issues']).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: expect.any(String) })]),
    );
  });
});
