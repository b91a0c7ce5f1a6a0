// The state machine and the money: approve, reject, expire, capture, cancel, refund, and the event log.

import { describe, expect, it } from 'vitest';
import {
  aggregate,
  asArray,
  asObject,
  expectProblem,
  type JsonObject,
  nok,
  TOTAL,
  useSandbox,
  validPayment,
} from './helpers.js';

const vipps = useSandbox();
const MINUTE = 60_000;

const amountBody = (value: number) => ({ modificationAmount: nok(value) });

async function events(reference: string): Promise<JsonObject[]> {
  const answer = await vipps().send('GET', `/epayment/v1/payments/${reference}/events`);
  expect(answer.status).toBe(200);
  return asArray(answer.body) as JsonObject[];
}

async function eventNames(reference: string): Promise<unknown[]> {
  return (await events(reference)).map((event) => event['name']);
}

describe('create and read', () => {
  it('answers 201 with only the reference for a push payment', async () => {
    const body = validPayment();
    const answer = await vipps().createPayment(body);
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ reference: body['reference'] });
  });

  it('reads back a CREATED payment in the getPayment shape', async () => {
    const reference = await vipps().created();
    const payment = await vipps().payment(reference);
    const [created] = await events(reference);
    expect(payment).toEqual({
      aggregate: aggregate(0, 0, 0, 0),
      amount: nok(TOTAL),
      state: 'CREATED',
      paymentMethod: { type: 'WALLET' },
      profile: {},
      pspReference: created?.['pspReference'],
      reference,
      metadata: { kioskId: '07' },
    });
  });
});

describe('the customer', () => {
  it('approves: AUTHORIZED, with the whole amount reserved', async () => {
    const reference = await vipps().authorized();
    expect(await vipps().payment(reference)).toMatchObject({
      state: 'AUTHORIZED',
      aggregate: aggregate(TOTAL, 0, 0, 0),
    });
  });

  it('approves through the test-only force-approve endpoint', async () => {
    const reference = await vipps().created();
    const answer = await vipps().send('POST', `/epayment/v1/test/payments/${reference}/approve`, {
      body: { customer: { phoneNumber: '4791234567' } },
    });
    expect(answer.status).toBe(200);
    expect((await vipps().payment(reference))['state']).toBe('AUTHORIZED');
  });

  it('cannot be force-approved by someone the push was not sent to', async () => {
    const reference = await vipps().created();
    const answer = await vipps().send('POST', `/epayment/v1/test/payments/${reference}/approve`, {
      body: { customer: { phoneNumber: '4798765432' } },
    });
    expectProblem(answer, 400, { errorCode: '10020' });
    expect((await vipps().payment(reference))['state']).toBe('CREATED');
  });

  it('rejects: ABORTED, nothing reserved', async () => {
    const reference = await vipps().created();
    expect((await vipps().control('POST', `/payments/${reference}/reject`)).status).toBe(200);
    expect(await vipps().payment(reference)).toMatchObject({
      state: 'ABORTED',
      aggregate: aggregate(0, 0, 0, 0),
    });
    expect(await eventNames(reference)).toEqual(['CREATED', 'ABORTED']);
  });
});

describe('expiry on the sandbox clock', () => {
  it('expires a request nobody opened 5 minutes after creation', async () => {
    const reference = await vipps().created();
    vipps().sandbox.clock.advance(5 * MINUTE - 1_000);
    expect((await vipps().payment(reference))['state']).toBe('CREATED');
    vipps().sandbox.clock.advance(1_000);
    expect((await vipps().payment(reference))['state']).toBe('EXPIRED');
    expect(await eventNames(reference)).toEqual(['CREATED', 'EXPIRED']);
  });

  it('gives 5 more minutes to approve once the request is opened', async () => {
    const reference = await vipps().created();
    vipps().sandbox.clock.advance(4 * MINUTE);
    expect((await vipps().control('POST', `/payments/${reference}/open`)).status).toBe(200);
    vipps().sandbox.clock.advance(4 * MINUTE);
    expect((await vipps().payment(reference))['state']).toBe('CREATED');
    vipps().sandbox.clock.advance(MINUTE);
    expect((await vipps().payment(reference))['state']).toBe('EXPIRED');
    const approve = await vipps().control('POST', `/payments/${reference}/approve`);
    expect(approve.status).toBe(409);
  });

  it('stamps the EXPIRED event with the deadline, not with the time somebody looked', async () => {
    const reference = await vipps().created();
    const [created] = await events(reference);
    vipps().sandbox.clock.advance(30 * MINUTE);
    const expired = (await events(reference))[1];
    expect(Date.parse(String(expired?.['timestamp'])) - Date.parse(String(created?.['timestamp']))).toBe(
      5 * MINUTE,
    );
  });
});

