import type { Basket } from './basket.js';
import { setMemberDiscount } from './basket.js';

/**
 * The basket as a club member pays for it: each line whose product has a member price is discounted
 * by the difference, per unit. Vipps wants the shelf price as `unitPrice` and the saving as the line's
 * `discount`, so the basket keeps the shelf price and carries the discount beside it.
 */
export function withMemberPrices(basket: Basket): Basket {
  return basket.lines.reduce((priced, line) => {
    const { memberPrice, unitPrice, gtin } = line.product;
    const perUnit = memberPrice === undefined ? 0 : unitPrice - memberPrice;
    return perUnit === line.memberDiscountPerUnit ? priced : setMemberDiscount(priced, gtin, perUnit);
  }, basket);
}

/** The basket at shelf prices: for a customer who turns out not to be the member it was priced for. */
export function withoutMemberPrices(basket: Basket): Basket {
  return basket.lines.reduce(
    (priced, line) =>
      line.memberDiscountPerUnit === 0 ? priced : setMemberDiscount(priced, line.product.gtin, 0),
    basket,
  );
}

/** What joining the club would save on this basket, minor units: the screen model asks on every change. */
export function memberSavings(basket: Basket): number {
  return basket.lines.reduce((sum, { product, quantity }) => {
    const { memberPrice, unitPrice } = product;
    return sum + (memberPrice === undefined ? 0 : (unitPrice - memberPrice) * quantity);
  }, 0);
}
