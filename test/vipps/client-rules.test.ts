import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import type { PushPaymentRequest } from '../../contracts/vipps-types.js';
import { VippsClient, type VippsClientOptions } from '../../device/vipps/client.js';
import {
  VippsApiError,
  VippsAuthError,
  VippsRequestInvalidError,
  VippsUnavailableError,
} from '../../device/vipps/errors.js';
import { operationKey } from '../../device/vipps/request-rules.js';
import { ScriptedServer, tokenAnswer } from '../support/scripted-server.js';
import { paymentRequest as fixtureRequest, KAFFE } from '../support/vipps-receipt.js';

// The client's own rules (headers, token cache, retries, error mapping, local validation) against a
// scripted server on loopback, with sleeps recorded instead of waited.

const SECRET = 'client-secret-never-printed';
const SUBSCRIPTION = 'subscription-key-never-printed';

function paymentRequest(overrides: Partial<PushPaymentRequest> = {}): PushPaymentRequest {
  return {
    ...fixtureRequest({
      reference: 'kiosk-07-0000000001-1',
      items: [KAFFE],
      customer: { personalQr: 'https://qr.vipps.no/p/abcdef123' },
      paymentDescription: 'Butikken Storo, 1 item',
    }),
    ...overrides,
  };
}

const problem = (status: number, code?: string) => ({
  status,
  headers: { 'content-type': 'application/problem+json' },
  body: {
    type: `https://httpstatuses.io/${status}`,
    title: 'Cannot capture before reservation',
    detail: 'The amount is not reserved.',
    status,
    traceId: '00-abc-def-01',
    ...(code ? { extraDetails: [{ name: 'ErrorCode', reason: code }] } : {}),
  },
});

const payment = (state = 'AUTHORIZED') => ({
  status: 200,
  body: {
    reference: 'kiosk-07-0000000001-1',
    state,
    amount: { currency: 'NOK', value: 4990 },
    aggregate: {
      authorizedAmount: { currency: 'NOK', value: 4990 },
      cancelledAmount: { currency: 'NOK', value: 0 },
      capturedAmount: { currency: 'NOK', value: 0 },
      refundedAmount: { currency: 'NOK', value: 0 },
    },
    paymentMethod: { type: 'WALLET' },
    profile: {},
    pspReference: 'p1',
  },
});

