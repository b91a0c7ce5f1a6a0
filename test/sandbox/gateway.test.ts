// The access token and the checks every call passes before an API looks at it: subscription key, bearer
// token, the ePayment headers, the body's content type.

import { describe, expect, it } from 'vitest';
import { asObject, expectProblem, request, useSandbox, validPayment } from './helpers.js';

const vipps = useSandbox({ tokenLifetimeSeconds: 600 });

function tokenRequest(overrides: Record<string, string | null> = {}, body?: string) {
  const { credentials, url } = vipps().sandbox;
  return request(`${url}/accesstoken/get`, 'POST', {
    body,
    headers: {
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      'Ocp-Apim-Subscription-Key': credentials.subscriptionKey,
      ...overrides,
    },
  });
}

describe('POST /accesstoken/get', () => {
  it('answers every value as a string, with the lifetime on the sandbox clock', async () => {
    const before = Math.floor(vipps().sandbox.clock.now() / 1000);
    const answer = await tokenRequest();
    expect(answer.status).toBe(200);
    const token = asObject(answer.body);
    for (const value of Object.values(token)) expect(value).toBeTypeOf('string');
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: '600', ext_expires_in: '600' });
    expect(Object.keys(token).sort()).toEqual(
      [
        'access_token',
        'expires_in',
        'expires_on',
        'ext_expires_in',
        'not_before',
        'resource',
        'token_type',
      ].sort(),
    );
    const notBefore = Number(token['not_before']);
    expect(notBefore - before).toBeLessThanOrEqual(1);
    expect(Number(token['expires_on']) - notBefore).toBe(600);
  });

  it('issues a different opaque token each time, and all of them work', async () => {
    const first = asObject((await tokenRequest()).body)['access_token'];
    const second = asObject((await tokenRequest()).body)['access_token'];
    expect(first).not.toBe(second);
    for (const token of [first, second]) {
      const answer = await vipps().send('GET', '/epayment/v1/payments/no-such-payment', {
        headers: { Authorization: `Bearer ${String(token)}` },
      });
      expect(answer.status).toBe(404);
    }
  });

  it.each([
    ['missing', null, /missing subscription key/],
    ['wrong', '00000000000000000000000000000000', /invalid subscription key/],
  ])('refuses a %s subscription key the way Azure APIM does', async (_, key, message) => {
    const answer = await tokenRequest({ 'Ocp-Apim-Subscription-Key': key });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ statusCode: 401, message: expect.stringMatching(message) });
  });

  it.each([
    ['an unknown client_id', { client_id: 'someone-else' }, 'unauthorized_client'],
    ['a missing client_id', { client_id: null }, 'unauthorized_client'],
    ['a wrong client_secret', { client_secret: 'guess' }, 'invalid_client'],
    ['a missing client_secret', { client_secret: null }, 'invalid_client'],
  ])('refuses %s with the token-service error shape', async (_, overrides, error) => {
    const answer = await tokenRequest(overrides);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({
      error,
      error_description: expect.any(String),
      error_codes: [expect.any(Number)],
      trace_id: expect.any(String),
      correlation_id: expect.any(String),
    });
  });

  it('refuses a body: the credentials belong in headers', async () => {
    const answer = await tokenRequest(
      { 'Content-Type': 'application/json' },
      '{"grant_type":"client_credentials"}',
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'invalid_request' });
  });
});

describe('the gateway in front of every API', () => {
  it('refuses a missing or wrong subscription key before looking at the token', async () => {
    for (const key of [null, 'wrong']) {
      const refused = await vipps().send('GET', '/epayment/v1/payments/abcdefgh', {
        headers: { 'Ocp-Apim-Subscription-Key': key, Authorization: null },
      });
      expect(refused.status).toBe(401);
      expect(asObject(refused.body)['message']).toMatch(/subscription key/);
    }
  });

  it.each([
    ['no Authorization header', null],
    ['a lower-case bearer', 'bearer '],
    ['a token without the word Bearer', ''],
    ['an unknown token', 'Bearer not-a-token'],
  ])('refuses %s with 401', async (_, authorization) => {
    const token = String(asObject((await tokenRequest()).body)['access_token']);
    const value =
      authorization?.startsWith('Bearer not') === false ? `${authorization}${token}` : authorization;
    const refused = await vipps().send('POST', '/qr/v1/exchange', {
      body: { qrCode: vipps().sandbox.customers[0]?.personalQrV1 },
      headers: { Authorization: value },
    });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ statusCode: 401 });
  });

  it('refuses a token once the sandbox clock passes its expiry', async () => {
    const reference = await vipps().created();
    expect((await vipps().getPayment(reference)).status).toBe(200);
    vipps().sandbox.clock.advance(600_000);
    expect((await vipps().getPayment(reference)).status).toBe(401);
  });

  it('answers an unknown operation with the gateway 404', async () => {
    const answer = await vipps().send('DELETE', '/epayment/v1/payments');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ statusCode: 404, message: 'Resource not found' });
  });
});

