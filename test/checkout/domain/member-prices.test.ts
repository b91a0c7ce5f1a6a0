import { describe, expect, it } from 'vitest';
import {
  addProduct,
  type Basket,
  BasketError,
  basketTotal,
  emptyBasket,
  setQuantity,
} from '../../../device/checkout/domain/basket.js';
import { type Country, CURRENCY_OF } from '../../../device/checkout/domain/market.js';
import {
  memberSavings,
  withMemberPrices,
  withoutMemberPrices,
} from '../../../device/checkout/domain/member-prices.js';
import type { Product } from '../../../device/checkout/domain/product.js';
import { splitVatInclusive } from '../../../device/checkout/domain/vat.js';
import { paymentRequest } from '../../../device/checkout/payment-request.js';
import { Dice, seededRandom } from '../../support/prng.js';
import { milk, newspaper } from './fixtures.js';

const coffee: Product = {
  gtin: '2000000000039',
  name: 'Kaffe 250 g',
  unitPrice: 6990,
  vatClass: 'food',
  memberPrice: 5990,
};

describe('member prices', () => {
  it('discounts each line by shelf minus member price per unit, and leaves lines without one alone', () => {
    const basket = setQuantity(addProduct(addProduct(emptyBasket, coffee), milk), coffee.gtin, 3);
    const member = withMemberPrices(basket);
    expect(member.lines.map((line) => line.memberDiscountPerUnit)).toEqual([1000, 0]);
    expect(basketTotal(member)).toBe(3 * 5990 + 2490);
    expect(memberSavings(basket)).toBe(3000);
    expect(basketTotal(withoutMemberPrices(member))).toBe(3 * 6990 + 2490);
    // Pricing twice changes nothing.
    expect(withMemberPrices(member)).toBe(member);
  });

  it('sends Vipps the shelf unit price with the saving as the line discount, VAT on what is paid', () => {
    const basket = withMemberPrices(setQuantity(addProduct(emptyBasket, coffee), coffee.gtin, 2));
    const request = paymentRequest({
      basket,
      customer: { phoneNumber: '4791234567' },
      market: { country: 'NO', currency: 'NOK' },
      kioskId: 'kiosk-07',
      storeName: 'Butikken',
      receiptNumber: '0000000042',
      reference: 'kiosk-07-0000000042-1',
    });
    expect(request.amount.value).toBe(11_980);
    expect(request.receipt!.orderLines[0]).toEqual({
      name: 'Kaffe 250 g',
      id: coffee.gtin,
      unitInfo: { unitPrice: 6990, quantity: '2', quantityUnit: 'PCS' },
      discount: 2000,
      totalAmount: 11_980, // 2 × 6990 − 2000
      totalAmountExcludingTax: 10_417, // 11980 / 1.15 = 10417.39
      totalTaxAmount: 1563,
      taxRate: 1500,
    });
  });

  it('on random baskets: lines sum to the amount, VAT is never negative, savings are exact', () => {
    const countries: Country[] = ['NO', 'DK', 'FI'];
    for (let seed = 1; seed <= 400; seed++) {
      const dice = new Dice(seededRandom(seed));
      const country = countries[seed % 3]!;
      const vatClass =
        country === 'DK'
          ? dice.pick(['standard', 'zero'] as const)
          : dice.pick(['standard', 'food', 'zero'] as const);
      let basket: Basket = emptyBasket;
      let expectedSavings = 0;
      for (let n = dice.int(1, 12); n > 0; n--) {
        const unitPrice = dice.int(1, 200_000);
        const memberPrice = dice.chance(0.6) && unitPrice > 1 ? dice.int(1, unitPrice - 1) : undefined;
        const product: Product = {
          gtin: `test-${seed}-${n}`,
          name: `Vare ${n}`,
          unitPrice,
          vatClass,
          ...(memberPrice === undefined ? {} : { memberPrice }),
        };
        const quantity = dice.int(1, 99);
        try {
          basket = setQuantity(addProduct(basket, product), product.gtin, quantity);
          expectedSavings += (unitPrice - (memberPrice ?? unitPrice)) * quantity;
        } catch (error) {
          // Over Vipps' ceiling for one payment: the basket stays as it was.
          if (!(error instanceof BasketError)) throw error;
        }
      }
      if (basket.lines.length === 0) continue;
      const context = `seed ${seed}`;
      const member = withMemberPrices(basket);
      expect(memberSavings(basket), context).toBe(expectedSavings);
      expect(basketTotal(basket) - basketTotal(member), context).toBe(expectedSavings);
      const request = paymentRequest({
        basket: member,
        customer: { phoneNumber: '4791234567' },
        market: { country, currency: CURRENCY_OF[country] },
        kioskId: 'kiosk-07',
        storeName: 'Butikken',
        receiptNumber: String(seed).padStart(10, '0'),
        reference: `kiosk-07-${String(seed).padStart(10, '0')}-1`,
      });
      const lines = request.receipt!.orderLines;
      expect(
        lines.reduce((sum, line) => sum + line.totalAmount, 0),
        context,
      ).toBe(request.amount.value);
      for (const line of lines) {
        expect(line.totalTaxAmount, context).toBeGreaterThanOrEqual(0);
        expect(line.totalAmountExcludingTax + line.totalTaxAmount, context).toBe(line.totalAmount);
        expect(splitVatInclusive(line.totalAmount, line.taxRate!).tax, context).toBe(line.totalTaxAmount);
        const unit = line.unitInfo!;
        expect(unit.unitPrice * Number(unit.quantity) - (line.discount ?? 0), context).toBe(line.totalAmount);
        expect(line.totalAmount, context).toBeGreaterThan(0);
      }
    }
  });

  it('a product with no member price costs a member the same', () => {
    const basket = addProduct(addProduct(emptyBasket, milk), newspaper);
    expect(withMemberPrices(basket)).toBe(basket);
    expect(memberSavings(basket)).toBe(0);
  });
});
