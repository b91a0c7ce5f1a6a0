import type { CreatePaymentRequest } from '../../contracts/vipps-types.js';
import type { Payer } from './checkout-types.js';
import { type Basket, basketTotal } from './domain/basket.js';
import type { Market } from './domain/market.js';
import { buildReceipt } from './domain/receipt.js';

export interface PaymentRequestParts {
  basket: Basket;
  customer: Payer;
  market: Market;
  kioskId: string;
  storeName: string;
  receiptNumber: string;
  reference: string;
}

const ITEMS_WORD: Record<Market['country'], [string, string]> = {
  NO: ['vare', 'varer'],
  DK: ['vare', 'varer'],
  FI: ['tuote', 'tuotetta'],
};

/**
 * The payment for a basket: a push to the customer the kiosk knows, or a one-time payment QR for
 * whoever scans it. The customer is present at the kiosk (Vipps requires saying so for physical points
 * of sale), and the receipt rides along so the app shows every line. The QR is asked for as its target
 * URL (TEXT/TARGETURL): the daemon draws it (payment-qr.ts), so the screen shows no picture from outside.
 */
export function paymentRequest(parts: PaymentRequestParts): CreatePaymentRequest {
  const { basket, market, customer } = parts;
  const count = basket.lines.reduce((sum, line) => sum + line.quantity, 0);
  const [one, many] = ITEMS_WORD[market.country];
  const description = `${parts.storeName.slice(0, 80)}: ${count} ${count === 1 ? one : many}`;
  const common = {
    amount: { currency: market.currency, value: basketTotal(basket) },
    paymentMethod: { type: 'WALLET' },
    customerInteraction: 'CUSTOMER_PRESENT',
    reference: parts.reference,
    paymentDescription: description,
    receipt: buildReceipt(basket, { market, posId: parts.kioskId, receiptNumber: parts.receiptNumber }),
    metadata: { kioskId: parts.kioskId, receiptNumber: parts.receiptNumber },
  } as const;
  if ('oneTimeQr' in customer) {
    return { ...common, userFlow: 'QR', qrFormat: { format: 'TEXT/TARGETURL' } };
  }
  return { ...common, customer, userFlow: 'PUSH_MESSAGE' };
}
