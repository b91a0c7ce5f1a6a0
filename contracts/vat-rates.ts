import type { MarketCountry } from './screen-model.js';

// The kiosk (device/) and the cashier screen (pos/) price from the same catalog file and must agree on
// what each VAT class costs in each market; the one table lives here because pos/ may not import device/.

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
export const VAT_RATES: Readonly<Record<MarketCountry, Readonly<Partial<Record<VatClass, number>>>>> = {
  NO: { standard: 2500, food: 1500, reduced: 1200, zero: 0 },
  DK: { standard: 2500, zero: 0 },
  FI: { standard: 2550, food: 1350, reduced: 1000, zero: 0 },
};

export function vatClassesOf(country: MarketCountry): readonly VatClass[] {
  return Object.keys(VAT_RATES[country]) as VatClass[];
}

/** The rate of a class named in a catalog file, or undefined when the country has no such class. */
export function vatRateOf(country: MarketCountry, vatClass: string): number | undefined {
  return (VAT_RATES[country] as Readonly<Record<string, number>>)[vatClass];
}