describe('capture', () => {
  it('captures in parts, then the rest, then refuses more (6090)', async () => {
    const reference = await vipps().authorized();
    const first = await vipps().modify(reference, 'capture', amountBody(10_000));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      reference,
      state: 'AUTHORIZED',
      aggregate: aggregate(TOTAL, 10_000, 0, 0),
    });
    const rest = await vipps().modify(reference, 'capture', amountBody(TOTAL - 10_000));
    expect(asObject(rest.body)['aggregate']).toEqual(aggregate(TOTAL, TOTAL, 0, 0));
    expectProblem(await vipps().modify(reference, 'capture', amountBody(100)), 400, { errorCode: '6090' });
  });

  it('refuses to capture before the customer approved (6080)', async () => {
    const reference = await vipps().created();
    expectProblem(await vipps().modify(reference, 'capture', amountBody(TOTAL)), 400, { errorCode: '6080' });
  });

  it('refuses to capture more than was authorized (6090)', async () => {
    const reference = await vipps().authorized();
    expectProblem(await vipps().modify(reference, 'capture', amountBody(TOTAL + 1)), 400, {
      errorCode: '6090',
    });
    expect((await vipps().payment(reference))['aggregate']).toEqual(aggregate(TOTAL, 0, 0, 0));
  });

  it("refuses another currency than the payment's", async () => {
    const reference = await vipps().authorized();
    const answer = await vipps().modify(reference, 'capture', {
      modificationAmount: { currency: 'EUR', value: 100 },
    });
    expectProblem(answer, 400, { field: 'modificationAmount.currency' });
  });

  it('refuses a capture of nothing', async () => {
    const reference = await vipps().authorized();
    expectProblem(await vipps().modify(reference, 'capture', amountBody(0)), 400, {
      field: 'modificationAmount.value',
    });
  });

  it('refuses a capture on an unknown reference with 404', async () => {
    expectProblem(await vipps().modify('kiosk07-nothing', 'capture', amountBody(100)), 404, {
      errorCode: '5090',
    });
  });
});

describe('cancel', () => {
  it('terminates a payment the customer has not approved', async () => {
    const reference = await vipps().created();
    const answer = await vipps().modify(reference, 'cancel');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ state: 'TERMINATED', aggregate: aggregate(0, 0, 0, 0) });
    expect(await eventNames(reference)).toEqual(['CREATED', 'TERMINATED']);
  });

  it('terminates with cancelTransactionOnly too, before authorization', async () => {
    const reference = await vipps().created();
    const answer = await vipps().modify(reference, 'cancel', { cancelTransactionOnly: true });
    expect(asObject(answer.body)['state']).toBe('TERMINATED');
  });

  it('cannot cancel while the customer has the request open (6250)', async () => {
    const reference = await vipps().created();
    await vipps().control('POST', `/payments/${reference}/open`);
    expectProblem(await vipps().modify(reference, 'cancel', { cancelTransactionOnly: true }), 409, {
      errorCode: '6250',
    });
    expect((await vipps().payment(reference))['state']).toBe('CREATED');
  });

  it('keeps an authorized payment with cancelTransactionOnly (6060)', async () => {
    const reference = await vipps().authorized();
    expectProblem(await vipps().modify(reference, 'cancel', { cancelTransactionOnly: true }), 400, {
      errorCode: '6060',
    });
    expect((await vipps().payment(reference))['aggregate']).toEqual(aggregate(TOTAL, 0, 0, 0));
  });

  it('releases the whole uncaptured rest of an authorized payment, which stays AUTHORIZED', async () => {
    const reference = await vipps().authorized();
    await vipps().modify(reference, 'capture', amountBody(4_900));
    const answer = await vipps().modify(reference, 'cancel');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      state: 'AUTHORIZED',
      aggregate: aggregate(TOTAL, 4_900, TOTAL - 4_900, 0),
    });
    expectProblem(await vipps().modify(reference, 'capture', amountBody(100)), 400, { errorCode: '6090' });
    expect(await eventNames(reference)).toEqual(['CREATED', 'AUTHORIZED', 'CAPTURED', 'CANCELLED']);
  });

  it('cannot cancel a fully captured payment (6040)', async () => {
    const reference = await vipps().authorized();
    await vipps().modify(reference, 'capture', amountBody(TOTAL));
    expectProblem(await vipps().modify(reference, 'cancel'), 400, { errorCode: '6040' });
  });

  it('has nothing to cancel on a payment the customer rejected (6190)', async () => {
    const reference = await vipps().created();
    await vipps().control('POST', `/payments/${reference}/reject`);
    expectProblem(await vipps().modify(reference, 'cancel'), 400, { errorCode: '6190' });
  });
});

