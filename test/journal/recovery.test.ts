import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { JournalingPayments } from '../../device/journal/journaling-payments.js';
import { recoverPayments } from '../../device/journal/recovery.js';
import { RecoveryService } from '../../device/journal/recovery-service.js';
import { SqliteJournal } from '../../device/journal/sqlite-journal.js';
import type { VippsClient } from '../../device/vipps/client.js';
import { operationKey } from '../../device/vipps/request-rules.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { journalRequest } from '../support/journal-fixtures.js';
import { SandboxControl } from '../support/sandbox-control.js';
import { contractClient } from '../vipps/contract.js';

/** No window for late creates: "not found" means not created. */
const AT_ONCE = { now: Date.now, lateWindowMs: 0 };

// Recovery after a crash at each step of a payment, in-process: the journal and the sandbox's ledger
// are left as a crash at that step leaves them, then recovery runs as the daemon runs it at start.

describe('recovery of unfinished payments', () => {
  let sandbox: RunningSandbox;
  let control: SandboxControl;
  let client: VippsClient;
  let journal: SqliteJournal;
  let payments: JournalingPayments;

  beforeEach(async () => {
    sandbox = await startSandbox();
    control = new SandboxControl(sandbox);
    client = contractClient(sandbox.url, sandbox.credentials);
    journal = SqliteJournal.open(join(await mkdtemp(join(tmpdir(), 'vk-recovery-')), 'journal.sqlite'));
    payments = new JournalingPayments(client.epayment, journal);
  });
  afterEach(async () => {
    journal.stop();
    await client.stop();
    await sandbox.close();
  });

  const request = (n: number) => journalRequest(`k-1-000000000${n}-1`, 2_500);
  const customer = () => sandbox.customers[0]!.msisdn;
  /** A payment the crashed daemon created through the journal, as far as `until` got. */
  async function created(n: number) {
    const body = { ...request(n), customer: { phoneNumber: customer() } };
    await payments.createPayment(body, operationKey(body.reference, 'create'));
    return body.reference;
  }

  it('closes a payment whose create never reached Vipps, and makes nothing', async () => {
    journal.paymentRequested(request(1), operationKey(request(1).reference, 'create'));
    expect(await recoverPayments(journal, payments, silentLogger, AT_ONCE)).toEqual({
      captured: 0,
      cancelled: 0,
      closed: 1,
      unresolved: 0,
      watching: 0,
    });
    expect(journal.outcome(request(1).reference)).toBe('not-created');
    expect(await control.payments()).toEqual([]);
  });

  it('keeps watching a create Vipps does not know yet, and cancels it if it shows up late', async () => {
    const body = { ...request(1), customer: { phoneNumber: customer() } };
    journal.paymentRequested(body, operationKey(body.reference, 'create'));
    const watchful = { now: Date.now, lateWindowMs: 60_000 };
    expect(await recoverPayments(journal, payments, silentLogger, watchful)).toMatchObject({
      watching: 1,
      closed: 0,
    });
    expect(journal.outcome(body.reference)).toBeNull();
    // The create Vipps had taken in is processed after all.
    await client.epayment.createPayment(body, operationKey(body.reference, 'create'));
    expect(await recoverPayments(journal, payments, silentLogger, watchful)).toMatchObject({ cancelled: 1 });
    expect((await control.payment(body.reference)).state).toBe('TERMINATED');
  });

  it('releases an approval the customer walked away from instead of capturing it', async () => {
    const reference = await created(1);
    await control.act(reference, 'approve');
    journal.step(reference, 'abandoned', {});
    expect(await recoverPayments(journal, payments, silentLogger, AT_ONCE)).toMatchObject({ cancelled: 1 });
    const payment = await control.payment(reference);
    expect(payment.aggregate).toMatchObject({
      cancelledAmount: { value: 2_500 },
      capturedAmount: { value: 0 },
    });
  });

  it('cancels a request still waiting on the phone: the customer is gone', async () => {
    const reference = await created(1);
    expect(await recoverPayments(journal, payments, silentLogger, AT_ONCE)).toMatchObject({ cancelled: 1 });
    expect((await control.payment(reference)).state).toBe('TERMINATED');
    expect(journal.outcome(reference)).toBe('cancelled');
  });

  it('captures an approved payment the customer paid for, once, with the checkout’s capture key', async () => {
    const reference = await created(1);
    await control.act(reference, 'approve');
    expect(await recoverPayments(journal, payments, silentLogger, AT_ONCE)).toMatchObject({ captured: 1 });
    const payment = await control.payment(reference);
    expect(payment.aggregate.capturedAmount.value).toBe(2_500);
    expect(payment.events.filter((e) => e.name === 'CAPTURED').map((e) => e.idempotencyKey)).toEqual([
      operationKey(reference, 'capture-1'),
    ]);
    expect(journal.outcome(reference)).toBe('captured');
  });

  it('only writes down a capture that happened before the crash lost its answer', async () => {
    const reference = await created(1);
    await control.act(reference, 'approve');
    await control.faults({
      rules: [{ path: `/epayment/v1/payments/${reference}/capture`, status: 500, after: true, count: 10 }],
    });
    await expect(
      payments.capture(reference, { currency: 'NOK', value: 2_500 }, operationKey(reference, 'capture-1')),
    ).rejects.toThrow();
    await control.clearFaults();
    expect(journal.outcome(reference)).toBeNull();
    expect(await recoverPayments(journal, payments, silentLogger, AT_ONCE)).toMatchObject({ captured: 1 });
    expect((await control.payment(reference)).events.filter((e) => e.name === 'CAPTURED')).toHaveLength(1);
  });

  it('releases an approval the customer had asked to cancel', async () => {
    const reference = await created(1);
    await control.act(reference, 'approve');
    journal.step(
      reference,
      'cancel-requested',
      { cancelTransactionOnly: true },
      operationKey(reference, 'cancel-1'),
    );
    expect(await recoverPayments(journal, payments, silentLogger, AT_ONCE)).toMatchObject({ cancelled: 1 });
    const payment = await control.payment(reference);
    expect(payment.aggregate).toMatchObject({
      cancelledAmount: { value: 2_500 },
      capturedAmount: { value: 0 },
    });
  });

  it('captures a request the customer approved between recovery’s read and its cancel (6060)', async () => {
    const reference = await created(1);
    // The customer taps Approve just after recovery has read the payment as CREATED.
    const approvingLate = new JournalingPayments(
      {
        createPayment: (body, key) => client.epayment.createPayment(body, key),
        getPayment: async (ref) => {
          const payment = await client.epayment.getPayment(ref);
          if (payment.state === 'CREATED') await control.act(ref, 'approve');
          return payment;
        },
        capture: (ref, amount, key) => client.epayment.capture(ref, amount, key),
        cancel: (ref, options, key) => client.epayment.cancel(ref, options, key),
      },
      journal,
    );
    expect(await recoverPayments(journal, approvingLate, silentLogger, AT_ONCE)).toMatchObject({
      captured: 1,
    });
    const payment = await control.payment(reference);
    expect(payment.aggregate).toMatchObject({
      capturedAmount: { value: 2_500 },
      cancelledAmount: { value: 0 },
    });
  });

  it('writes down declined payments', async () => {
    const reference = await created(1);
    await control.act(reference, 'reject');
    expect(await recoverPayments(journal, payments, silentLogger, AT_ONCE)).toMatchObject({ closed: 1 });
    expect(journal.outcome(reference)).toBe('declined');
  });

  it('leaves a payment unresolved while Vipps cannot be asked, and resolves it on a later pass', async () => {
    const reference = await created(1);
    await control.act(reference, 'open'); // the customer is approving right now: cancel answers 6250
    await control.faults({ rules: [{ path: '/epayment', status: 503, count: 3 }] });
    const service = new RecoveryService(journal, payments, {
      logger: silentLogger,
      retryMs: 20,
      lateWindowMs: 0,
      now: Date.now,
    });
    service.start();
    await service.settled();
    expect(service.report()).toMatchObject({ unresolved: 1 });
    await control.act(reference, 'approve');
    await expect.poll(() => service.report()?.unresolved, { timeout: 3000, interval: 20 }).toBe(0);
    await service.stop();
    expect(service.report()).toMatchObject({ captured: 1, unresolved: 0 });
    expect((await control.payment(reference)).aggregate.capturedAmount.value).toBe(2_500);
  });
});
