import type { Currency } from '../../contracts/vipps-types.js';
import type { Locales } from '../i18n/messages.js';

// Intl formatters are costly to build and the screen re-renders every second during countdowns.
const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: Currency, locale: Locales): Intl.NumberFormat {
  const key = `${String(locale)}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    moneyFormats.set(key, format);
  }
  return format;
}

/** `minor` is in øre/cents; the currency's own number of decimals decides the divisor. */
export function formatMoney(minor: number, currency: Currency, locale: Locales): string {
  const format = moneyFormat(currency, locale);
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

/** VAT rates arrive in basis points (2500 is 25 %), the unit of the Vipps receipt's `taxRate`. */
export function formatVatRate(basisPoints: number, locale: Locales): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(
    basisPoints / 10_000,
  );
}

export function formatDateTime(epochMs: number, locale: Locales): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }).format(epochMs);
}

/** Whole seconds left until `deadline`, rounded up so "0" only shows once the time is really out. */
export function secondsUntil(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

/** m:ss, the way a payment countdown reads on a phone. */
export function formatCountdown(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