describe('Vipps client rules', () => {
  let server: ScriptedServer;
  let sleeps: number[];
  let clock: number;
  let client: VippsClient;

  async function makeClient(overrides: Partial<VippsClientOptions> = {}) {
    const baseUrl = await server.start();
    client = new VippsClient({
      baseUrl,
      credentials: {
        clientId: 'cid',
        clientSecret: SECRET,
        subscriptionKey: SUBSCRIPTION,
        merchantSerialNumber: '123456',
      },
      system: {
        systemName: 'vipps-kiosk',
        systemVersion: '0.1.0',
        pluginName: 'vipps-kiosk-rpi',
        pluginVersion: '0.1.0',
      },
      retry: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 1000 },
      timeouts: { connectMs: 1000, tokenMs: 1000, createMs: 1000, readMs: 300, modifyMs: 1000, qrMs: 1000 },
      tokenRefreshMarginMs: 60_000,
      logger: silentLogger,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      now: () => clock,
      ...overrides,
    });
  }

  beforeEach(() => {
    server = new ScriptedServer();
    sleeps = [];
    clock = Date.parse('2026-11-23T12:00:00Z');
  });
  afterEach(async () => {
    await client?.stop();
    await server.stop();
  });

  it('sends every common header, the caller-derived Idempotency-Key and the body as JSON', async () => {
    server.enqueue(tokenAnswer('tok-1'), { status: 201, body: { reference: 'kiosk-07-0000000001-1' } });
    await makeClient();
    const key = operationKey('kiosk-07-0000000001-1', 'create');
    await client.epayment.createPayment(paymentRequest(), key);

    const [token, create] = server.seen;
    expect(token?.path).toBe('/accesstoken/get');
    expect(token?.headers).toMatchObject({
      client_id: 'cid',
      client_secret: SECRET,
      'ocp-apim-subscription-key': SUBSCRIPTION,
    });
    expect(token?.headers.authorization).toBeUndefined();
    expect(create?.path).toBe('/epayment/v1/payments');
    expect(create?.headers).toMatchObject({
      authorization: 'Bearer tok-1',
      'ocp-apim-subscription-key': SUBSCRIPTION,
      'merchant-serial-number': '123456',
      'idempotency-key': 'kiosk-07-0000000001-1-create',
      'vipps-system-name': 'vipps-kiosk',
      'vipps-system-version': '0.1.0',
      'vipps-system-plugin-name': 'vipps-kiosk-rpi',
      'vipps-system-plugin-version': '0.1.0',
      'content-type': 'application/json',
    });
    expect(JSON.parse(create!.body)).toEqual(paymentRequest());
  });

  it('caches the access token and shares one fetch among concurrent callers', async () => {
    server.enqueue(tokenAnswer('tok-1')).otherwise(() => payment());
    // Eleven reads at once on two busy cores can outlast the 300 ms read budget and be retried: this test
    // counts requests, so each read gets the time it needs and is sent exactly once.
    await makeClient({
      timeouts: {
        connectMs: 10_000,
        tokenMs: 10_000,
        createMs: 10_000,
        readMs: 10_000,
        modifyMs: 10_000,
        qrMs: 10_000,
      },
    });
    await Promise.all(Array.from({ length: 10 }, () => client.epayment.getPayment('kiosk-07-0000000001-1')));
    await client.epayment.getPayment('kiosk-07-0000000001-1');
    expect(server.seen.filter((s) => s.path === '/accesstoken/get')).toHaveLength(1);
    expect(server.seen.filter((s) => s.headers.authorization === 'Bearer tok-1')).toHaveLength(11);
  });

  it('refreshes the token ahead of its expiry', async () => {
    server.enqueue(tokenAnswer('tok-1', 3600), payment(), tokenAnswer('tok-2', 3600), payment());
    await makeClient();
    await client.epayment.getPayment('kiosk-07-0000000001-1');
    clock += (3600 - 59) * 1000; // inside the 60 s margin
    await client.epayment.getPayment('kiosk-07-0000000001-1');
    expect(server.seen.map((s) => s.headers.authorization ?? s.path)).toEqual([
      '/accesstoken/get',
      'Bearer tok-1',
      '/accesstoken/get',
      'Bearer tok-2',
    ]);
  });

  it('drops a token Vipps refuses, fetches a new one once and retries once', async () => {
    server.enqueue(tokenAnswer('tok-1'), { status: 401, body: {} }, tokenAnswer('tok-2'), payment());
    await makeClient();
    const answer = await client.epayment.getPayment('kiosk-07-0000000001-1');
    expect(answer.state).toBe('AUTHORIZED');
    expect(server.seen.map((s) => s.headers.authorization ?? s.path)).toEqual([
      '/accesstoken/get',
      'Bearer tok-1',
      '/accesstoken/get',
      'Bearer tok-2',
    ]);
  });

  it('gives up with an auth error when a fresh token is refused too', async () => {
    server.enqueue(tokenAnswer('tok-1'), { status: 401, body: {} }, tokenAnswer('tok-2'), {
      status: 401,
      body: {},
    });
    await makeClient();
    await expect(client.epayment.getPayment('kiosk-07-0000000001-1')).rejects.toBeInstanceOf(VippsAuthError);
    expect(server.seen).toHaveLength(4);
  });

  it('reports a wrong subscription key as such, without printing it', async () => {
    server.enqueue({
      status: 401,
      body: { statusCode: 401, message: 'Access denied due to invalid subscription key.' },
    });
    await makeClient();
    const error = await client.token.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsAuthError);
    expect((error as Error).message).toMatch(/subscription key/);
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toMatch(
      new RegExp(`${SUBSCRIPTION}|${SECRET}`),
    );
  });

  it('retries 5xx, 423 and 429 with the same Idempotency-Key and body, honouring Retry-After', async () => {
    server.enqueue(
      tokenAnswer('tok-1'),
      problem(503),
      problem(423),
      { ...problem(429), headers: { 'retry-after': '7' } },
      { status: 200, body: payment().body },
    );
    await makeClient();
    await client.epayment.capture(
      'kiosk-07-0000000001-1',
      { currency: 'NOK', value: 4990 },
      'kiosk-07-0000000001-1-capture-1',
    );
    const captures = server.seen.filter((s) => s.path.endsWith('/capture'));
    expect(captures).toHaveLength(4);
    expect(new Set(captures.map((s) => s.headers['idempotency-key']))).toEqual(
      new Set(['kiosk-07-0000000001-1-capture-1']),
    );
    expect(new Set(captures.map((s) => s.body)).size).toBe(1);
    // Equal jitter at random 0.5: 3/4 of the step; steps 200, 400, then Retry-After's 7 s wins.
    expect(sleeps).toEqual([150, 300, 7000]);
  });

  it('reads Retry-After given as an HTTP date', async () => {
    const later = new Date(clock + 12_000).toUTCString();
    server.enqueue(tokenAnswer('tok-1'), { ...problem(429), headers: { 'retry-after': later } }, payment());
    await makeClient();
    await client.epayment.getPayment('kiosk-07-0000000001-1');
    expect(sleeps).toEqual([12_000]);
  });

  it('caps the backoff and stops after the configured attempts with the outcome marked unknown', async () => {
    server.enqueue(tokenAnswer('tok-1')).otherwise(() => problem(502));
    await makeClient({ retry: { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 1000 }, random: () => 1 });
    const error = await client.epayment
      .capture('kiosk-07-0000000001-1', { currency: 'NOK', value: 4990 }, 'kiosk-07-0000000001-1-capture-1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsUnavailableError);
    expect((error as VippsUnavailableError).outcomeUnknown).toBe(true);
    expect((error as VippsUnavailableError).attempts).toBe(6);
    expect((error as VippsUnavailableError).lastStatus).toBe(502);
    expect(sleeps).toEqual([200, 400, 800, 1000, 1000]);
  });

  it('retries a reset connection and a request that gets no answer in time', async () => {
    server.enqueue(tokenAnswer('tok-1'), { status: 0, reset: true }, { status: 0, hang: true }, payment());
    await makeClient();
    const answer = await client.epayment.getPayment('kiosk-07-0000000001-1');
    expect(answer.state).toBe('AUTHORIZED');
    expect(server.seen.filter((s) => s.path.startsWith('/epayment'))).toHaveLength(3);
  });

  it('never takes a timeout for a failed payment: reads fail as unavailable, not as declined', async () => {
    server.enqueue(tokenAnswer('tok-1')).otherwise(() => ({ status: 0, hang: true }));
    await makeClient({ retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 } });
    const error = await client.epayment.getPayment('kiosk-07-0000000001-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsUnavailableError);
    expect((error as VippsUnavailableError).outcomeUnknown).toBe(false);
    expect((error as Error).message).toMatch(/no answer within 300 ms/);
  });

  it('never retries a 4xx and keeps the problem fields', async () => {
    server.enqueue(tokenAnswer('tok-1'), problem(400, '6080'));
    await makeClient();
    const error = await client.epayment
      .capture('kiosk-07-0000000001-1', { currency: 'NOK', value: 4990 }, 'kiosk-07-0000000001-1-capture-1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsApiError);
    expect(error).toMatchObject({
      status: 400,
      code: '6080',
      title: 'Cannot capture before reservation',
      detail: 'The amount is not reserved.',
      traceId: '00-abc-def-01',
    });
    expect((error as Error).message).toBe(
      'Vipps refused capture of kiosk-07-0000000001-1: Cannot capture before reservation — The amount is not reserved. (HTTP 400, code 6080, traceId 00-abc-def-01)',
    );
    expect(server.seen).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  it('reports a 2xx it cannot read as an unknown outcome, not a success or a failure', async () => {
    server.enqueue(tokenAnswer('tok-1'), { status: 200, body: '<html>proxy</html>' });
    await makeClient();
    const error = await client.epayment
      .cancel('kiosk-07-0000000001-1', { cancelTransactionOnly: true }, 'kiosk-07-0000000001-1-cancel-1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsUnavailableError);
    expect((error as VippsUnavailableError).outcomeUnknown).toBe(true);
  });

  it.each([
    ['reference', { reference: 'short' }],
    ['amount.value', { amount: { currency: 'NOK' as const, value: 49.9 } }],
    ['customer.phoneNumber', { customer: { phoneNumber: '+47 912 34 567' } }],
    ['customer.personalQr', { customer: { personalQr: 'https://example.com/qr' } }],
    ['paymentDescription', { paymentDescription: 'ab' }],
    ['receipt.orderLines', { amount: { currency: 'NOK' as const, value: 5000 } }],
    ['metadata', { metadata: { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' } }],
  ])('refuses to send a createPayment with an invalid %s', async (field, overrides) => {
    await makeClient();
    const error = await client.epayment
      .createPayment(paymentRequest(overrides), 'key-1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsRequestInvalidError);
    expect((error as VippsRequestInvalidError).field).toBe(field);
    expect(server.seen).toHaveLength(0);
  });

  it.each([
    ['customer', { customer: { phoneNumber: '4791234567' } }],
    ['qrFormat.format', { qrFormat: { format: 'TEXT_TARGETURL' } }],
    ['qrFormat.size', { qrFormat: { format: 'IMAGE/PNG', size: 99 } }],
  ])('refuses to send a QR createPayment with an invalid %s', async (field, overrides) => {
    await makeClient();
    const { customer: _pushOnly, ...common } = paymentRequest();
    const request = { ...common, userFlow: 'QR', qrFormat: { format: 'TEXT/TARGETURL' }, ...overrides };
    const error = await client.epayment.createPayment(request as never, 'key-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsRequestInvalidError);
    expect((error as VippsRequestInvalidError).field).toBe(field);
    expect(server.seen).toHaveLength(0);
  });

  it('refuses a customer named two ways and an Idempotency-Key over 50 characters', async () => {
    await makeClient();
    const both = paymentRequest({
      customer: { phoneNumber: '4791234567', personalQr: 'https://qr.vipps.no/p/x1' } as never,
    });
    await expect(client.epayment.createPayment(both, 'key-1')).rejects.toThrow(
      /customer names the customer 2 ways/,
    );
    await expect(client.epayment.createPayment(paymentRequest(), 'k'.repeat(51))).rejects.toThrow(
      /Idempotency-Key/,
    );
    expect(server.seen).toHaveLength(0);
  });
});

describe('operationKey', () => {
  it('derives the same key for the same operation and fits long references into 50 characters', () => {
    expect(operationKey('kiosk-07-0000000001-1', 'capture-1')).toBe('kiosk-07-0000000001-1-capture-1');
    const long = `k${'x'.repeat(60)}-1`;
    const key = operationKey(long, 'capture-1');
    expect(key).toHaveLength(50);
    expect(key).toBe(operationKey(long, 'capture-1'));
    expect(key).not.toBe(operationKey(`k${'x'.repeat(60)}-2`, 'capture-1'));
    expect(key.endsWith('-capture-1')).toBe(true);
  });
});
