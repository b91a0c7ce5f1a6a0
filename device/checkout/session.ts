import type { ClubStatus, Language, Theme } from '../../contracts/screen-model.js';
import type { GetPaymentResponse } from '../../contracts/vipps-types.js';
import type { CheckoutContext, ClubSession, PaidReceipt, Payer, PaymentAttempt } from './checkout-types.js';
import { basketTotal, emptyBasket, sameBasket } from './domain/basket.js';
import { memberSavings, withoutMemberPrices } from './domain/member-prices.js';
import { paymentReference } from './domain/payment-reference.js';
import { receiptSavings, vatByRate } from './domain/receipt.js';
import type { ClubEnrolment, SaleCompleted } from './domain-events.js';
import { paymentRequest } from './payment-request.js';

// What a customer's session holds and how its steps change it: plain functions of the context, so
// the chart in machine.ts says only when each happens.

export const freshClub: ClubSession = { status: 'unknown', msisdn: null, login: null };

/** Everything a customer's session holds, as it is before the first scan. */
export function freshSession(language: Language, theme: Theme = 'standard') {
  return {
    language,
    theme,
    basket: emptyBasket,
    customer: null,
    receiptNumber: null,
    attempts: 0,
    payment: null,
    declined: null,
    receipt: null,
    idleWarningEndsAt: null,
    club: freshClub,
  } satisfies Partial<CheckoutContext>;
}

export function sameCustomer(a: Payer | null, b: Payer | null): boolean {
  if (a === null || b === null) return a === b;
  if ('phoneNumber' in a) return 'phoneNumber' in b && a.phoneNumber === b.phoneNumber;
  if ('personalQr' in a) return 'personalQr' in b && a.personalQr === b.personalQr;
  return 'oneTimeQr' in b;
}

/**
 * A customer named by a scan or the keypad. Someone else than the one the basket was priced for pays
 * shelf prices until the club has been asked about them.
 */
export function identifyCustomer(context: CheckoutContext, customer: Payer, msisdn: string | null) {
  if (sameCustomer(customer, context.customer)) return { customer, declined: null };
  return {
    customer,
    declined: null,
    basket: withoutMemberPrices(context.basket),
    club: { ...freshClub, msisdn },
  };
}

/** The next reference of the receipt, with the request it will be sent with (and repeated with). */
export function nextAttempt(
  context: CheckoutContext,
  receiptNumber: string,
  customer: Payer,
): Pick<CheckoutContext, 'attempts' | 'payment' | 'declined'> {
  const attempts = context.attempts + 1;
  const { env, basket } = context;
  const reference = paymentReference(env.kioskId, receiptNumber, attempts);
  const request = paymentRequest({
    basket,
    customer,
    market: env.catalog.market,
    kioskId: env.kioskId,
    storeName: env.storeName,
    receiptNumber,
    reference,
  });
  const payment: PaymentAttempt = {
    reference,
    request,
    customer,
    basket,
    amount: basketTotal(basket),
    expiresAt: null,
  };
  return { attempts, payment, declined: null };
}

/** The basket and the customer are still those the current reference was asked for. */
export function paymentFitsSession(context: CheckoutContext): boolean {
  const { payment } = context;
  return (
    payment !== null &&
    sameBasket(payment.basket, context.basket) &&
    sameCustomer(payment.customer, context.customer)
  );
}

/** A payment read back from Vipps is for this basket's total and was pushed to this customer. */
export function readBackFitsSession(context: CheckoutContext, read: GetPaymentResponse): boolean {
  return (
    read.amount.value === basketTotal(context.basket) &&
    context.payment !== null &&
    sameCustomer(context.payment.customer, context.customer)
  );
}

/** The receipt of the payment just captured: the lines exactly as the request sent them to Vipps. */
export function paidReceipt(
  payment: PaymentAttempt,
  receiptNumber: string,
  paidAt: number,
  answer: { pspReference: string | null },
): PaidReceipt {
  return {
    receiptNumber,
    reference: payment.reference,
    pspReference: answer.pspReference,
    paidAt,
    orderLines: payment.request.receipt.orderLines,
    total: payment.amount,
  };
}

export function saleCompleted(context: CheckoutContext, receipt: PaidReceipt): SaleCompleted {
  return {
    type: 'sale.completed',
    reference: receipt.reference,
    receiptNumber: receipt.receiptNumber,
    paidAt: receipt.paidAt,
    lines: receipt.orderLines,
    amount: receipt.total,
    currency: context.env.catalog.market.currency,
    vat: vatByRate(receipt.orderLines),
    memberSavings: receiptSavings(receipt.orderLines),
    pspReference: receipt.pspReference,
  };
}

/** How the club offer ended when the club leaves `offered` for `next`; nothing when none was open. */
export function offerEnded(context: CheckoutContext, next: ClubStatus): ClubEnrolment | null {
  if (context.club.status !== 'offered' || next === 'offered') return null;
  const outcome = next === 'unknown' ? 'abandoned' : next;
  if (outcome === 'member') return null;
  return { type: 'club.enrolment', outcome, basketSavings: memberSavings(context.basket) };
}

/** The current reference, in the states that have one: asking for it elsewhere is a fault of the chart. */
export function currentPayment(context: CheckoutContext): PaymentAttempt {
  if (context.payment === null) throw new Error('checkout machine: no payment reference in this state');
  return context.payment;
}
