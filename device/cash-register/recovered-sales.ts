import { receiptSavings, vatByRate } from '../checkout/domain/receipt.js';
import type { SaleCompleted } from '../checkout/domain-events.js';
import type { PaymentOutcome } from '../journal/journal.js';
import type { ReceiptPayment } from '../journal/sqlite-journal.js';

/**
 * The sale of a payment captured without the customer's session finishing it (a crash between the
 * capture and the cash-register journal, or a payment recovery captured after a restart), made from what
 * the payment journal keeps of it: the receipt lines exactly as sent to Vipps, the amount, when it was
 * settled and Vipps' pspReference. It is the same `sale.completed` the session would have emitted, so
 * the cash register signs and counts it like any other.
 */
export function recoveredSale(receiptNumber: string, payment: ReceiptPayment): SaleCompleted {
  const lines = payment.request.receipt.orderLines;
  return {
    type: 'sale.completed',
    reference: payment.reference,
    receiptNumber,
    paidAt: payment.settledAt ?? 0,
    lines,
    amount: payment.request.amount.value,
    currency: payment.request.amount.currency,
    vat: vatByRate(lines),
    memberSavings: receiptSavings(lines),
    pspReference: payment.pspReference,
  };
}

/** What a receipt number's payments came to, for the cash register. */
export type NumberFate =
  | { kind: 'sold'; payment: ReceiptPayment }
  /** A payment is still open: recovery will settle it, and the number waits for that. */
  | { kind: 'pending' }
  | { kind: 'void'; outcome: PaymentOutcome | null; amount: number | null };

/** A captured payment sells the number; otherwise it waits for an open one, or is void with how the last ended. */
export function numberFate(payments: readonly ReceiptPayment[]): NumberFate {
  const captured = payments.find((payment) => payment.outcome === 'captured');
  if (captured) return { kind: 'sold', payment: captured };
  if (payments.some((payment) => payment.outcome === null)) return { kind: 'pending' };
  const last = payments.at(-1);
  return { kind: 'void', outcome: last?.outcome ?? null, amount: last?.request.amount.value ?? null };
}

const OUTCOME_TEXT: Record<PaymentOutcome, string> = {
  declined: 'payment declined',
  cancelled: 'payment cancelled',
  'not-created': 'payment never created at Vipps',
  captured: 'payment captured',
};

/** Why a number is void, as its row says it. */
export function voidReason(outcome: PaymentOutcome | null, when: 'at-start' | 'recovered'): string {
  if (when === 'recovered')
    return `payment cut off by a restart; crash recovery found it ended: ${OUTCOME_TEXT[outcome ?? 'not-created']}`;
  if (outcome === null)
    return 'not used: no payment was asked for with it before the kiosk stopped or restarted';
  return `${OUTCOME_TEXT[outcome]} (before the kiosk stopped or restarted)`;
}
