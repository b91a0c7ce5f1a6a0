import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { CashRegister } from '../../device/cash-register/cash-register.js';
import { CashRegisterStore } from '../../device/cash-register/journal-store.js';
import { type RefundRecoveryParts, recoverRefunds } from '../../device/returns/refund-recovery.js';
import { journalRefunded, type Refunds, refundKey } from '../../device/returns/return-desk.js';
import { VippsUnavailableError } from '../../device/vipps/errors.js';
import { BREAD, type Counter, MILK, openCounter } from './return-counter.js';

describe('a refund that Vipps refuses, that is cut off, or that the till cannot journal', () => {
  let counter: Counter;

  beforeEach(async () => {
    counter = await openCounter();
  });

  afterEach(async () => {
    await counter.stop();
  });

  const refunded = async (reference: string) =>
    (await counter.kiosk.control.payment(reference)).aggregate.refundedAmount.value;
  const recoveryParts = (vipps: Refunds, register = counter.till.register): RefundRecoveryParts => {
    const journaling = {
      refunds: counter.kiosk.journal!.refunds,
      register,
      now: () => counter.kiosk.clock.now(),
    };
    return {
      ...journaling,
      vipps,
      logger: silentLogger,
      finish: (refund, answer) => {
        journalRefunded(journaling, refund, answer);
      },
    };
  };

  it("keeps Vipps' refusal (code, status, traceId), tells staff what to do, and a new return then works", async () => {
    const sale = await counter.sell([MILK, BREAD]);
    await counter.kiosk.control.refuse(sale.reference, '6160', { operations: ['refund'] });
    const refused = await counter.desk.refund({
      receiptNumber: sale.receiptNumber,
      lines: [{ index: 0, quantity: 1 }],
      employeeId: 'E7',
    });
    expect(refused).toMatchObject({
      ok: false,
      code: 'vipps-refused',
      message: expect.stringMatching(/busy with another change.*Vipps error 6160, HTTP \d{3}, trace \S+/),
    });
    expect(refused).not.toHaveProperty('pending');
    const [record] = counter.kiosk.journal!.refunds.of(sale.receiptNumber);
    expect(record).toMatchObject({
      outcome: 'refused',
      answer: { code: '6160', traceId: expect.any(String) },
    });
    expect(record!.registeredAt).not.toBeNull();
    expect(counter.till.store.ofKind('return')).toEqual([]);
    // Refused means nothing moved: the whole sale is still refundable, and a new return (new key) works.
    expect(counter.desk.find(sale.receiptNumber)).toMatchObject({ ok: true, sale: { refundable: 6780 } });
    const again = await counter.desk.refund({
      receiptNumber: sale.receiptNumber,
      lines: [{ index: 0, quantity: 1 }],
      employeeId: 'E7',
    });
    expect(again).toMatchObject({ ok: true, receipt: { receiptNumber: 'R0000000001', total: 2490 } });
    expect(await refunded(sale.reference)).toBe(2490);
    expect(await recoverRefunds(recoveryParts(counter.kiosk.client.epayment))).toEqual({
      journaled: 0,
      refused: 0,
      unresolved: 0,
    });
  });

  it('a crash after Vipps refunded and before the till journaled it: recovery writes the return exactly once', async () => {
    const sale = await counter.sell([MILK, MILK, BREAD]);
    const real = counter.kiosk.client.epayment;
    const keysAtCall: string[] = [];
    // Vipps refunds, then the kiosk loses power before it hears the answer.
    const cutOff: Refunds = {
      async refund(reference, amount, key) {
        keysAtCall.push(...counter.kiosk.journal!.refunds.unfinished().map((r) => r.idempotencyKey));
        await real.refund(reference, amount, key);
        throw new Error('power cut');
      },
    };
    const pending = await counter.deskOn(cutOff).refund({
      receiptNumber: sale.receiptNumber,
      lines: [{ index: 0, quantity: 2 }],
      employeeId: 'E7',
    });
    expect(pending).toMatchObject({ ok: false, code: 'refund-pending', pending: true });
    // The refund was on disk, with its key, before the call went out.
    expect(keysAtCall).toEqual([refundKey(`${sale.receiptNumber}-1`)]);
    expect(await refunded(sale.reference)).toBe(4980);
    expect(counter.till.store.ofKind('return')).toEqual([]);
    // Staff cannot refund those two milks again meanwhile: a pending refund counts as made.
    expect(
      await counter.desk.refund({
        receiptNumber: sale.receiptNumber,
        lines: [{ index: 0, quantity: 1 }],
        employeeId: 'E7',
      }),
    ).toMatchObject({ ok: false, code: 'too-many' });

    // After the restart: the journals reopened, recovery asks Vipps again with the same key.
    counter.till.store.close();
    const store = CashRegisterStore.open(counter.till.store.path);
    const register = new CashRegister(store, counter.till.key, () => counter.kiosk.clock.now());
    expect(await recoverRefunds(recoveryParts(real, register))).toEqual({
      journaled: 1,
      refused: 0,
      unresolved: 0,
    });
    expect(await recoverRefunds(recoveryParts(real, register))).toEqual({
      journaled: 0,
      refused: 0,
      unresolved: 0,
    });
    expect(await refunded(sale.reference)).toBe(4980);
    const rows = store.ofKind('return');
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.data)).toMatchObject({ amountIn: -4980, returnNumber: 'R0000000001' });
    expect(counter.kiosk.journal!.refunds.unfinished()).toEqual([]);
    store.close();
  });

  it('a crash after the till journaled the return but before the payment journal noted it: not written twice', async () => {
    const sale = await counter.sell([MILK, BREAD]);
    const { refunds } = counter.kiosk.journal!;
    const returnId = `${sale.receiptNumber}-1`;
    const ret = {
      returnId,
      returnOf: sale.receiptNumber,
      reference: sale.reference,
      pspReference: null,
      employeeId: 'E7',
      paymentType: 'VIPPS' as const,
      currency: 'NOK',
      amountIn: -4290,
      amountEx: -3730,
      lines: [
        {
          index: 1,
          gtin: BREAD,
          name: 'Brød grovt',
          quantity: 1,
          unitPrice: 4290,
          amountIn: -4290,
          amountEx: -3730,
          vat: -560,
          vatRate: 1500,
        },
      ],
      vat: [{ rate: 1500, amount: -560, basis: -3730 }],
      refundedAt: counter.kiosk.clock.now(),
    };
    // The desk's steps, up to the crash: journaled, refunded, answered, the till's row written...
    refunds.requested({ returnId, idempotencyKey: refundKey(returnId), ret, amount: 4290 });
    const answer = await counter.kiosk.client.epayment.refund(
      sale.reference,
      { currency: 'NOK', value: 4290 },
      refundKey(returnId),
    );
    refunds.answered(returnId, 'refunded', { pspReference: answer.pspReference });
    const row = counter.till.register.returned(ret);
    // ...and the power went before the payment journal noted the row. Recovery finds it by its id.
    expect(await recoverRefunds(recoveryParts(counter.kiosk.client.epayment))).toEqual({
      journaled: 1,
      refused: 0,
      unresolved: 0,
    });
    expect(counter.till.store.ofKind('return')).toEqual([row]);
    expect(refunds.unfinished()).toEqual([]);
    expect(await refunded(sale.reference)).toBe(4290);
  });

  it('Vipps does not answer: the return is pending, never failed, and recovery finishes it when Vipps is back', async () => {
    const sale = await counter.sell([MILK, BREAD]);
    const real = counter.kiosk.client.epayment;
    const unanswered: Refunds = {
      refund: () =>
        Promise.reject(
          new VippsUnavailableError({ name: 'refund', reference: sale.reference }, 'timed out', {
            outcomeUnknown: true,
            attempts: 3,
          }),
        ),
    };
    const pending = await counter.deskOn(unanswered).refund({
      receiptNumber: sale.receiptNumber,
      lines: [{ index: 1, quantity: 1 }],
      employeeId: 'E7',
    });
    expect(pending).toMatchObject({
      ok: false,
      pending: true,
      message: expect.stringContaining('Do not refund this return again'),
    });
    expect(await recoverRefunds(recoveryParts(unanswered))).toEqual({
      journaled: 0,
      refused: 0,
      unresolved: 1,
    });
    expect(await refunded(sale.reference)).toBe(0);
    expect(await recoverRefunds(recoveryParts(real))).toEqual({ journaled: 1, refused: 0, unresolved: 0 });
    expect(await refunded(sale.reference)).toBe(4290);
    expect(counter.till.store.ofKind('return')).toHaveLength(1);
  });

  it('Vipps could not be reached at all: nothing was refunded, staff may simply try again', async () => {
    const sale = await counter.sell([MILK]);
    const unreachable: Refunds = {
      refund: () =>
        Promise.reject(
          new VippsUnavailableError({ name: 'refund', reference: sale.reference }, 'connection refused', {
            outcomeUnknown: false,
            attempts: 3,
          }),
        ),
    };
    const outcome = await counter.deskOn(unreachable).refund({
      receiptNumber: sale.receiptNumber,
      lines: [{ index: 0, quantity: 1 }],
      employeeId: 'E7',
    });
    expect(outcome).toMatchObject({ ok: false, code: 'vipps-unavailable' });
    expect(outcome).not.toHaveProperty('pending');
    expect(counter.desk.find(sale.receiptNumber)).toMatchObject({ ok: true, sale: { refundable: 2490 } });
  });

  it('refunded, but the till journal cannot be written: pending for staff, and written once it can be', async () => {
    const sale = await counter.sell([MILK, BREAD]);
    // Another program holds the cash-register file's write lock (the journal's busy timeout runs out).
    const holder = new Database(counter.till.store.path);
    holder.prepare('BEGIN IMMEDIATE').run();
    const pending = await counter.desk.refund({
      receiptNumber: sale.receiptNumber,
      lines: [{ index: 0, quantity: 1 }],
      employeeId: 'E7',
    });
    expect(pending).toMatchObject({
      ok: false,
      code: 'journal-pending',
      pending: true,
      message: expect.stringContaining('Vipps has refunded 24.90 NOK'),
    });
    expect((pending as { message: string }).message).toContain('another program holds the file');
    expect(await refunded(sale.reference)).toBe(2490);
    expect(counter.till.store.ofKind('return')).toEqual([]);
    // The file is free again: recovery writes the row, and does not refund again.
    holder.prepare('ROLLBACK').run();
    holder.close();
    expect(await recoverRefunds(recoveryParts(counter.kiosk.client.epayment))).toEqual({
      journaled: 1,
      refused: 0,
      unresolved: 0,
    });
    expect(counter.till.store.ofKind('return')).toHaveLength(1);
    expect(await refunded(sale.reference)).toBe(2490);
  }, 20_000);
});
