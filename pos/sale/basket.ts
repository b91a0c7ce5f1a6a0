/** A ware as the cashier's catalog prices it, VAT included, in minor units. */
export interface PosProduct {
  readonly gtin: string;
  readonly name: string;
  readonly unitPrice: number;
  /** What a club member pays per unit, below `unitPrice`; absent when the ware has no member price. */
  readonly memberPrice?: number;
  /** Basis points: 2500 is 25 %, the unit of the Vipps receipt's `taxRate`. */
  readonly vatRate: number;
}

export interface BasketItem {
  readonly product: PosProduct;
  readonly quantity: number;
}

/** One line as the cashier sees it and the receipt carries it. */
export interface PricedLine {
  readonly gtin: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: number;
  /** The member saving on the whole line, VAT included; 0 at shelf prices. */
  readonly discount: number;
  /** What the line costs, VAT included, after the discount. */
  readonly total: number;
  readonly vatRate: number;
  readonly vat: number;
}

export interface PricedBasket {
  readonly lines: readonly PricedLine[];
  readonly total: number;
  readonly vat: number;
  readonly itemCount: number;
  /** What the member prices save on this basket; 0 at shelf prices. */
  readonly savings: number;
}

/** The most of one ware on a line: a typo of 1000 for 10 must not reach the customer's phone. */
export const MAX_QUANTITY = 99;

/** One more of `product`: a new line at the end, or the line it already has. */
export function addItem(items: readonly BasketItem[], product: PosProduct): readonly BasketItem[] {
  const at = items.findIndex((item) => item.product.gtin === product.gtin);
  if (at < 0) return [...items, { product, quantity: 1 }];
  return setQuantity(items, product.gtin, items[at]!.quantity + 1);
}

/** The line's new quantity, held to 1..MAX_QUANTITY; 0 takes the line away. */
export function setQuantity(
  items: readonly BasketItem[],
  gtin: string,
  quantity: number,
): readonly BasketItem[] {
  if (!Number.isInteger(quantity) || quantity <= 0) return items.filter((item) => item.product.gtin !== gtin);
  const held = Math.min(quantity, MAX_QUANTITY);
  return items.map((item) => (item.product.gtin === gtin ? { ...item, quantity: held } : item));
}

/** The basket priced at shelf prices, or at member prices for a customer the club knows. */
export function priceBasket(items: readonly BasketItem[], member: boolean): PricedBasket {
  const lines = items.map(({ product, quantity }): PricedLine => {
    const perUnit = member && product.memberPrice !== undefined ? product.unitPrice - product.memberPrice : 0;
    const discount = perUnit * quantity;
    const total = product.unitPrice * quantity - discount;
    return {
      gtin: product.gtin,
      name: product.name,
      quantity,
      unitPrice: product.unitPrice,
      discount,
      total,
      vatRate: product.vatRate,
      vat: vatIncluded(total, product.vatRate),
    };
  });
  return {
    lines,
    total: sum(lines.map((line) => line.total)),
    vat: sum(lines.map((line) => line.vat)),
    itemCount: sum(lines.map((line) => line.quantity)),
    savings: sum(lines.map((line) => line.discount)),
  };
}

/**
 * The VAT inside a VAT-inclusive amount: the amount excluding VAT is rounded half up to a whole øre/cent
 * and the VAT is the rest, so the two add up to the line total exactly (the rule the kiosk's receipts and
 * the terminal's line check use).
 */
export function vatIncluded(total: number, rateBasisPoints: number): number {
  const divisor = 10_000 + rateBasisPoints;
  const excludingTax = Math.floor((2 * total * 10_000 + divisor) / (2 * divisor));
  return total - excludingTax;
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
