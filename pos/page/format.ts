import type { Currency } from '../../contracts/vipps-types.js';

/** `minor` is in øre/cents; the currency's own number of decimals decides the divisor. */
export function formatMoney(minor: number, currency: Currency, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

/** Basis points (2500 is 25 %), the unit of the Vipps receipt's `taxRate`. */
export function formatVatRate(basisPoints: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(
    basisPoints / 10_000,
  );
}
