import type { OrderLine, Receipt } from '../../../contracts/vipps-types.js';
import { type Basket, type BasketLine, lineDiscount, lineTotal } from './basket.js';
import type { Market } from './market.js';
import { splitVatInclusive, vatRate } from './vat.js';

export interface ReceiptHeader {
  readonly market: Market;
  /** Shown on the receipt in the app as the till that sold it: the kiosk id. */
  readonly posId: string;
  readonly receiptNumber: string;
}

export class EmptyBasketError extends Error {
  override readonly name = 'EmptyBasketError';

  constructor() {
    super('Cannot make a receipt for an empty basket; Vipps needs at least one order line');
  }
}

/**
 * The receipt sent with the payment. Each line's amounts come from the basket and its VAT is split
 * here once, so the lines add up to the basket total and each line's excl. + VAT to its total.
 */
export function buildReceipt(basket: Basket, header: ReceiptHeader): Receipt {
  if (basket.lines.length === 0) throw new EmptyBasketError();
  return {
    orderLines: basket.lines.map((line) => orderLine(line, header.market)),
    bottomLine: {
      currency: header.market.currency,
      posId: header.posId,
      receiptNumber: header.receiptNumber,
    },
  };
}

function orderLine(line: BasketLine, market: Market): OrderLine {
  const { product, quantity } = line;
  const totalAmount = lineTotal(line);
  const taxRate = vatRate(market.country, product.vatClass);
  const { excludingTax, tax } = splitVatInclusive(totalAmount, taxRate);
  const discount = lineDiscount(line);
  return {
    name: product.name,
    id: product.gtin,
    totalAmount,
    totalAmountExcludingTax: excludingTax,
    totalTaxAmount: tax,
    taxRate,
    unitInfo: { unitPrice: product.unitPrice, quantity: String(quantity), quantityUnit: 'PCS' },
    ...(discount > 0 ? { discount } : {}),
  };
}

/** The VAT of receipt lines per rate (basis points), highest rate first: what a till slip and HQ show. */
export function vatByRate(
  lines: ReadonlyArray<{ taxRate: number; totalTaxAmount: number }>,
): Array<{ rate: number; amount: number }> {
  const byRate = new Map<number, number>();
  for (const line of lines) byRate.set(line.taxRate, (byRate.get(line.taxRate) ?? 0) + line.totalTaxAmount);
  return [...byRate].sort(([a], [b]) => b - a).map(([rate, amount]) => ({ rate, amount }));
}

/** What club prices took off the sale: the lines' discounts. */
export function receiptSavings(lines: ReadonlyArray<{ discount?: number }>): number {
  return lines.reduce((sum, line) => sum + (line.discount ?? 0), 0);
}