describe('ePayment headers', () => {
  it('requires Merchant-Serial-Number', async () => {
    const answer = await vipps().send('GET', '/epayment/v1/payments/abcdefgh', {
      headers: { 'Merchant-Serial-Number': null },
    });
    expectProblem(answer, 400, { field: 'Merchant-Serial-Number' });
  });

  it('requires a well-formed Merchant-Serial-Number', async () => {
    const malformed = await vipps().send('GET', '/epayment/v1/payments/abcdefgh', {
      headers: { 'Merchant-Serial-Number': '12ab' },
    });
    expectProblem(malformed, 400, { field: 'Merchant-Serial-Number' });
  });

  it('forbids another merchant serial number', async () => {
    const answer = await vipps().send('POST', '/epayment/v1/payments', {
      body: validPayment(),
      headers: { 'Merchant-Serial-Number': '654321', 'Idempotency-Key': 'k1' },
    });
    expectProblem(answer, 403);
  });

  it.each([
    'Vipps-System-Name',
    'Vipps-System-Version',
    'Vipps-System-Plugin-Name',
    'Vipps-System-Plugin-Version',
  ])('limits %s to 30 characters', async (name) => {
    const answer = await vipps().send('POST', '/epayment/v1/payments', {
      body: validPayment(),
      headers: { [name]: 'x'.repeat(31), 'Idempotency-Key': 'k1' },
    });
    expectProblem(answer, 400, { field: name });
  });

  it.each(['', 'capture', 'refund'])('requires an Idempotency-Key on %s', async (operation) => {
    const reference = await vipps().authorized();
    const path =
      operation === '' ? '/epayment/v1/payments' : `/epayment/v1/payments/${reference}/${operation}`;
    const body = operation === '' ? validPayment() : { modificationAmount: { currency: 'NOK', value: 100 } };
    expectProblem(await vipps().send('POST', path, { body }), 400, { field: 'Idempotency-Key' });
  });

  it('accepts cancel without an Idempotency-Key', async () => {
    const reference = await vipps().created();
    expect((await vipps().modify(reference, 'cancel', undefined, null)).status).toBe(200);
  });

  it('limits Idempotency-Key to 50 characters', async () => {
    const answer = await vipps().createPayment(validPayment(), 'k'.repeat(51));
    expectProblem(answer, 400, { field: 'Idempotency-Key' });
  });

  it('requires Content-Type: application/json on a body', async () => {
    const answer = await vipps().send('POST', '/epayment/v1/payments', {
      body: JSON.stringify(validPayment()),
      headers: { 'Content-Type': 'text/plain', 'Idempotency-Key': 'k1' },
    });
    expectProblem(answer, 400, { field: 'Content-Type' });
  });

  it('requires valid JSON', async () => {
    const answer = await vipps().send('POST', '/epayment/v1/payments', {
      body: '{"amount":',
      headers: { 'Idempotency-Key': 'k1' },
    });
    expectProblem(answer, 400, { field: 'body' });
  });

  it('requires a body on create', async () => {
    const answer = await vipps().send('POST', '/epayment/v1/payments', {
      headers: { 'Idempotency-Key': 'k1' },
    });
    expectProblem(answer, 400, { field: 'body' });
  });

  it('answers an unknown reference with 404', async () => {
    expectProblem(await vipps().getPayment('kiosk07-unknown'), 404, { errorCode: '5090' });
  });

  it('refuses a malformed reference in the path', async () => {
    expectProblem(await vipps().getPayment('bad_ref'), 400, { field: 'reference' });
  });

  it('gives every problem its own traceId', async () => {
    const first = expectProblem(await vipps().getPayment('kiosk07-unknown'), 404, { errorCode: '5090' });
    const second = expectProblem(await vipps().getPayment('kiosk07-unknown'), 404, { errorCode: '5090' });
    expect(first['traceId']).not.toBe(second['traceId']);
    expect(first['instance']).toBe('/epayment/v1/payments/kiosk07-unknown');
  });
});
