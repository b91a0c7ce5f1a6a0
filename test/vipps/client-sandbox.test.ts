import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/log/logger.js';
import type { VippsClient } from '../../device/vipps/client.js';
import { VippsApiError, VippsAuthError } from '../../device/vipps/errors.js';
import { operationKey } from '../../device/vipps/request-rules.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { SandboxControl } from '../support/sandbox-control.js';
import { SHORT_TIMEOUTS, testClient } from '../support/vipps-client.js';
import { contractPayment, uniqueReference } from './contract.js';

// The client against the sandbox over loopback with faults injected: what a flaky network and a
// busy Vipps do to each call, and that nothing secret or personal reaches the log.

describe('Vipps client against the sandbox', () => {
  let sandbox: RunningSandbox;
  let control: SandboxControl;
  let client: VippsClient;
  const sleeps: number[] = [];
  const logLines: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ tokenLifetimeSeconds: 3600 });
    control = new SandboxControl(sandbox);
    client = testClient(sandbox.url, sandbox.credentials, {
      retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 4 },
      timeouts: { ...SHORT_TIMEOUTS, tokenMs: 1000, createMs: 300, readMs: 300, modifyMs: 300, qrMs: 300 },
      logger: createLogger({ level: 'debug', journal: false, write: (line) => logLines.push(line) }),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
  });
  afterEach(async () => {
    await control.clearFaults();
    sleeps.length = 0;
  });
  afterAll(async () => {
    await client.stop();
    await sandbox.close();
  });

  const target = () => ({
    client,
    currency: 'NOK' as const,
    msisdn: sandbox.customers[0]!.msisdn,
    approve: async () => {},
  });
  const create = (reference = uniqueReference()) =>
    client.epayment
      .createPayment(contractPayment(target(), reference), operationKey(reference, 'create'))
      .then(() => reference);

  it('exchanges a personal QR of either format for the MSISDN', async () => {
    const [customer] = sandbox.customers;
    expect(await client.qr.exchange(customer!.personalQrV1)).toMatchObject({
      msisdn: customer!.msisdn,
      version: '1.0',
    });
    const v2 = await client.qr.exchange(customer!.personalQrV2);
    expect(v2).toMatchObject({ msisdn: customer!.msisdn, version: '2.0' });
    expect(typeof v2.timestamp).toBe('number');
    const error = await client.qr.exchange('https://qr.vipps.no/p/not-a-customer').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, extraDetails: [{ name: 'qrCode' }] });
  });

  it.each([
    ['an unknown phone number', { phoneNumber: '4799999999' }, '7010'],
    ['an unknown personal QR', { personalQr: 'https://qr.vipps.no/p/UnknownToken123' }, '4060'],
  ])('keeps the code when Vipps refuses %s', async (_, customer, code) => {
    const reference = uniqueReference();
    const request = { ...contractPayment(target(), reference), customer };
    const error = await client.epayment
      .createPayment(request, operationKey(reference, 'create'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsApiError);
    expect(error).toMatchObject({ status: 400, code });
    expect((error as VippsApiError).traceId).toMatch(/\S/);
  });

  it('retries 503s on create with the same key and creates the payment once', async () => {
    await control.faults({
      rules: [{ path: '/epayment/v1/payments', method: 'POST', status: 503, count: 2 }],
    });
    const reference = await create();
    const payment = await control.payment(reference);
    expect(payment.events.filter((e) => e.name === 'CREATED')).toHaveLength(1);
    expect(sleeps).toHaveLength(2);
  });

  it('honours Retry-After on a 429', async () => {
    await control.faults({
      rules: [{ path: '/epayment/v1/payments/', method: 'GET', status: 429, retryAfter: 3, count: 1 }],
    });
    const reference = await create();
    await client.epayment.getPayment(reference);
    expect(sleeps).toEqual([3000]);
  });

  it('retries a reset connection and a hung request', async () => {
    const reference = await create();
    await control.faults({
      rules: [{ path: '/epayment/v1/payments/', method: 'GET', reset: true, count: 1 }],
    });
    expect((await client.epayment.getPayment(reference)).state).toBe('CREATED');
    await control.faults({
      rules: [{ path: '/epayment/v1/payments/', method: 'GET', hang: true, count: 1 }],
    });
    expect((await client.epayment.getPayment(reference)).state).toBe('CREATED');
    expect(sleeps).toHaveLength(2);
  });

  it('does not capture twice when the answer to a capture is lost', async () => {
    const reference = await create();
    await control.act(reference, 'approve');
    await control.faults({
      rules: [{ path: `/epayment/v1/payments/${reference}/capture`, status: 500, after: true, count: 2 }],
    });
    const answer = await client.epayment.capture(
      reference,
      { currency: 'NOK', value: 25_000 },
      operationKey(reference, 'capture-1'),
    );
    expect(answer.aggregate.capturedAmount.value).toBe(25_000);
    const payment = await control.payment(reference);
    expect(payment.events.filter((e) => e.name === 'CAPTURED')).toHaveLength(1);
  });

  it('fetches a new token when the sandbox stops accepting the cached one, for all concurrent callers', async () => {
    const reference = await create();
    sandbox.clock.advance(3600 * 1000 + 1); // the sandbox expires the token; the client's clock has not moved
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => client.epayment.getPayment(reference)),
    );
    // An hour on, the unanswered request has expired; what matters is that every call got through.
    expect(answers.map((a) => a.state)).toEqual(Array(20).fill('EXPIRED'));
  });

  it('reports wrong credentials as an auth problem naming what to check', async () => {
    const wrong = testClient(
      sandbox.url,
      { ...sandbox.credentials, clientSecret: 'definitely-wrong-secret' },
      {
        retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
        logger: createLogger({ level: 'debug', journal: false, write: (line) => logLines.push(line) }),
      },
    );
    const error = await wrong.token.get().catch((e: unknown) => e);
    await wrong.stop();
    expect(error).toBeInstanceOf(VippsAuthError);
    expect((error as Error).message).toMatch(/client id or client secret/);
    expect((error as Error).message).not.toContain('definitely-wrong-secret');
  });

  it('keeps secrets and phone numbers out of every log line', async () => {
    const { clientSecret, subscriptionKey } = sandbox.credentials;
    const token = await client.token.get();
    expect(logLines.length).toBeGreaterThan(10);
    const all = logLines.join('\n');
    for (const secret of [
      clientSecret,
      subscriptionKey,
      token,
      'definitely-wrong-secret',
      sandbox.customers[0]!.msisdn,
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});
