import type { Currency } from '../../contracts/vipps-types.js';
import type { JournaledSale } from '../cash-register/cash-register.js';
import { amountText } from '../cash-register/formats.js';
import type { JournaledReturn, ReturnedLine } from '../checkout/domain/return-row.js';
import type { RefundRecord } from '../journal/refund-journal.js';
import type { ReturnableSale, ReturnRequest } from '../staff/staff-services.js';

// What of a sale can still come back, and what a return of some of it refunds: worked out from the sale
// as the cash-register journal holds it (what was captured, line by line) and the refunds the payment
// journal holds for it. A refund Vipps has not answered yet counts as made: it may have been.

/** A sold line in whole units: a line sold by weight ("0.532" kg) comes back whole, as one unit. */
function unitsOf(line: JournaledSale['lines'][number]): number {
  const quantity = Number(line.quantity);
  return Number.isInteger(quantity) && quantity >= 1 ? quantity : 1;
}

/**
 * The part of `total` that `m` of `units` units carry. Differences of it give each return its share, so
 * the returns of a whole line add up to exactly what was paid for it, øre for øre.
 */
function share(total: number, m: number, units: number): number {
  return Math.round((total * m) / units);
}

/** Refunds that did or may have moved money: all but those Vipps refused. */
function counted(refunds: readonly RefundRecord[]): RefundRecord[] {
  return refunds.filter((refund) => refund.outcome !== 'refused');
}

function returnedPerLine(refunds: readonly RefundRecord[]): Map<number, number> {
  const returned = new Map<number, number>();
  for (const refund of counted(refunds)) {
    for (const line of refund.ret.lines) {
      returned.set(line.index, (returned.get(line.index) ?? 0) + line.quantity);
    }
  }
  return returned;
}

/** The sale as the return desk shows it: `refundable` is what was captured less what was refunded. */
export function returnableSale(
  sale: JournaledSale,
  refunds: readonly RefundRecord[],
): ReturnableSale & { captured: number } {
  const returned = returnedPerLine(refunds);
  const refunded = counted(refunds).reduce((sum, refund) => sum + refund.amount, 0);
  return {
    receiptNumber: sale.receiptNumber,
    paidAt: sale.paidAt,
    currency: sale.currency as Currency,
    captured: sale.amountIn,
    refundable: sale.amountIn - refunded,
    lines: sale.lines.map((line, index) => ({
      index,
      name: line.name,
      quantity: unitsOf(line),
      unitPrice: share(line.amountIn, 1, unitsOf(line)),
      returnable: unitsOf(line) - (returned.get(index) ?? 0),
    })),
  };
}

/** Why a request cannot be refunded, in words staff understand. */
export type RequestProblem = { code: string; message: string };

/**
 * The return a request asks for, with each line's share of what was paid (negative, as journaled), or
 * what is wrong with it. Nothing here moves money.
 */
export function returnOf(
  sale: JournaledSale,
  refunds: readonly RefundRecord[],
  request: ReturnRequest,
  identity: { returnId: string; refundedAt: number },
): { ok: true; ret: JournaledReturn } | ({ ok: false } & RequestProblem) {
  const sold = returnableSale(sale, refunds);
  if (request.lines.length === 0 || request.lines.every((line) => line.quantity === 0)) {
    return { ok: false, code: 'nothing-chosen', message: 'Choose at least one item to return.' };
  }
  const seen = new Set<number>();
  const returned = returnedPerLine(refunds);
  const lines: ReturnedLine[] = [];
  for (const { index, quantity } of request.lines) {
    const line = sale.lines[index];
    if (line === undefined || !Number.isInteger(index) || seen.has(index)) {
      return {
        ok: false,
        code: 'unknown-line',
        message: `Receipt ${sale.receiptNumber} has no line ${index + 1} to return (or it was chosen twice).`,
      };
    }
    seen.add(index);
    if (quantity === 0) continue;
    const returnable = sold.lines[index]!.returnable;
    if (!Number.isInteger(quantity) || quantity < 0) {
      return {
        ok: false,
        code: 'bad-quantity',
        message: `"${line.name}": ${quantity} is not a number of items that can come back.`,
      };
    }
    if (quantity > returnable) {
      return {
        ok: false,
        code: 'too-many',
        message:
          `"${line.name}": ${quantity} cannot come back; ${returnable} of ${sold.lines[index]!.quantity} ` +
          'are left to return on this receipt.',
      };
    }
    const units = unitsOf(line);
    const before = returned.get(index) ?? 0;
    const amountIn = -(share(line.amountIn, before + quantity, units) - share(line.amountIn, before, units));
    const amountEx = -(share(line.amountEx, before + quantity, units) - share(line.amountEx, before, units));
    lines.push({
      index,
      gtin: line.gtin,
      name: line.name,
      quantity,
      unitPrice: sold.lines[index]!.unitPrice,
      amountIn,
      amountEx,
      vat: amountIn - amountEx,
      vatRate: line.vatRate,
    });
  }
  const amountIn = lines.reduce((sum, line) => sum + line.amountIn, 0);
  if (amountIn === 0) {
    return {
      ok: false,
      code: 'nothing-to-refund',
      message: 'These items were free: there is nothing to refund.',
    };
  }
  if (-amountIn > sold.refundable) {
    return {
      ok: false,
      code: 'too-much',
      message:
        `These items come to ${amountText(-amountIn)} ${sold.currency}, but only ${amountText(sold.refundable)} ` +
        `${sold.currency} of receipt ${sale.receiptNumber} is left to refund.`,
    };
  }
  const vat = new Map<number, { amount: number; basis: number }>();
  for (const line of lines) {
    const sum = vat.get(line.vatRate) ?? { amount: 0, basis: 0 };
    vat.set(line.vatRate, { amount: sum.amount + line.vat, basis: sum.basis + line.amountEx });
  }
  return {
    ok: true,
    ret: {
      returnId: identity.returnId,
      returnOf: sale.receiptNumber,
      reference: sale.reference,
      pspReference: null,
      employeeId: request.employeeId,
      paymentType: 'VIPPS',
      currency: sale.currency,
      amountIn,
      amountEx: lines.reduce((sum, line) => sum + line.amountEx, 0),
      lines,
      vat: [...vat].sort(([a], [b]) => b - a).map(([rate, v]) => ({ rate, ...v })),
      refundedAt: identity.refundedAt,
    },
  };
}
