import { describe, expect, it } from 'vitest';
import {
  addProduct,
  type Basket,
  BasketLineNotFoundError,
  BasketTotalTooHighError,
  basketTotal,
  emptyBasket,
  InvalidPriceError,
  lineDiscount,
  lineTotal,
  QuantityOutOfRangeError,
  removeLine,
  setMemberDiscount,
  setQuantity,
  TooManyLinesError,
} from '../../../device/checkout/domain/basket.js';
import { batteries, bread, milk, product } from './fixtures.js';

function quantities(basket: Basket): Array<[string, number]> {
  return basket.lines.map((line) => [line.product.name, line.quantity]);
}

describe('basket', () => {
  it('starts empty with total 0', () => {
    expect(emptyBasket.lines).toEqual([]);
    expect(basketTotal(emptyBasket)).toBe(0);
  });

  it('adds products as lines in scan order; the same product again counts up its line', () => {
    const basket = addProduct(addProduct(addProduct(emptyBasket, milk), bread), milk);
    expect(quantities(basket)).toEqual([
      ['Melk 1 l', 2],
      ['Brød grovt', 1],
    ]);
    expect(basket.lines.map(lineTotal)).toEqual([4980, 4290]);
    expect(basketTotal(basket)).toBe(9270);
  });

  it('never changes the basket it was given', () => {
    const one = addProduct(emptyBasket, milk);
    const two = addProduct(one, milk);
    setQuantity(two, milk.gtin, 5);
    removeLine(two, milk.gtin);
    expect(quantities(one)).toEqual([['Melk 1 l', 1]]);
    expect(quantities(two)).toEqual([['Melk 1 l', 2]]);
    expect(emptyBasket.lines).toHaveLength(0);
    expect(Object.isFrozen(two)).toBe(true);
    expect(Object.isFrozen(two.lines)).toBe(true);
    expect(Object.isFrozen(two.lines[0])).toBe(true);
  });

  it('sets a quantity from 1 to 99', () => {
    const basket = addProduct(emptyBasket, milk);
    expect(basketTotal(setQuantity(basket, milk.gtin, 99))).toBe(246_510);
    expect(basketTotal(setQuantity(basket, milk.gtin, 1))).toBe(2490);
  });

  it.each([0, 100, -1, 1.5, Number.NaN])('refuses quantity %s', (quantity) => {
    const basket = addProduct(emptyBasket, milk);
    expect(() => setQuantity(basket, milk.gtin, quantity)).toThrow(QuantityOutOfRangeError);
  });

  it('refuses a 100th unit of the same product by scanning', () => {
    const basket = setQuantity(addProduct(emptyBasket, milk), milk.gtin, 99);
    expect(() => addProduct(basket, milk)).toThrow(
      'Quantity 100 of 2000000000015 is not allowed; a line holds 1 to 99 items',
    );
  });

  it('removes a line and keeps the others in order', () => {
    const basket = addProduct(addProduct(addProduct(emptyBasket, milk), bread), batteries);
    expect(quantities(removeLine(basket, bread.gtin))).toEqual([
      ['Melk 1 l', 1],
      ['Batterier AA 4 pk', 1],
    ]);
  });

  it('says which product is missing when asked to change a line that is not there', () => {
    expect(() => removeLine(emptyBasket, milk.gtin)).toThrow(BasketLineNotFoundError);
    expect(() => setQuantity(emptyBasket, milk.gtin, 2)).toThrow(
      'Product 2000000000015 is not in the basket',
    );
    expect(() => setMemberDiscount(emptyBasket, milk.gtin, 100)).toThrow(BasketLineNotFoundError);
  });

  it('clears by starting over from the empty basket', () => {
    const basket = addProduct(emptyBasket, milk);
    expect(basketTotal(basket)).toBe(2490);
    expect(basketTotal(emptyBasket)).toBe(0);
  });

  it('holds at most 100 lines', () => {
    let basket = emptyBasket;
    for (let n = 1; n <= 100; n++) basket = addProduct(basket, product(n, 100));
    expect(basket.lines).toHaveLength(100);
    expect(() => addProduct(basket, product(101, 100))).toThrow(TooManyLinesError);
    // A product already in the basket still counts up.
    expect(lineTotal(addProduct(basket, product(1, 100)).lines[0]!)).toBe(200);
  });

  it('allows exactly 65 000 000 øre and refuses one øre more, by adding or by quantity', () => {
    const big = product(1, 650_000);
    const atLimit = setQuantity(addProduct(emptyBasket, big), big.gtin, 99);
    const full = addProduct(atLimit, product(2, 650_000));
    expect(basketTotal(full)).toBe(65_000_000);
    expect(() => addProduct(full, product(3, 1))).toThrow(BasketTotalTooHighError);
    expect(() => addProduct(full, product(3, 1))).toThrow(
      'The basket would total 65000001 minor units; Vipps takes at most 65000000 per payment',
    );
    expect(() => setQuantity(full, product(2, 650_000).gtin, 2)).toThrow(BasketTotalTooHighError);
  });

  it('refuses a product whose price is not whole øre', () => {
    expect(() => addProduct(emptyBasket, product(1, 12.5))).toThrow(InvalidPriceError);
    expect(() => addProduct(emptyBasket, product(1, -100))).toThrow(InvalidPriceError);
  });
});

describe('member discount', () => {
  it('takes the per-unit discount off every unit: unit price × quantity − discount', () => {
    const basket = setMemberDiscount(
      setQuantity(addProduct(emptyBasket, milk), milk.gtin, 3),
      milk.gtin,
      300,
    );
    const line = basket.lines[0]!;
    expect(lineDiscount(line)).toBe(900);
    expect(lineTotal(line)).toBe(3 * 2490 - 900);
    expect(basketTotal(basket)).toBe(6570);
  });

  it('keeps the discount when the quantity changes or the product is scanned again', () => {
    const discounted = setMemberDiscount(addProduct(emptyBasket, milk), milk.gtin, 490);
    expect(lineTotal(addProduct(discounted, milk).lines[0]!)).toBe(4000);
    expect(lineTotal(setQuantity(discounted, milk.gtin, 5).lines[0]!)).toBe(10_000);
  });

  it('may make a unit free but never negative', () => {
    const basket = addProduct(emptyBasket, milk);
    expect(basketTotal(setMemberDiscount(basket, milk.gtin, 2490))).toBe(0);
    expect(() => setMemberDiscount(basket, milk.gtin, 2491)).toThrow(InvalidPriceError);
    expect(() => setMemberDiscount(basket, milk.gtin, -1)).toThrow(InvalidPriceError);
    expect(() => setMemberDiscount(basket, milk.gtin, 0.5)).toThrow(
      'Product 2000000000015: member discount 0.5 must be a whole number of øre/cents from 0 to the unit price 2490',
    );
  });

  it('can be taken away again', () => {
    const basket = setMemberDiscount(addProduct(emptyBasket, milk), milk.gtin, 300);
    expect(basketTotal(setMemberDiscount(basket, milk.gtin, 0))).toBe(2490);
  });
});
