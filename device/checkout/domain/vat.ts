import { type VatClass, vatClassesOf, vatRateOf } from '../../../contracts/vat-rates.js';
import type { Country } from './market.js';

// The table itself is a shared wire fact (contracts/vat-rates.ts); this module applies it to money.
export { VAT_CLASSES, VAT_RATES, type VatClass, vatClassesOf } from '../../../contracts/vat-rates.js';

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

export function vatRate(country: Country, vatClass: VatClass): number {
  const rate = vatRateOf(country, vatClass);
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
