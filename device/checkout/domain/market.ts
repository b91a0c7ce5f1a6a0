import type { MarketCountry } from '../../../contracts/screen-model.js';
import type { Currency } from '../../../contracts/vipps-types.js';

/** The Vipps MobilePay markets a kiosk can sell in (the screen names their app by it). */
export type Country = MarketCountry;

export const COUNTRIES: readonly Country[] = ['NO', 'DK', 'FI'];

// A sales unit can only take payments in its market's currency (Vipps error 5040), so the pair is fixed.
export const CURRENCY_OF: Readonly<Record<Country, Currency>> = { NO: 'NOK', DK: 'DKK', FI: 'EUR' };

export interface Market {
  readonly country: Country;
  readonly currency: Currency;
}
