// What Vipps evidently accepts and the sandbox must too: paths in any case (Vipps' own Postman collection
// asks for /accessToken/get), a create `reference` sent as a JSON number (its in-store examples do), and
// a null unitPrice (required but nullable in the spec) — while a missing unitPrice is refused.

import { describe, expect, it } from 'vitest';
import {
  asArray,
  asObject,
  expectProblem,
  type JsonObject,
  request,
  useSandbox,
  validPayment,
} from './helpers.js';

const vipps = useSandbox();

describe('paths regardless of case', () => {
  it('issues a token at /accessToken/get', async () => {
    const { credentials, url } = vipps().sandbox;
    const answer = await request(`${url}/accessToken/get`, 'POST', {
      headers: {
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        'Ocp-Apim-Subscription-Key': credentials.subscriptionKey,
      },
    });
    expect(answer.status).toBe(200);
    expect(asObject(answer.body)['access_token']).toBeTypeOf('string');
  });

  it('serves ePayment, QR and Webhooks paths in other cases, keeping the reference as sent', async () => {
    const body = validPayment('Kiosk07-MixedCase-1');
    const created = await vipps().send('POST', '/ePayment/v1/Payments', {
      body,
      headers: { 'Idempotency-Key': 'create-1' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await vipps().send('GET', '/EPAYMENT/V1/PAYMENTS/Kiosk07-MixedCase-1')).status).toBe(200);
    expectProblem(await vipps().send('GET', '/epayment/v1/payments/kiosk07-mixedcase-1'), 404, {
      errorCode: '5090',
    });
    expect((await vipps().send('GET', '/Webhooks/v1/Webhooks')).status).toBe(200);
    const qr = await vipps().send('POST', '/QR/v1/Exchange', {
      body: { qrCode: vipps().sandbox.customers[0]!.personalQrV2 },
    });
    expect(qr.status).toBe(200);
  });
});

describe('a numeric create reference', () => {
  const withNumber = (body: JsonObject, digits: string): string =>
    JSON.stringify({ ...body, reference: 0 }).replace('"reference":0', `"reference":${digits}`);

  it('is taken as its exact digits, beyond 2^53', async () => {
    const digits = '2486791679658155992';
    expect(String(Number(digits))).not.toBe(digits);
    const created = await vipps().send('POST', '/epayment/v1/payments', {
      body: withNumber(validPayment(), digits),
      headers: { 'Idempotency-Key': 'create-1' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toEqual({ reference: digits });
    expect((await vipps().payment(digits))['reference']).toBe(digits);
    const listed = asArray((await vipps().control('GET', '/payments')).body).map(asObject);
    expect(asObject(listed[0]?.['request'])['reference']).toBe(digits);
  });

  it('replays under its key when sent again as a number, and conflicts with the string form under a new key', async () => {
    const digits = '9007199254740993123';
    const body = validPayment();
    const send = (key: string, text: string) =>
      vipps().send('POST', '/epayment/v1/payments', { body: text, headers: { 'Idempotency-Key': key } });
    expect((await send('create-1', withNumber(body, digits))).status).toBe(201);
    expect((await send('create-1', withNumber(body, digits))).status).toBe(201);
    expectProblem(await send('create-2', JSON.stringify({ ...body, reference: digits })), 409, {
      errorCode: '4150',
    });
  });

  it('stays refused when it is not a whole number', async () => {
    const answer = await vipps().send('POST', '/epayment/v1/payments', {
      body: withNumber(validPayment(), '12345678.5'),
      headers: { 'Idempotency-Key': 'create-1' },
    });
    expectProblem(answer, 400, { field: 'reference' });
  });
});

describe('unitPrice in unitInfo', () => {
  const withUnitInfo = (unitInfo: JsonObject): JsonObject => {
    const body = validPayment();
    const receipt = asObject(body['receipt']);
    const [first, ...rest] = asArray(receipt['orderLines']).map(asObject);
    return { ...body, receipt: { ...receipt, orderLines: [{ ...first, unitInfo }, ...rest] } };
  };

  it('is required', async () => {
    const answer = await vipps().createPayment(withUnitInfo({ quantity: '1', quantityUnit: 'PCS' }));
    expectProblem(answer, 400, { field: 'receipt.orderLines[0].unitInfo.unitPrice' });
  });

  it('may be null, as the spec marks it nullable', async () => {
    const answer = await vipps().createPayment(withUnitInfo({ unitPrice: null, quantity: '1' }));
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  });
});
