import { describe, expect, it } from 'vitest';
import {
  addProduct,
  type Basket,
  BasketTotalTooHighError,
  basketTotal,
  emptyBasket,
  setMemberDiscount,
  setQuantity,
} from '../../../device/checkout/domain/basket.js';
import { type Country, CURRENCY_OF, type Market } from '../../../device/checkout/domain/market.js';
import type { Product } from '../../../device/checkout/domain/product.js';
import { buildReceipt, EmptyBasketError } from '../../../device/checkout/domain/receipt.js';
import { vatClassesOf } from '../../../device/checkout/domain/vat.js';
import { seededRandom } from '../../support/prng.js';
import { batteries, milk, newspaper, product } from './fixtures.js';

const norway: Market = { country: 'NO', currency: 'NOK' };
const header = { market: norway, posId: 'kiosk-07', receiptNumber: '0000000042' };

describe('buildReceipt', () => {
  it('makes one order line per basket line with hand-computed VAT', () => {
    let basket = addProduct(addProduct(addProduct(emptyBasket, milk), batteries), newspaper);
    basket = setMemberDiscount(setQuantity(basket, milk.gtin, 2), milk.gtin, 300);

    expect(buildReceipt(basket, header)).toEqual({
      orderLines: [
        {
          name: 'Melk 1 l',
          id: '2000000000015',
          totalAmount: 4380, // 2 × 2490 − 2 × 300
          totalAmountExcludingTax: 3809, // 4380 / 1.15 = 3808.70
          totalTaxAmount: 571,
          taxRate: 1500,
          unitInfo: { unitPrice: 2490, quantity: '2', quantityUnit: 'PCS' },
          discount: 600,
        },
        {
          name: 'Batterier AA 4 pk',
          id: '2000000000183',
          totalAmount: 7990,
          totalAmountExcludingTax: 6392,
          totalTaxAmount: 1598,
          taxRate: 2500,
          unitInfo: { unitPrice: 7990, quantity: '1', quantityUnit: 'PCS' },
        },
        {
          name: 'Dagens avis',
          id: '2000000000169',
          totalAmount: 4500,
          totalAmountExcludingTax: 4500,
          totalTaxAmount: 0,
          taxRate: 0,
          unitInfo: { unitPrice: 4500, quantity: '1', quantityUnit: 'PCS' },
        },
      ],
      bottomLine: { currency: 'NOK', posId: 'kiosk-07', receiptNumber: '0000000042' },
    });
  });

  it('uses the market for rates and currency', () => {
    const receipt = buildReceipt(addProduct(emptyBasket, product(1, 12_345)), {
      ...header,
      market: { country: 'FI', currency: 'EUR' },
    });
    expect(receipt.orderLines[0]).toMatchObject({
      totalAmountExcludingTax: 9837,
      totalTaxAmount: 2508,
      taxRate: 2550,
    });
    expect(receipt.bottomLine.currency).toBe('EUR');
  });

  it('refuses an empty basket: Vipps wants at least one line', () => {
    expect(() => buildReceipt(emptyBasket, header)).toThrow(EmptyBasketError);
  });

  it('refuses a product whose VAT class the market does not have', () => {
    const food = addProduct(emptyBasket, milk);
    expect(() => buildReceipt(food, { ...header, market: { country: 'DK', currency: 'DKK' } })).toThrow(
      'VAT class "food" does not exist in DK',
    );
  });
});

function randomBasket(next: () => number, country: Country): Basket {
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const classes = vatClassesOf(country);
  let basket = emptyBasket;
  const lines = int(1, 100);
  try {
    for (let n = 0; n < lines; n++) {
      const unitPrice = next() < 0.8 ? int(1, 50_000) : int(1, 650_000);
      const item: Product = { ...product(n, unitPrice), vatClass: classes[int(0, classes.length - 1)]! };
      basket = setQuantity(addProduct(basket, item), item.gtin, int(1, 99));
      if (next() < 0.3) basket = setMemberDiscount(basket, item.gtin, int(0, unitPrice));
    }
  } catch (error) {
    // The basket is full; what was built so far is a valid basket to test.
    if (!(error instanceof BasketTotalTooHighError)) throw error;
  }
  return basket;
}

describe('buildReceipt on random baskets', () => {
  it('lines always sum to the basket total and each line excl. + VAT to its total', () => {
    const countries: Country[] = ['NO', 'DK', 'FI'];
    for (let seed = 1; seed <= 500; seed++) {
      const next = seededRandom(seed);
      const country = countries[seed % 3]!;
      const basket = randomBasket(next, country);
      if (basket.lines.length === 0) continue;
      const receipt = buildReceipt(basket, {
        market: { country, currency: CURRENCY_OF[country] },
        posId: 'kiosk-07',
        receiptNumber: String(seed).padStart(10, '0'),
      });

      const context = `seed ${seed}`;
      const sum = receipt.orderLines.reduce((total, line) => total + line.totalAmount, 0);
      expect(sum, context).toBe(basketTotal(basket));
      expect(sum, context).toBeLessThanOrEqual(65_000_000);
      expect(receipt.orderLines, context).toHaveLength(basket.lines.length);
      for (const line of receipt.orderLines) {
        expect(line.totalAmountExcludingTax + line.totalTaxAmount, context).toBe(line.totalAmount);
        expect(line.totalTaxAmount, context).toBeGreaterThanOrEqual(0);
        const unitInfo = line.unitInfo!;
        expect(unitInfo.unitPrice * Number(unitInfo.quantity) - (line.discount ?? 0), context).toBe(
          line.totalAmount,
        );
        expect(line.discount === undefined || line.discount > 0, context).toBe(true);
      }
    }
  });
});
