// The control API's switches for answers the sandbox cannot bring about by itself: sales units set up
// wrongly (5080, 403, 5040), locked payments (423, 6160, 6250), captures failing on Vipps' side
// (6260, 6280) and an approval that fails (success: false).

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
const NORWAY = () => vipps().sandbox.credentials.merchantSerialNumber;

async function salesUnit(msn: string, switches: JsonObject): Promise<JsonObject> {
  const answer = await vipps().control('POST', `/sales-units/${msn}`, switches);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return asObject(answer.body);
}

async function refuse(reference: string, switchBody: JsonObject): Promise<void> {
  const answer = await vipps().control('POST', `/payments/${reference}/refuse`, switchBody);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

async function events(reference: string): Promise<JsonObject[]> {
  const answer = await vipps().send('GET', `/epayment/v1/payments/${reference}/events`);
  return asArray(answer.body).map(asObject);
}

describe('sales unit switches', () => {
  it('without PUSH_MESSAGE approval answers a push create with 403 / 5080 and creates nothing', async () => {
    expect(await salesUnit(NORWAY(), { pushMessage: false })).toMatchObject({ pushMessage: false });
    expectProblem(await vipps().createPayment(validPayment()), 403, { errorCode: '5080' });
    expect(asArray((await vipps().control('GET', '/payments')).body)).toEqual([]);
  });

  it('without the ePayment product answers every ePayment call 403 "Merchant Not Allowed"', async () => {
    const reference = await vipps().created();
    await salesUnit(NORWAY(), { epayment: false });
    const refused = expectProblem(await vipps().getPayment(reference), 403);
    expect(refused).toMatchObject({ title: 'Merchant Not Allowed' });
    expectProblem(await vipps().createPayment(validPayment()), 403);
  });

  it('answers a currency the unit does not take with 5040', async () => {
    await salesUnit(NORWAY(), { currencies: [] });
    expectProblem(await vipps().createPayment(validPayment()), 400, { errorCode: '5040' });
  });

  it('lists the units with their market, currency and customers, and sets them back on reset', async () => {
    await salesUnit(NORWAY(), { pushMessage: false });
    expect((await vipps().control('POST', '/reset')).status).toBe(204);
    const units = asArray((await vipps().control('GET', '/sales-units')).body).map(asObject);
    expect(units.map((unit) => [unit['merchantSerialNumber'], unit['market'], unit['currency']])).toEqual([
      [NORWAY(), 'NO', 'NOK'],
      ['234567', 'DK', 'DKK'],
      ['345678', 'FI', 'EUR'],
    ]);
    expect(units[0]).toMatchObject({ pushMessage: true, epayment: true, currencies: ['NOK'] });
    expect((await vipps().control('POST', '/sales-units/999999', {})).status).toBe(404);
    expect((await vipps().control('POST', `/sales-units/${NORWAY()}`, { pushMessage: 'no' })).status).toBe(
      400,
    );
  });
});

describe('MobilePay sales units', () => {
  const DANISH = { msn: '234567', customer: '4520123456', currency: 'DKK' };
  const FINNISH = { msn: '345678', customer: '358401234567', currency: 'EUR' };

  function paymentIn(currency: string, customer: string): JsonObject {
    const body = validPayment();
    const receipt = asObject(body['receipt']);
    return {
      ...body,
      amount: { currency, value: TOTAL },
      customer: { phoneNumber: customer },
      receipt: { ...receipt, bottomLine: { ...asObject(receipt['bottomLine']), currency } },
    };
  }

  it.each([DANISH, FINNISH])('takes $currency payments from its own customers', async (unit) => {
    const body = paymentIn(unit.currency, unit.customer);
    const created = await vipps().send('POST', '/epayment/v1/payments', {
      body,
      headers: { 'Merchant-Serial-Number': unit.msn, 'Idempotency-Key': 'create-1' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const reference = String(body['reference']);
    const listed = asArray((await vipps().control('GET', '/payments')).body).map(asObject);
    expect(listed[0]).toMatchObject({ reference, merchantSerialNumber: unit.msn, customer: unit.customer });
    // Another sales unit does not see it.
    expectProblem(await vipps().getPayment(reference), 404, { errorCode: '5090' });
  });

  it('refuses a Norwegian customer at a Danish unit (7010) and NOK there (5040)', async () => {
    const headers = { 'Merchant-Serial-Number': DANISH.msn, 'Idempotency-Key': 'create-1' };
    const norwegian = paymentIn('DKK', '4791234567');
    expectProblem(await vipps().send('POST', '/epayment/v1/payments', { body: norwegian, headers }), 400, {
      errorCode: '7010',
    });
    const inNok = paymentIn('NOK', DANISH.customer);
    expectProblem(
      await vipps().send('POST', '/epayment/v1/payments', {
        body: inNok,
        headers: { ...headers, 'Idempotency-Key': 'c-2' },
      }),
      400,
      { errorCode: '5040' },
    );
  });

  it('lists MobilePay customers with Danish and Finnish numbers and only a tokenized QR', async () => {
    const users = asArray((await vipps().control('GET', '/users?market=all')).body).map(asObject);
    const danes = users.filter((user) => user['market'] === 'DK');
    const finns = users.filter((user) => user['market'] === 'FI');
    expect(danes.length).toBeGreaterThanOrEqual(2);
    expect(finns.length).toBeGreaterThanOrEqual(2);
    for (const dane of danes) expect(dane['msisdn']).toMatch(/^45\d{8}$/);
    for (const finn of finns) expect(finn['msisdn']).toMatch(/^3584\d{7,9}$|^35850\d{6,8}$/);
    for (const user of [...danes, ...finns]) {
      expect(user['personalQrV1']).toBeNull();
      expect(user['personalQrV2']).toMatch(/^https:\/\/qr\.vipps\.no\/p\/[A-Za-z0-9_-]{16,}$/);
    }
    const norwegians = asArray((await vipps().control('GET', '/users')).body).map(asObject);
    expect(norwegians.every((user) => user['market'] === 'NO')).toBe(true);
    expect(vipps().sandbox.salesUnits.map((unit) => unit.customers.length)).toEqual([5, 2, 2]);
  });

  it('exchanges a MobilePay personal QR for the customer', async () => {
    const [dane] = vipps().sandbox.salesUnits[1]!.customers;
    const answer = await vipps().send('POST', '/qr/v1/exchange', { body: { qrCode: dane!.personalQrV2 } });
    expect(answer.body).toMatchObject({ msisdn: dane!.msisdn, version: '2.0' });
  });
});

describe('payment refusals', () => {
  it.each([
    ['423', 423, undefined],
    ['6160', 409, '6160'],
  ] as const)(
    'answers %s to the next N captures, then the capture goes through with a new key',
    async (answer, status, code) => {
      const reference = await vipps().authorized();
      await refuse(reference, { answer, count: 2 });
      const body = { modificationAmount: nok(TOTAL) };
      expectProblem(await vipps().modify(reference, 'capture', body, 'capture-1'), status, {
        errorCode: code,
      });
      expectProblem(await vipps().modify(reference, 'capture', body, 'capture-2'), status, {
        errorCode: code,
      });
      expect((await vipps().modify(reference, 'capture', body, 'capture-3')).status).toBe(200);
      // Strict by default: the refused key keeps its refusal.
      expectProblem(await vipps().modify(reference, 'capture', body, 'capture-1'), status, {
        errorCode: code,
      });
      expect((await vipps().payment(reference))['aggregate']).toEqual(aggregate(TOTAL, TOTAL, 0, 0));
    },
  );

  it('answers 6250 to a cancel only, and applies to the operations named', async () => {
    const reference = await vipps().created();
    await refuse(reference, { answer: '6250' });
    expectProblem(await vipps().modify(reference, 'cancel', {}, 'cancel-1'), 409, { errorCode: '6250' });
    expect((await vipps().modify(reference, 'cancel', {}, 'cancel-2')).status).toBe(200);
    const locked = await vipps().authorized();
    await refuse(locked, { answer: '423', operations: ['refund'] });
    expect((await vipps().modify(locked, 'capture', { modificationAmount: nok(TOTAL) })).status).toBe(200);
    expectProblem(await vipps().modify(locked, 'refund', { modificationAmount: nok(100) }), 423);
  });

  it.each(['6260', '6280'])(
    'fails a capture with %s, logs CAPTURED success: false, and the same key succeeds after',
    async (answer) => {
      const reference = await vipps().authorized();
      await refuse(reference, { answer, count: 2 });
      const listed = asArray((await vipps().control('GET', '/payments')).body).map(asObject);
      expect(listed[0]?.['refusals']).toEqual([{ answer, operations: ['capture'], count: 2 }]);
      const body = { modificationAmount: nok(TOTAL) };
      expectProblem(await vipps().modify(reference, 'capture', body, 'capture-1'), 400, {
        errorCode: answer,
      });
      expectProblem(await vipps().modify(reference, 'capture', body, 'capture-1'), 400, {
        errorCode: answer,
      });
      expect((await vipps().payment(reference))['aggregate']).toEqual(aggregate(TOTAL, 0, 0, 0));
      expect((await vipps().modify(reference, 'capture', body, 'capture-1')).status).toBe(200);
      const captured = (await events(reference)).filter((event) => event['name'] === 'CAPTURED');
      expect(captured.map((event) => [event['success'], event['idempotencyKey']])).toEqual([
        [false, 'capture-1'],
        [false, 'capture-1'],
        [true, 'capture-1'],
      ]);
    },
  );

  it('refuses a capture failure on other operations, an unknown answer and an unknown payment', async () => {
    const reference = await vipps().authorized();
    const refused = (body: JsonObject) => vipps().control('POST', `/payments/${reference}/refuse`, body);
    expect((await refused({ answer: '6260', operations: ['cancel'] })).status).toBe(400);
    expect((await refused({ answer: '6080' })).status).toBe(400);
    expect(
      (await vipps().control('POST', '/payments/kiosk07-nothing/refuse', { answer: '423' })).status,
    ).toBe(404);
  });
});

describe('an approval that fails', () => {
  it('logs AUTHORIZED with success: false, reserves nothing and leaves the payment to the customer', async () => {
    const reference = await vipps().created();
    const failed = await vipps().control('POST', `/payments/${reference}/approve`, { success: false });
    expect(asObject(failed.body)).toMatchObject({ state: 'CREATED' });
    const payment = await vipps().payment(reference);
    expect(payment).toMatchObject({ state: 'CREATED', aggregate: aggregate(0, 0, 0, 0) });
    expect((await events(reference)).map((event) => [event['name'], event['success']])).toEqual([
      ['CREATED', true],
      ['AUTHORIZED', false],
    ]);
    expect((await vipps().control('POST', `/payments/${reference}/approve`)).status).toBe(200);
    expect((await vipps().payment(reference))['state']).toBe('AUTHORIZED');
  });
});
