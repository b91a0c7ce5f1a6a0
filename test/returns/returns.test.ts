import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReturnRow } from '../../device/checkout/domain/return-row.js';
import { refundKey } from '../../device/returns/return-desk.js';
import { BREAD, type Counter, MILK, openCounter } from './return-counter.js';

describe('returns at the kiosk, refunded through the sandbox', () => {
  let counter: Counter;

  beforeEach(async () => {
    counter = await openCounter();
  });

  afterEach(async () => {
    await counter.stop();
  });

  const returnRows = () =>
    counter.till.store.ofKind('return').map((row) => JSON.parse(row.data) as ReturnRow);

  it('finds a sale by its receipt number as scanned or typed, with what can still come back', async () => {
    const sale = await counter.sell([MILK, MILK, BREAD]);
    const typed = counter.desk.find(String(Number(sale.receiptNumber)));
    expect(typed).toEqual({
      ok: true,
      sale: {
        receiptNumber: sale.receiptNumber,
        paidAt: sale.paidAt,
        currency: 'NOK',
        refundable: 9270,
        lines: [
          { index: 0, name: 'Melk 1 l', quantity: 2, unitPrice: 2490, returnable: 2 },
          { index: 1, name: 'Brød grovt', quantity: 1, unitPrice: 4290, returnable: 1 },
        ],
      },
    });
    expect(counter.desk.find(` ${sale.receiptNumber}\n`)).toEqual(typed);
  });

  it('refunds part of a sale: one milk of two, journaled before the call, signed, with its Returkvittering', async () => {
    const sale = await counter.sell([MILK, MILK, BREAD]);
    const outcome = await counter.desk.refund({
      receiptNumber: sale.receiptNumber,
      lines: [{ index: 0, quantity: 1 }],
      employeeId: 'E7',
    });
    expect(outcome).toMatchObject({
      ok: true,
      receipt: {
        heading: 'Returkvittering',
        returnOf: sale.receiptNumber,
        receiptNumber: 'R0000000001',
        kioskId: 'kiosk-07',
        seller: { registration: 'Org.nr 974 760 673 MVA' },
        lines: [{ name: 'Melk 1 l', quantity: 1, unitPrice: 2490, amount: 2490 }],
        total: 2490,
        currency: 'NOK',
        payment: { type: 'Vipps MobilePay', amount: 2490, reference: sale.reference },
      },
    });
    // Vipps refunded exactly that, once, under the key derived from the return.
    const payment = await counter.kiosk.control.payment(sale.reference);
    expect(payment.aggregate.refundedAmount.value).toBe(2490);
    expect(payment.events.filter((e) => e.name === 'REFUNDED').map((e) => e.idempotencyKey)).toEqual([
      refundKey(`${sale.receiptNumber}-1`),
    ]);
    // The payment journal holds it as refunded and journaled at the till.
    const [refund] = counter.kiosk.journal!.refunds.of(sale.receiptNumber);
    expect(refund).toMatchObject({ outcome: 'refunded', amount: 2490, reference: sale.reference });
    expect(refund!.registeredAt).not.toBeNull();
    // The till's row: negative amounts, the employee, signed in the same chain as the sale.
    const [row] = counter.till.store.ofKind('return');
    expect(row).toMatchObject({ code: '11006', transNr: 2, keyVersion: 1 });
    expect(JSON.parse(row!.data)).toMatchObject({
      returnOf: sale.receiptNumber,
      employeeId: 'E7',
      amountIn: -2490,
      lines: [{ index: 0, quantity: 1, amountIn: -2490, vatRate: 1500 }],
    });
    expect(refund!.ret.pspReference).toEqual(expect.any(String));
    expect(counter.till.store.last()).toMatchObject({ kind: 'return.receipt', code: '13013' });
    expect(counter.desk.find(sale.receiptNumber)).toMatchObject({
      ok: true,
      sale: { refundable: 6780, lines: [{ returnable: 1 }, { returnable: 1 }] },
    });
  });

  it('takes two returns up to the whole sale, then refuses a third: nothing is left', async () => {
    const sale = await counter.sell([MILK, MILK, BREAD]);
    const first = await counter.desk.refund({
      receiptNumber: sale.receiptNumber,
      lines: [{ index: 0, quantity: 1 }],
      employeeId: 'E7',
    });
    const second = await counter.desk.refund({
      receiptNumber: sale.receiptNumber,
      lines: [
        { index: 0, quantity: 1 },
        { index: 1, quantity: 1 },
      ],
      employeeId: 'E7',
    });
    expect([first.ok, second.ok]).toEqual([true, true]);
    expect(second).toMatchObject({ receipt: { receiptNumber: 'R0000000002', total: 6780 } });
    expect(returnRows().reduce((sum, r) => sum - r.amountIn, 0)).toBe(sale.amountIn);
    // The VAT of the two returns adds up to the sale's, øre for øre.
    expect(returnRows().reduce((sum, r) => sum - r.amountEx, 0)).toBe(sale.amountEx);

    const third = await counter.desk.refund({
      receiptNumber: sale.receiptNumber,
      lines: [{ index: 1, quantity: 1 }],
      employeeId: 'E7',
    });
    expect(third).toMatchObject({ ok: false, code: 'too-many' });
    expect((third as { message: string }).message).toContain('0 of 1 are left');
    expect(counter.desk.find(sale.receiptNumber)).toMatchObject({ ok: false, code: 'nothing-left' });
    const payment = await counter.kiosk.control.payment(sale.reference);
    expect(payment.aggregate.refundedAmount.value).toBe(sale.amountIn);
    expect(counter.kiosk.journal!.refunds.of(sale.receiptNumber)).toHaveLength(2);
  });

  it('refuses a return worth more than is left to refund, before any money moves', async () => {
    const sale = await counter.sell([MILK, BREAD]);
    // Vipps refunded 50 kr of this payment elsewhere (say the merchant portal) and the kiosk journaled it:
    // a return whose lines are worth more than what is left is refused, though its lines are all there.
    const journal = counter.kiosk.journal!.refunds;
    journal.requested({
      returnId: `${sale.receiptNumber}-1`,
      idempotencyKey: refundKey(`${sale.receiptNumber}-1`),
      amount: 5000,
      ret: {
        returnId: `${sale.receiptNumber}-1`,
        returnOf: sale.receiptNumber,
        reference: sale.reference,
        pspReference: null,
        employeeId: 'E1',
        paymentType: 'VIPPS',
        currency: 'NOK',
        amountIn: -5000,
        amountEx: -4348,
        lines: [],
        vat: [],
        refundedAt: 0,
      },
    });
    journal.answered(`${sale.receiptNumber}-1`, 'refunded', {});
    journal.registered(`${sale.receiptNumber}-1`);
    const outcome = await counter.desk.refund({
      receiptNumber: sale.receiptNumber,
      lines: [{ index: 1, quantity: 1 }],
      employeeId: 'E7',
    });
    expect(outcome).toMatchObject({ ok: false, code: 'too-much' });
    expect((outcome as { message: string }).message).toContain('only 17.80 NOK');
    expect((await counter.kiosk.control.payment(sale.reference)).aggregate.refundedAmount.value).toBe(0);
    expect(counter.till.store.ofKind('return')).toHaveLength(0);
  });

  it('says so for an unknown receipt, a line that is not on it, and quantities that cannot come back', async () => {
    const sale = await counter.sell([MILK, BREAD]);
    expect(counter.desk.find('0000009999')).toMatchObject({ ok: false, code: 'unknown-receipt' });
    const ask = (lines: Array<{ index: number; quantity: number }>, receiptNumber = sale.receiptNumber) =>
      counter.desk.refund({ receiptNumber, lines, employeeId: 'E7' });
    expect(await ask([{ index: 0, quantity: 1 }], '0000009999')).toMatchObject({
      ok: false,
      code: 'unknown-receipt',
      message: expect.stringContaining('No sale with receipt number 0000009999'),
    });
    expect(await ask([{ index: 5, quantity: 1 }])).toMatchObject({ ok: false, code: 'unknown-line' });
    expect(await ask([])).toMatchObject({ ok: false, code: 'nothing-chosen' });
    expect(await ask([{ index: 0, quantity: 0 }])).toMatchObject({ ok: false, code: 'nothing-chosen' });
    expect(await ask([{ index: 0, quantity: -1 }])).toMatchObject({ ok: false, code: 'bad-quantity' });
    expect(await ask([{ index: 0, quantity: 0.5 }])).toMatchObject({ ok: false, code: 'bad-quantity' });
    expect(await ask([{ index: 0, quantity: 2 }])).toMatchObject({ ok: false, code: 'too-many' });
    expect(
      await ask([
        { index: 0, quantity: 1 },
        { index: 0, quantity: 1 },
      ]),
    ).toMatchObject({ ok: false, code: 'unknown-line' });
    // None of it reached Vipps or either journal.
    expect((await counter.kiosk.control.payment(sale.reference)).aggregate.refundedAmount.value).toBe(0);
    expect(counter.kiosk.journal!.refunds.of(sale.receiptNumber)).toEqual([]);
    expect(counter.till.store.ofKind('return')).toEqual([]);
  });

  it('refuses a training receipt: no money was paid', async () => {
    const sale = await counter.sell([MILK]);
    const at = counter.kiosk.clock.now();
    counter.till.store.append(at, 'training.sale', { ...sale, receiptNumber: '0000000500' });
    expect(counter.desk.find('500')).toMatchObject({ ok: false, code: 'training-receipt' });
    expect(
      await counter.desk.refund({
        receiptNumber: '500',
        lines: [{ index: 0, quantity: 1 }],
        employeeId: 'E7',
      }),
    ).toMatchObject({ ok: false, code: 'training-receipt' });
  });
});
