import type { CreatePaymentRequest, Customer } from '../../contracts/vipps-types.js';
import { type Basket, basketTotal } from './domain/basket.js';
import type { Market } from './domain/market.js';
import { buildReceipt } from './domain/receipt.js';

export interface PaymentRequestParts {
  basket: Basket;
  customer: Customer;
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
 * The push payment for a basket. The customer is present at the kiosk (Vipps requires saying so for
 * physical points of sale), and the receipt rides along so the app shows every line.
 */
export function paymentRequest(parts: PaymentRequestParts): CreatePaymentRequest {
  const { basket, market } = parts;
  const count = basket.lines.reduce((sum, line) => sum + line.quantity, 0);
  const [one, many] = ITEMS_WORD[market.country];
  const description = `${parts.storeName.slice(0, 80)}: ${count} ${count === 1 ? one : many}`;
  return {
    amount: { currency: market.currency, value: basketTotal(basket) },
    paymentMethod: { type: 'WALLET' },
    customer: parts.customer,
    customerInteraction: 'CUSTOMER_PRESENT',
    reference: parts.reference,
    userFlow: 'PUSH_MESSAGE',
    paymentDescription: description,
    receipt: buildReceipt(basket, { market, posId: parts.kioskId, receiptNumber: parts.receiptNumber }),
    metadata: { kioskId: parts.kioskId, receiptNumber: parts.receiptNumber },
  };
}
