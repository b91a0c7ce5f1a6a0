import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PushPaymentRequest } from '../../contracts/vipps-types.js';
import { settlementOf } from '../../device/checkout/domain/settlement.js';
import type { Payments } from '../../device/checkout/ports.js';
import { isOutcomeUnknown, isVippsUnreachable } from '../../device/checkout/vipps-outcomes.js';
import type { VippsClient } from '../../device/vipps/client.js';
import { VippsApiError } from '../../device/vipps/errors.js';
import { operationKey } from '../../device/vipps/request-rules.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { journalRequest } from '../support/journal-fixtures.js';
import { SandboxControl } from '../support/sandbox-control.js';
import { SHORT_TIMEOUTS, testClient } from '../support/vipps-client.js';

/** One implementation of Payments, built over the kiosk's real Vipps client (the innermost Payments). */
export interface PaymentsUnderTest {
  payments: Payments;
  /** Lets go of what the implementation holds (a journal file, MQTT subscriptions). */
  stop(): Promise<void> | void;
}

export type MakePayments = (vipps: Payments) => Promise<PaymentsUnderTest>;

/** Each attempt of a call waits this long for Vipps' answer: a lost answer costs the test no more. */
const ANSWER_WAIT_MS = 250;
const ATTEMPTS = 2;
const AMOUNT = 4990;

/** A fresh reference in the kiosk's shape `<kiosk>-<receipt>-<attempt>`, never met before by the sandbox. */
function freshReference(): string {
  return `contract-${randomBytes(5).toString('hex')}-1`;
}

async function refusal(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    (answer) => {
      throw new Error(`expected a refusal, got ${JSON.stringify(answer)}`);
    },
    (error: unknown) => error,
  );
}

/**
 * What every Payments implementation promises the checkout, run against each of them over the sandbox on
 * loopback: the raw Vipps client, and each wrapper the composition root puts around it. A wrapper may add
 * (write a journal, subscribe a topic) but never change an answer, an error or an outcome.
 */
