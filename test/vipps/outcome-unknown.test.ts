import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isOutcomeUnknown } from '../../device/checkout/vipps-outcomes.js';
import type { VippsClient } from '../../device/vipps/client.js';
import { VippsApiError, VippsOutcomeUnknownError } from '../../device/vipps/errors.js';
import { operationKey } from '../../device/vipps/request-rules.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { SandboxControl } from '../support/sandbox-control.js';
import { SHORT_TIMEOUTS, testClient } from '../support/vipps-client.js';
import { contractPayment, uniqueReference } from './contract.js';

// Issue 14, item 1: once an attempt of a mutating call may have reached Vipps, a later refusal of the
// same call cannot mean "nothing happened". The sandbox loses the first answer (after the work is done);
// between attempts the test swaps in a refusal for the retry, as Vipps could answer it.

describe('a refusal that follows an attempt whose outcome is unknown', () => {
  let sandbox: RunningSandbox;
  let control: SandboxControl;
  let client: VippsClient;
  /** The fault plan put in force before the next retry, then forgotten. */
  let beforeRetry: unknown;

  beforeAll(async () => {
    sandbox = await startSandbox({ tokenLifetimeSeconds: 3600 });
    control = new SandboxControl(sandbox);
    client = testClient(sandbox.url, sandbox.credentials, {
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
      timeouts: { ...SHORT_TIMEOUTS, createMs: 300, modifyMs: 300 },
      sleep: async () => {
        if (beforeRetry === undefined) return;
        await control.faults(beforeRetry);
        beforeRetry = undefined;
      },
    });
  });
  afterEach(async () => {
    beforeRetry = undefined;
    await control.clearFaults();
  });
  afterAll(async () => {
    await client.stop();
    await sandbox.close();
  });

  const request = (reference: string) =>
    contractPayment(
      { client, currency: 'NOK', msisdn: sandbox.customers[0]!.msisdn, approve: async () => {} },
      reference,
    );
  const refusal = { path: '/epayment/v1/payments', method: 'POST', status: 409, count: 1 };

  it.each([
    ['a 500 after the payment was made', { status: 500 }],
    ['no answer at all after the payment was made', { hang: true }],
  ])('create: %s, then a 409 to the retry, is outcome unknown, not "not created"', async (_, lost) => {
    const reference = uniqueReference();
    await control.faults({
      rules: [{ path: '/epayment/v1/payments', method: 'POST', after: true, count: 1, ...lost }],
    });
    beforeRetry = { rules: [refusal] };

    const error = await client.epayment
      .createPayment(request(reference), operationKey(reference, 'create'))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(VippsOutcomeUnknownError);
    expect(isOutcomeUnknown(error)).toBe(true);
    // The refusal that ended it is kept for support: status, code and traceId as Vipps sent them.
    const refused = (error as VippsOutcomeUnknownError).refusal;
    expect(refused).toBeInstanceOf(VippsApiError);
    expect(refused).toMatchObject({ status: 409 });
    expect((refused as VippsApiError).traceId).toMatch(/\S/);
    expect((error as VippsOutcomeUnknownError).traceId).toBe((refused as VippsApiError).traceId);
    expect((error as Error).message).toMatch(/HTTP 409.*read back/);
    // And indeed the first attempt made the payment: reading it back finds it.
    expect((await client.epayment.getPayment(reference)).state).toBe('CREATED');
  });

  it('capture: a lost answer, then a refusal of the retry, is outcome unknown', async () => {
    const reference = uniqueReference();
    await client.epayment.createPayment(request(reference), operationKey(reference, 'create'));
    await control.act(reference, 'approve');
    const capturePath = `/epayment/v1/payments/${reference}/capture`;
    await control.faults({ rules: [{ path: capturePath, status: 502, after: true, count: 1 }] });
    beforeRetry = { rules: [{ path: capturePath, status: 400, count: 1 }] };

    const error = await client.epayment
      .capture(reference, { currency: 'NOK', value: 100 }, operationKey(reference, 'capture-1'))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(VippsOutcomeUnknownError);
    expect((await client.epayment.getPayment(reference)).aggregate.capturedAmount.value).toBe(100);
  });

  it('a refusal of the first attempt stays a plain refusal: nothing can have happened', async () => {
    const reference = uniqueReference();
    await control.faults({ rules: [refusal] });
    const error = await client.epayment
      .createPayment(request(reference), operationKey(reference, 'create'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsApiError);
    expect(isOutcomeUnknown(error)).toBe(false);
  });

  it('a refusal after a 429 (Vipps did not take the call in) stays a plain refusal', async () => {
    const reference = uniqueReference();
    await control.faults({
      rules: [{ path: '/epayment/v1/payments', method: 'POST', status: 429, retryAfter: 0, count: 1 }],
    });
    beforeRetry = { rules: [refusal] };
    const error = await client.epayment
      .createPayment(request(reference), operationKey(reference, 'create'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsApiError);
  });
});
