import type { Country } from './market.js';

/**
 * What a product is taxed as. The class names are shared across countries but what falls in them is
 * each country's law: `reduced` is transport/cinema/hotel in Norway but newspapers/periodicals in
 * Finland, whose `food` rate also covers transport, hotels, books and medicines; Denmark has only
 * `standard` and `zero`.
 */
export const VAT_CLASSES = ['standard', 'food', 'reduced', 'zero'] as const;
export type VatClass = (typeof VAT_CLASSES)[number];

/**
 * Rates in basis points (hundredths of a percent), the unit of the receipt's `taxRate`. In force from
 * 1 January 2026; Finland cut its food rate from 14 % to 13.5 % on that day.
 */
export const VAT_RATES: Readonly<Record<Country, Readonly<Partial<Record<VatClass, number>>>>> = {
  NO: { standard: 2500, food: 1500, reduced: 1200, zero: 0 },
  DK: { standard: 2500, zero: 0 },
  FI: { standard: 2550, food: 1350, reduced: 1000, zero: 0 },
};

const BASIS = 10_000;

export class UnknownVatClassError extends Error {
  override readonly name = 'UnknownVatClassError';
  readonly country: Country;
  readonly vatClass: string;

  constructor(country: Country, vatClass: string) {
    super(
      `VAT class "${vatClass}" does not exist in ${country}; use one of ${vatClassesOf(country).join(', ')}`,
    );
    this.country = country;
    this.vatClass = vatClass;
  }
}

export class VatInputError extends RangeError {
  override readonly name = 'VatInputError';
}

export function vatClassesOf(country: Country): readonly VatClass[] {
  return Object.keys(VAT_RATES[country]) as VatClass[];
}

export function vatRate(country: Country, vatClass: VatClass): number {
  const rate = VAT_RATES[country][vatClass];
  if (rate === undefined) throw new UnknownVatClassError(country, vatClass);
  return rate;
}

export interface VatSplit {
  readonly excludingTax: number;
  readonly tax: number;
}

/**
 * Splits a VAT-inclusive amount (minor units) into the amount excluding VAT and the VAT.
 *
 * Rounding rule: the amount excluding VAT is total × 10000 / (10000 + rate) rounded half up to a
 * whole øre/cent, and the VAT is whatever remains (total − excluding). Rounding only one side means
 * the two always add up to the total exactly, which is what Vipps shows and what the customer paid.
 * Integer arithmetic throughout: 65 000 000 × 20 000 stays far below 2^53.
 */
export function splitVatInclusive(totalIncludingTax: number, rateBasisPoints: number): VatSplit {
  if (!Number.isSafeInteger(totalIncludingTax) || totalIncludingTax < 0) {
    throw new VatInputError(
      `VAT-inclusive amount ${totalIncludingTax} is not a whole number of øre/cents ≥ 0`,
    );
  }
  if (!Number.isInteger(rateBasisPoints) || rateBasisPoints < 0 || rateBasisPoints > BASIS) {
    throw new VatInputError(`VAT rate ${rateBasisPoints} is not in basis points 0..${BASIS}`);
  }
  const divisor = BASIS + rateBasisPoints;
  // floor((2·n + d) / 2d) is round-half-up of n/d for n, d ≥ 0.
  const excludingTax = Math.floor((2 * totalIncludingTax * BASIS + divisor) / (2 * divisor));
  return { excludingTax, tax: totalIncludingTax - excludingTax };
}
