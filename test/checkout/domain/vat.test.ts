import { describe, expect, it } from 'vitest';
import {
  splitVatInclusive,
  UnknownVatClassError,
  VatInputError,
  vatClassesOf,
  vatRate,
} from '../../../device/checkout/domain/vat.js';

describe('VAT rates', () => {
  it('has the Norwegian rates', () => {
    expect(vatRate('NO', 'standard')).toBe(2500);
    expect(vatRate('NO', 'food')).toBe(1500);
    expect(vatRate('NO', 'reduced')).toBe(1200);
    expect(vatRate('NO', 'zero')).toBe(0);
  });

  it('has the Danish rates and no others', () => {
    expect(vatRate('DK', 'standard')).toBe(2500);
    expect(vatRate('DK', 'zero')).toBe(0);
    expect(vatClassesOf('DK')).toEqual(['standard', 'zero']);
  });

  it('has the Finnish rates in force from 2026', () => {
    expect(vatRate('FI', 'standard')).toBe(2550);
    expect(vatRate('FI', 'food')).toBe(1350);
    expect(vatRate('FI', 'reduced')).toBe(1000);
    expect(vatRate('FI', 'zero')).toBe(0);
  });

  it('refuses a class the country does not have, naming the ones it does', () => {
    expect(() => vatRate('DK', 'food')).toThrow(UnknownVatClassError);
    expect(() => vatRate('DK', 'food')).toThrow(
      'VAT class "food" does not exist in DK; use one of standard, zero',
    );
  });
});

describe('splitVatInclusive', () => {
  // Expected figures worked out by hand: excl = total × 10000 / (10000 + rate), rounded half up.
  it.each([
    // total, rate, excl, tax
    [12500, 2500, 10000, 2500],
    [7990, 2500, 6392, 1598],
    [100, 2500, 80, 20],
    [4490, 1500, 3904, 586], // 3904.35
    [350, 1200, 313, 37], // 312.5 exactly: half rounds up
    [14, 1200, 13, 1], // 12.5 exactly
    [6, 1200, 5, 1], // 5.357
    [12345, 2550, 9837, 2508], // 9836.65
    [99, 1350, 87, 12], // 87.22
    [65_000_000, 2500, 52_000_000, 13_000_000],
    [65_000_000, 2550, 51_792_829, 13_207_171], // 51 792 828.685
    [65_000_000, 1500, 56_521_739, 8_478_261], // 56 521 739.13
    [65_000_000, 1350, 57_268_722, 7_731_278], // 57 268 722.47
    [65_000_000, 1000, 59_090_909, 5_909_091], // 59 090 909.09
    [64_999_999, 2500, 51_999_999, 13_000_000], // 51 999 999.2
    [65_000_000, 0, 65_000_000, 0],
    [4500, 0, 4500, 0],
    [0, 2500, 0, 0],
  ])('%i at %i bp → %i excl + %i VAT', (total, rate, excl, tax) => {
    expect(splitVatInclusive(total, rate)).toEqual({ excludingTax: excl, tax });
  });

  it.each([
    // A single øre: 0.8, 0.87, 0.797 excl all round up to 1, so the VAT is 0.
    [2500, 1, 0],
    [1500, 1, 0],
    [2550, 1, 0],
    [0, 1, 0],
  ])('1 øre at %i bp → %i excl + %i VAT', (rate, excl, tax) => {
    expect(splitVatInclusive(1, rate)).toEqual({ excludingTax: excl, tax });
  });

  it('2 and 3 øre at 25 %', () => {
    expect(splitVatInclusive(2, 2500)).toEqual({ excludingTax: 2, tax: 0 }); // 1.6
    expect(splitVatInclusive(3, 2500)).toEqual({ excludingTax: 2, tax: 1 }); // 2.4
  });

  it('always adds up to the total, for every amount up to 20 000 øre at every rate', () => {
    const wrong: string[] = [];
    for (const rate of [0, 1000, 1200, 1350, 1500, 2500, 2550]) {
      for (let total = 0; total <= 20_000; total++) {
        const { excludingTax, tax } = splitVatInclusive(total, rate);
        // Half up: the excl amount is less than half an øre below the exact figure and at most half above.
        const error = excludingTax * (10_000 + rate) - total * 10_000;
        const half = (10_000 + rate) / 2;
        if (excludingTax + tax !== total || error <= -half || error > half) wrong.push(`${total}@${rate}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    [-1, 2500],
    [12.5, 2500],
    [Number.NaN, 2500],
    [2 ** 53, 2500],
    [100, -1],
    [100, 10_001],
    [100, 25.5],
  ])('rejects %s at %s bp', (total, rate) => {
    expect(() => splitVatInclusive(total, rate)).toThrow(VatInputError);
  });
});