describe('refund', () => {
  it('refunds in parts up to what was captured (then 6150)', async () => {
    const reference = await vipps().authorized();
    await vipps().modify(reference, 'capture', amountBody(TOTAL));
    const part = await vipps().modify(reference, 'refund', amountBody(4_900));
    expect(part.status).toBe(200);
    expect(asObject(part.body)['aggregate']).toEqual(aggregate(TOTAL, TOTAL, 0, 4_900));
    expect((await vipps().modify(reference, 'refund', amountBody(TOTAL - 4_900))).status).toBe(200);
    expectProblem(await vipps().modify(reference, 'refund', amountBody(100)), 400, { errorCode: '6150' });
  });

  it('refuses to refund what was reserved but never captured (6150)', async () => {
    const reference = await vipps().authorized();
    expectProblem(await vipps().modify(reference, 'refund', amountBody(100)), 400, { errorCode: '6150' });
  });

  it('refuses to refund a payment that was never authorized (6020)', async () => {
    const reference = await vipps().created();
    expectProblem(await vipps().modify(reference, 'refund', amountBody(100)), 400, { errorCode: '6020' });
  });
});

describe('the event log', () => {
  it('records every change with its amount, key and own pspReference', async () => {
    const body = validPayment();
    const reference = String(body['reference']);
    expect((await vipps().createPayment(body, 'create-1')).status).toBe(201);
    await vipps().control('POST', `/payments/${reference}/approve`);
    await vipps().modify(reference, 'capture', amountBody(20_000), 'capture-1');
    await vipps().modify(reference, 'cancel', undefined, 'cancel-1');
    await vipps().modify(reference, 'refund', amountBody(5_000), 'refund-1');
    const log = await events(reference);
    expect(
      log.map(({ name, amount, idempotencyKey, success }) => ({ name, amount, idempotencyKey, success })),
    ).toEqual([
      { name: 'CREATED', amount: nok(TOTAL), idempotencyKey: 'create-1', success: true },
      { name: 'AUTHORIZED', amount: nok(TOTAL), idempotencyKey: null, success: true },
      { name: 'CAPTURED', amount: nok(20_000), idempotencyKey: 'capture-1', success: true },
      { name: 'CANCELLED', amount: nok(TOTAL - 20_000), idempotencyKey: 'cancel-1', success: true },
      { name: 'REFUNDED', amount: nok(5_000), idempotencyKey: 'refund-1', success: true },
    ]);
    expect(new Set(log.map((event) => event['pspReference'])).size).toBe(log.length);
    for (const event of log) {
      expect(event['reference']).toBe(reference);
      expect(new Date(String(event['timestamp'])).toISOString()).toBe(event['timestamp']);
    }
    expect((await vipps().payment(reference))['pspReference']).toBe(log[0]?.['pspReference']);
  });
});
