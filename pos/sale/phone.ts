import { isPlausibleMsisdn } from '../../contracts/phone-numbers.js';
import type { Currency } from '../../contracts/vipps-types.js';

const HOME_CODE: Readonly<Record<Currency, string>> = { NOK: '47', DKK: '45', EUR: '358' };

/**
 * A number as the cashier types it (`912 34 567`, `+47 91234567`, `0047…`, Finland's `040 …`) in the
 * MSISDN form the terminal takes (`4791234567`): a number without a country code is taken as one of the
 * store's own country. Undefined for anything that cannot be a Vipps MobilePay mobile number.
 */
export function msisdnOf(typed: string, currency: Currency): string | undefined {
  const compact = typed.replace(/[\s-]/g, '');
  const candidates = compact.startsWith('+')
    ? [compact.slice(1)]
    : compact.startsWith('00')
      ? [compact.slice(2)]
      : // A national number first; failing that, one typed with its country code but no `+`.
        [HOME_CODE[currency] + compact.replace(/^0/, ''), compact];
  return candidates.find((digits) => /^\d+$/.test(digits) && isPlausibleMsisdn(digits));
}