export function paymentsContract(implementation: string, make: MakePayments): void {
  describe(`Payments contract: ${implementation}`, () => {
    let sandbox: RunningSandbox;
    let control: SandboxControl;
    let client: VippsClient;
    let under: PaymentsUnderTest;
    let payments: Payments;

    beforeAll(async () => {
      sandbox = await startSandbox();
      control = new SandboxControl(sandbox);
      client = testClient(sandbox.url, sandbox.credentials, {
        retry: { maxAttempts: ATTEMPTS, baseDelayMs: 1, maxDelayMs: 2 },
        timeouts: {
          ...SHORT_TIMEOUTS,
          createMs: ANSWER_WAIT_MS,
          readMs: ANSWER_WAIT_MS,
          modifyMs: ANSWER_WAIT_MS,
        },
        sleep: async () => {},
      });
      under = await make(client.epayment);
      payments = under.payments;
    });
    afterEach(() => control.clearFaults());
    afterAll(async () => {
      await under?.stop();
      await client?.stop();
      await sandbox?.close();
    });

    const request = (reference = freshReference(), customer = sandbox.customers[0]!.msisdn) => {
      const body = journalRequest(reference, AMOUNT);
      return { ...body, customer: { phoneNumber: customer } } satisfies PushPaymentRequest;
    };
    const created = async () => {
      const body = request();
      await payments.createPayment(body, operationKey(body.reference, 'create'));
      return body;
    };
    const approved = async () => {
      const body = await created();
      await control.act(body.reference, 'approve');
      return body;
    };
    const eventsNamed = async (reference: string, name: string) =>
      (await control.payment(reference)).events.filter((event) => event.name === name);
    /** Vipps leaves the first `ATTEMPTS` calls matching the rule unanswered after doing what they asked. */
    const loseAnswers = (path: string, method: 'GET' | 'POST') =>
      control.faults({ rules: [{ path, method, hang: true, after: true, count: ATTEMPTS }] });

    it('creates a payment that reads back as CREATED for its amount, open', async () => {
      const body = request();
      const answer = await payments.createPayment(body, operationKey(body.reference, 'create'));
      expect(answer.reference).toBe(body.reference);
      const payment = await payments.getPayment(body.reference);
      expect(payment).toMatchObject({ reference: body.reference, state: 'CREATED', amount: body.amount });
      expect(settlementOf(payment)).toBeNull();
    });

    it('answers a create repeated under the same key with the same payment, created once', async () => {
      const body = await created();
      const again = await payments.createPayment(body, operationKey(body.reference, 'create'));
      expect(again.reference).toBe(body.reference);
      expect(await eventsNamed(body.reference, 'CREATED')).toHaveLength(1);
    });

    it('refuses a second create of a reference under another key (409, 4150); the payment there stays as it was', async () => {
      const body = await created();
      const error = await refusal(payments.createPayment(body, operationKey(body.reference, 'create-again')));
      expect(error).toMatchObject({ status: 409, code: '4150' });
      expect((await payments.getPayment(body.reference)).state).toBe('CREATED');
    });

    it("keeps Vipps' problem+json on a refusal: HTTP status, ErrorCode and traceId", async () => {
      const body = request(freshReference(), '4799999999');
      const error = await refusal(payments.createPayment(body, operationKey(body.reference, 'create')));
      expect(error).toBeInstanceOf(VippsApiError);
      expect(error).toMatchObject({ status: 400, code: '7010' });
      expect((error as VippsApiError).traceId).toMatch(/\S/);
      expect(isOutcomeUnknown(error)).toBe(false);
    });

    it('answers a reference Vipps does not know with 404', async () => {
      const error = await refusal(payments.getPayment(freshReference()));
      expect(error).toBeInstanceOf(VippsApiError);
      expect(error).toMatchObject({ status: 404 });
    });

    it('reads a payment the customer rejected in the app as declined', async () => {
      const body = await created();
      await control.act(body.reference, 'reject');
      const payment = await payments.getPayment(body.reference);
      expect(payment.state).toBe('ABORTED');
      expect(settlementOf(payment)).toBe('declined');
    });

    it('cancels an unapproved payment "unapproved only" to TERMINATED, settled as cancelled', async () => {
      const body = await created();
      const answer = await payments.cancel(
        body.reference,
        { cancelTransactionOnly: true },
        operationKey(body.reference, 'cancel-1'),
      );
      expect(answer.state).toBe('TERMINATED');
      expect(settlementOf(answer)).toBe('cancelled');
      expect((await payments.getPayment(body.reference)).state).toBe('TERMINATED');
    });

    it('captures an approved payment in full, and only once when the capture is repeated under its key', async () => {
      const body = await approved();
      const before = await payments.getPayment(body.reference);
      expect(before.state).toBe('AUTHORIZED');
      expect(settlementOf(before)).toBeNull();
      const key = operationKey(body.reference, 'capture-1');
      const answer = await payments.capture(body.reference, body.amount, key);
      expect(answer.aggregate.capturedAmount.value).toBe(AMOUNT);
      expect(settlementOf(answer)).toBe('captured');
      const again = await payments.capture(body.reference, body.amount, key);
      expect(again.aggregate).toEqual(answer.aggregate);
      expect(await eventsNamed(body.reference, 'CAPTURED')).toHaveLength(1);
    });

    it('refuses "unapproved only" on an approved payment with 6060; a full cancel then releases all of it', async () => {
      const body = await approved();
      const error = await refusal(
        payments.cancel(
          body.reference,
          { cancelTransactionOnly: true },
          operationKey(body.reference, 'cancel-1'),
        ),
      );
      expect(error).toMatchObject({ status: 400, code: '6060' });
      const answer = await payments.cancel(
        body.reference,
        { cancelTransactionOnly: false },
        operationKey(body.reference, 'cancel-2'),
      );
      expect(answer.state).toBe('AUTHORIZED');
      expect(answer.aggregate.cancelledAmount.value).toBe(AMOUNT);
      expect(settlementOf(answer)).toBe('cancelled');
    });

    it('reports a create whose answer is lost as outcome unknown; the payment is then found by reading it', async () => {
      const body = request();
      await loseAnswers('/epayment/v1/payments', 'POST');
      const error = await refusal(payments.createPayment(body, operationKey(body.reference, 'create')));
      expect(error).not.toBeInstanceOf(VippsApiError);
      expect(isOutcomeUnknown(error)).toBe(true);
      await control.clearFaults();
      expect((await payments.getPayment(body.reference)).state).toBe('CREATED');
      expect(await eventsNamed(body.reference, 'CREATED')).toHaveLength(1);
    });

    it('reports a capture whose answer is lost as outcome unknown, not as a failure; its key then captures once', async () => {
      const body = await approved();
      const key = operationKey(body.reference, 'capture-1');
      await loseAnswers(`/epayment/v1/payments/${body.reference}/capture`, 'POST');
      const error = await refusal(payments.capture(body.reference, body.amount, key));
      expect(error).not.toBeInstanceOf(VippsApiError);
      expect(isOutcomeUnknown(error)).toBe(true);
      await control.clearFaults();
      const answer = await payments.capture(body.reference, body.amount, key);
      expect(settlementOf(answer)).toBe('captured');
      expect(await eventsNamed(body.reference, 'CAPTURED')).toHaveLength(1);
    });

    it('reports a cancel whose answer is lost as outcome unknown; reading the payment tells what happened', async () => {
      const body = await created();
      await loseAnswers(`/epayment/v1/payments/${body.reference}/cancel`, 'POST');
      const error = await refusal(
        payments.cancel(
          body.reference,
          { cancelTransactionOnly: true },
          operationKey(body.reference, 'cancel-1'),
        ),
      );
      expect(error).not.toBeInstanceOf(VippsApiError);
      expect(isOutcomeUnknown(error)).toBe(true);
      await control.clearFaults();
      expect(settlementOf(await payments.getPayment(body.reference))).toBe('cancelled');
    });

    it('reports a read that gets no answer as Vipps unreachable, never as a refusal of the payment', async () => {
      const body = await created();
      await loseAnswers(`/epayment/v1/payments/${body.reference}`, 'GET');
      const error = await refusal(payments.getPayment(body.reference));
      expect(error).not.toBeInstanceOf(VippsApiError);
      expect(isVippsUnreachable(error)).toBe(true);
      await control.clearFaults();
      expect((await payments.getPayment(body.reference)).state).toBe('CREATED');
    });
  });
}
