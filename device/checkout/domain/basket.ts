import type { Product } from './product.js';

export const MAX_QUANTITY_PER_LINE = 99;
export const MAX_LINES = 100;
/** The largest amount Vipps accepts for one payment, in minor units. */
export const MAX_BASKET_TOTAL = 65_000_000;

export interface BasketLine {
  readonly product: Product;
  readonly quantity: number;
  /** Customer-club discount on each unit, minor units VAT included; 0 when the customer pays full price. */
  readonly memberDiscountPerUnit: number;
}

/** Immutable: every operation returns a new basket and leaves the one it was given as it was. */
export interface Basket {
  readonly lines: readonly BasketLine[];
}

export abstract class BasketError extends Error {}

export class QuantityOutOfRangeError extends BasketError {
  override readonly name = 'QuantityOutOfRangeError';
  readonly gtin: string;
  readonly quantity: number;

  constructor(gtin: string, quantity: number) {
    super(`Quantity ${quantity} of ${gtin} is not allowed; a line holds 1 to ${MAX_QUANTITY_PER_LINE} items`);
    this.gtin = gtin;
    this.quantity = quantity;
  }
}

export class TooManyLinesError extends BasketError {
  override readonly name = 'TooManyLinesError';

  constructor() {
    super(`The basket already has ${MAX_LINES} different products, the most one payment can carry`);
  }
}

export class BasketTotalTooHighError extends BasketError {
  override readonly name = 'BasketTotalTooHighError';
  readonly total: number;

  constructor(total: number) {
    super(`The basket would total ${total} minor units; Vipps takes at most ${MAX_BASKET_TOTAL} per payment`);
    this.total = total;
  }
}

export class BasketLineNotFoundError extends BasketError {
  override readonly name = 'BasketLineNotFoundError';
  readonly gtin: string;

  constructor(gtin: string) {
    super(`Product ${gtin} is not in the basket`);
    this.gtin = gtin;
  }
}

export class InvalidPriceError extends BasketError {
  override readonly name = 'InvalidPriceError';
  readonly gtin: string;

  constructor(gtin: string, problem: string) {
    super(`Product ${gtin}: ${problem}`);
    this.gtin = gtin;
  }
}

export const emptyBasket: Basket = Object.freeze({ lines: Object.freeze([]) });

export function lineDiscount(line: BasketLine): number {
  return line.memberDiscountPerUnit * line.quantity;
}

/** What the customer pays for the line: unit price × quantity − discount, VAT included. */
export function lineTotal(line: BasketLine): number {
  return line.product.unitPrice * line.quantity - lineDiscount(line);
}

export function basketTotal(basket: Basket): number {
  return basket.lines.reduce((sum, line) => sum + lineTotal(line), 0);
}

/** Scanning a product already in the basket adds one to its line instead of opening a second one. */
export function addProduct(basket: Basket, product: Product): Basket {
  const existing = basket.lines.find((line) => line.product.gtin === product.gtin);
  if (existing) return setQuantity(basket, product.gtin, existing.quantity + 1);
  if (!Number.isSafeInteger(product.unitPrice) || product.unitPrice < 0) {
    throw new InvalidPriceError(
      product.gtin,
      `unit price ${product.unitPrice} is not a whole number of øre/cents ≥ 0`,
    );
  }
  return withLines([...basket.lines, makeLine(product, 1, 0)]);
}

export function setQuantity(basket: Basket, gtin: string, quantity: number): Basket {
  return replaceLine(basket, gtin, (line) => makeLine(line.product, quantity, line.memberDiscountPerUnit));
}

export function setMemberDiscount(basket: Basket, gtin: string, discountPerUnit: number): Basket {
  return replaceLine(basket, gtin, (line) => {
    const { unitPrice } = line.product;
    if (!Number.isSafeInteger(discountPerUnit) || discountPerUnit < 0 || discountPerUnit > unitPrice) {
      throw new InvalidPriceError(
        gtin,
        `member discount ${discountPerUnit} must be a whole number of øre/cents from 0 to the unit price ${unitPrice}`,
      );
    }
    return makeLine(line.product, line.quantity, discountPerUnit);
  });
}

export function removeLine(basket: Basket, gtin: string): Basket {
  findLine(basket, gtin);
  return withLines(basket.lines.filter((line) => line.product.gtin !== gtin));
}

function findLine(basket: Basket, gtin: string): BasketLine {
  const line = basket.lines.find((l) => l.product.gtin === gtin);
  if (!line) throw new BasketLineNotFoundError(gtin);
  return line;
}

function replaceLine(basket: Basket, gtin: string, change: (line: BasketLine) => BasketLine): Basket {
  const changed = change(findLine(basket, gtin));
  return withLines(basket.lines.map((line) => (line.product.gtin === gtin ? changed : line)));
}

function makeLine(product: Product, quantity: number, memberDiscountPerUnit: number): BasketLine {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY_PER_LINE) {
    throw new QuantityOutOfRangeError(product.gtin, quantity);
  }
  return Object.freeze({ product, quantity, memberDiscountPerUnit });
}

// Every operation ends here, so no basket that breaks a limit is ever handed out.
function withLines(lines: readonly BasketLine[]): Basket {
  if (lines.length > MAX_LINES) throw new TooManyLinesError();
  const basket: Basket = Object.freeze({ lines: Object.freeze(lines) });
  const total = basketTotal(basket);
  if (total > MAX_BASKET_TOTAL) throw new BasketTotalTooHighError(total);
  return basket;
}

/** The same products in the same quantities at the same prices: a payment made for one fits the other. */
export function sameBasket(a: Basket, b: Basket): boolean {
  if (a === b) return true;
  return (
    a.lines.length === b.lines.length &&
    a.lines.every((line, i) => {
      const other = b.lines[i];
      return (
        other !== undefined &&
        line.product === other.product &&
        line.quantity === other.quantity &&
        line.memberDiscountPerUnit === other.memberDiscountPerUnit
      );
    })
  );
}
