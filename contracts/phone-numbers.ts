import type { MarketCountry } from './screen-model.js';

/**
 * Mobile numbering of the Vipps MobilePay countries: the one rule for a customer's phone number, shared
 * by the keypad (to enable Send, and to group the digits the way people read them aloud) and the daemon
 * (to refuse anything else arriving as a `pay-phone` intent). Vipps decides whether the number has an
 * account.
 */
export interface CountryDialling {
  code: string;
  /** Allowed lengths of the national number (without the trunk 0). */
  minDigits: number;
  maxDigits: number;
  /** Mobile numbers (without the trunk 0) start with one of these. */
  mobilePrefixes: readonly string[];
  /** Digit groups for display, e.g. Norway's 912 34 567. */
  groups: readonly number[];
}

// Norway: 8 digits, mobiles from 4 or 9. Denmark: 8 digits, no trunk prefix, mobiles across 2–9.
// Finland: mobiles are 04x and 050 (written with the trunk 0), 7 to 10 digits after it.
export const DIALLING: readonly CountryDialling[] = [
  { code: '47', minDigits: 8, maxDigits: 8, mobilePrefixes: ['4', '9'], groups: [3, 2, 3] },
  {
    code: '45',
    minDigits: 8,
    maxDigits: 8,
    mobilePrefixes: ['2', '3', '4', '5', '6', '7', '8', '9'],
    groups: [2, 2, 2, 2],
  },
  { code: '358', minDigits: 7, maxDigits: 10, mobilePrefixes: ['4', '50'], groups: [2, 3, 5] },
];

const HOME_CODE: Readonly<Record<MarketCountry, string>> = { NO: '47', DK: '45', FI: '358' };

/** The keypad starts in the kiosk's market. */
export function homeDialling(market: MarketCountry): CountryDialling {
  return DIALLING.find((country) => country.code === HOME_CODE[market])!;
}

/** The next country in the list, so one button cycles through them. */
export function nextDialling(current: CountryDialling): CountryDialling {
  return DIALLING[(DIALLING.indexOf(current) + 1) % DIALLING.length]!;
}

/**
 * Adds a keypad digit to the national number. A leading 0 is the trunk prefix people type out of habit
 * (Finns write 040 …); it is never part of the international number, so it is not taken.
 */
export function typeDigit(country: CountryDialling, national: string, digit: string): string {
  if (national === '' && digit === '0') return national;
  return national.length < country.maxDigits ? national + digit : national;
}

export function isPlausibleMobile(country: CountryDialling, national: string): boolean {
  return (
    /^\d+$/.test(national) &&
    national.length >= country.minDigits &&
    national.length <= country.maxDigits &&
    country.mobilePrefixes.some((prefix) => national.startsWith(prefix))
  );
}

/**
 * Whether an MSISDN could be a mobile number in a Vipps MobilePay country: its country code, then a
 * national number of that country's length and mobile range. Within Vipps' own `^\d{10,15}$` for every
 * country listed, so what passes here passes Vipps' format check.
 */
export function isPlausibleMsisdn(msisdn: string): boolean {
  const country = DIALLING.find((candidate) => msisdn.startsWith(candidate.code));
  return country !== undefined && isPlausibleMobile(country, msisdn.slice(country.code.length));
}

/** Digits only, country code first: the MSISDN form the daemon and Vipps take. */
export function msisdn(country: CountryDialling, national: string): string {
  return country.code + national;
}

export function groupDigits(country: CountryDialling, national: string): string {
  const parts: string[] = [];
  let rest = national;
  for (const size of country.groups) {
    if (rest === '') break;
    parts.push(rest.slice(0, size));
    rest = rest.slice(size);
  }
  if (rest !== '') parts.push(rest);
  return parts.join(' ');
}
