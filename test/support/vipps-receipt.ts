import type {
  Currency,
  Customer,
  OrderLine,
  PushPaymentRequest,
  Receipt,
} from '../../contracts/vipps-types.js';

// The create request with its Vipps receipt (orderLines and bottomLine) that the client, sandbox, journal
// and resilience tests send, written once. Prices include VAT as on the shelf; each line splits its VAT
// out at its rate (hundredths of a percent), so the lines always add up to the amount.

export interface ReceiptItem {
  name: string;
  id: string;
  /** Minor units, VAT included. */
  unitPrice: number;
  quantity?: number;
  /** Hundredths of a percent: 2500 is 25 %. */
  taxRate: number;
}

export const COFFEE: ReceiptItem = { name: 'Coffee', id: 'coffee-1', unitPrice: 4_900, taxRate: 2_500 };
export const SANDWICHES: ReceiptItem = {
  name: 'Sandwich',
  id: 'sandwich-2',
  unitPrice: 10_000,
  quantity: 2,
  taxRate: 2_500,
};
/** Groceries at the reduced rate. */
export const KAFFE: ReceiptItem = {
  name: 'Kaffe 250 g',
  id: '2000000000015',
  unitPrice: 4_990,
  taxRate: 1_500,
};
export const MELK: ReceiptItem = { name: 'Melk 1 l', id: '2000000000015', unitPrice: 6_780, taxRate: 1_500 };

/** One item at `value` including VAT at `taxRate`, for tests that vary the amount. */
export const itemAt = (value: number, taxRate = 2_500, name = 'Test item'): ReceiptItem => ({
  name,
  id: 'item-1',
  unitPrice: value,
  taxRate,
});

export function orderLine({ name, id, unitPrice, quantity = 1, taxRate }: ReceiptItem): OrderLine {
  const totalAmount = unitPrice * quantity;
  const totalTaxAmount = Math.round((totalAmount * taxRate) / (10_000 + taxRate));
  return {
    name,
    id,
    totalAmount,
    totalAmountExcludingTax: totalAmount - totalTaxAmount,
    totalTaxAmount,
    taxRate,
    unitInfo: { unitPrice, quantity: String(quantity), quantityUnit: 'PCS' },
  };
}

export interface PaymentRequestOptions {
  reference: string;
  items?: readonly ReceiptItem[];
  customer?: Customer;
  currency?: Currency;
  posId?: string;
  receiptNumber?: string;
  paymentDescription?: string;
}

export function vippsReceipt(
  items: readonly ReceiptItem[],
  bottomLine: Pick<PaymentRequestOptions, 'currency' | 'posId' | 'receiptNumber'> = {},
): Receipt {
  return {
    orderLines: items.map(orderLine),
    bottomLine: {
      currency: bottomLine.currency ?? 'NOK',
      posId: bottomLine.posId ?? 'kiosk-07',
      receiptNumber: bottomLine.receiptNumber ?? '0000000001',
    },
  };
}

/** A createPayment body Vipps accepts: a push to the customer, amount the sum of the receipt's lines. */
export function paymentRequest(options: PaymentRequestOptions): PushPaymentRequest {
  const items = options.items ?? [COFFEE, SANDWICHES];
  const currency = options.currency ?? 'NOK';
  const receipt = vippsReceipt(items, { ...options, currency });
  return {
    amount: { currency, value: receipt.orderLines.reduce((sum, line) => sum + line.totalAmount, 0) },
    paymentMethod: { type: 'WALLET' },
    customer: options.customer ?? { phoneNumber: '4791234567' },
    customerInteraction: 'CUSTOMER_PRESENT',
    reference: options.reference,
    userFlow: 'PUSH_MESSAGE',
    paymentDescription: options.paymentDescription ?? `Kiosk 7 - ${items.length} items`,
    receipt,
  };
}
