import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CreatePaymentRequest, Currency } from '../../contracts/vipps-types.js';
import type { VippsClient, VippsCredentials } from '../../device/vipps/client.js';
import { VippsApiError } from '../../device/vipps/errors.js';
import { operationKey } from '../../device/vipps/request-rules.js';
import { testClient } from '../support/vipps-client.js';
import { itemAt, paymentRequest } from '../support/vipps-receipt.js';

export interface ContractTarget {
  client: VippsClient;
  currency: Currency;
  /** A test customer who can pay: the test user of the sales unit, or a sandbox customer. */
  msisdn: string;
  /** As the customer: the ePayment test-only force approve (`/epayment/v1/test/payments/{ref}/approve`). */
  approve(reference: string): Promise<void>;
}

export function contractClient(baseUrl: string, credentials: VippsCredentials): VippsClient {
  return testClient(baseUrl, credentials, {
    retry: { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2000 },
    timeouts: {
      connectMs: 5000,
      tokenMs: 10_000,
      createMs: 15_000,
      readMs: 10_000,
      modifyMs: 15_000,
      qrMs: 10_000,
    },
  });
}

/** The ePayment test-only approve, which both the real test environment and the sandbox offer. */
export function forceApprover(
  client: VippsClient,
  baseUrl: string,
  credentials: VippsCredentials,
  msisdn: string,
) {
  return async (reference: string): Promise<void> => {
    const res = await fetch(`${baseUrl}/epayment/v1/test/payments/${encodeURIComponent(reference)}/approve`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await client.token.get()}`,
        'ocp-apim-subscription-key': credentials.subscriptionKey,
        'merchant-serial-number': credentials.merchantSerialNumber,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ customer: { phoneNumber: msisdn } }),
    });
    if (!res.ok) throw new Error(`force approve of ${reference}: HTTP ${res.status} ${await res.text()}`);
  };
}

export function contractPayment(
  target: ContractTarget,
  reference: string,
  value = 25_000,
): CreatePaymentRequest {
  return paymentRequest({
    reference,
    items: [itemAt(value, 2_500, 'Contract test item')],
    customer: { phoneNumber: target.msisdn },
    currency: target.currency,
    posId: 'contract-test',
    receiptNumber: '1',
    paymentDescription: 'vipps-kiosk contract test',
  });
}

/** Fresh per run so a rerun against the real test environment never meets its own old references. */
export function uniqueReference(): string {
  return `vk-contract-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * What the kiosk relies on from Vipps, written once and run against every target: the sandbox always,
 * the real Vipps test environment when its credentials are given.
 */
export function vippsContract(name: string, target: () => ContractTarget): void {
  describe(`Vipps contract: ${name}`, () => {
    const create = async (value?: number) => {
      const { client } = target();
      const reference = uniqueReference();
      const answer = await client.epayment.createPayment(
        contractPayment(target(), reference, value),
        operationKey(reference, 'create'),
      );
      expect(answer.reference).toBe(reference);
      return reference;
    };

    it('creates a push payment that reads back as CREATED, with its CREATED event', async () => {
      const { client } = target();
      const reference = await create();
      const payment = await client.epayment.getPayment(reference);
      expect(payment).toMatchObject({ reference, state: 'CREATED', amount: { value: 25_000 } });
      expect(payment.aggregate.authorizedAmount.value).toBe(0);
      const events = await client.epayment.getEvents(reference);
      expect(events.map((e) => e.name)).toEqual(['CREATED']);
      expect(events[0]?.idempotencyKey).toBe(operationKey(reference, 'create'));
    });

    it('answers a repeated create with the same key and body as the first, creating nothing new', async () => {
      const { client } = target();
      const reference = await create();
      const again = await client.epayment.createPayment(
        contractPayment(target(), reference),
        operationKey(reference, 'create'),
      );
      expect(again.reference).toBe(reference);
      expect((await client.epayment.getEvents(reference)).filter((e) => e.name === 'CREATED')).toHaveLength(
        1,
      );
    });

    it('refuses the same reference under another key (4150)', async () => {
      const { client } = target();
      const reference = await create();
      const error = await client.epayment
        .createPayment(contractPayment(target(), reference), operationKey(reference, 'create-again'))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VippsApiError);
      expect((error as VippsApiError).code).toBe('4150');
    });

    it('terminates an unapproved payment on cancel with cancelTransactionOnly', async () => {
      const { client } = target();
      const reference = await create();
      const answer = await client.epayment.cancel(
        reference,
        { cancelTransactionOnly: true },
        operationKey(reference, 'cancel-1'),
      );
      expect(answer.state).toBe('TERMINATED');
      expect((await client.epayment.getPayment(reference)).state).toBe('TERMINATED');
    });

    it('captures in parts up to the authorized amount, then refunds, with the aggregate exact', async () => {
      const { client, currency } = target();
      const reference = await create();
      await target().approve(reference);
      expect((await client.epayment.getPayment(reference)).state).toBe('AUTHORIZED');
      await client.epayment.capture(
        reference,
        { currency, value: 10_000 },
        operationKey(reference, 'capture-1'),
      );
      const last = await client.epayment.capture(
        reference,
        { currency, value: 15_000 },
        operationKey(reference, 'capture-2'),
      );
      expect(last.state).toBe('AUTHORIZED');
      expect(last.aggregate.capturedAmount.value).toBe(25_000);
      const tooMuch = await client.epayment
        .capture(reference, { currency, value: 1 }, operationKey(reference, 'capture-3'))
        .catch((e: unknown) => e);
      expect((tooMuch as VippsApiError).code).toBe('6090');
      const refunded = await client.epayment.refund(
        reference,
        { currency, value: 5_000 },
        operationKey(reference, 'refund-1'),
      );
      expect(refunded.aggregate).toMatchObject({
        capturedAmount: { value: 25_000 },
        refundedAmount: { value: 5_000 },
      });
    });

    it('refuses "unapproved only" on an approved payment (6060); a full cancel releases the rest', async () => {
      const { client } = target();
      const reference = await create();
      await target().approve(reference);
      const error = await client.epayment
        .cancel(reference, { cancelTransactionOnly: true }, operationKey(reference, 'cancel-1'))
        .catch((e: unknown) => e);
      expect((error as VippsApiError).code).toBe('6060');
      const cancelled = await client.epayment.cancel(
        reference,
        { cancelTransactionOnly: false },
        operationKey(reference, 'cancel-2'),
      );
      expect(cancelled.state).toBe('AUTHORIZED');
      expect(cancelled.aggregate.cancelledAmount.value).toBe(25_000);
    });

    it('answers an unknown reference with 404', async () => {
      const error = await target()
        .client.epayment.getPayment(uniqueReference())
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VippsApiError);
      expect((error as VippsApiError).status).toBe(404);
    });
  });
}
