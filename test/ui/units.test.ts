import { describe, expect, it } from 'vitest';
import {
  DIALLING,
  groupDigits,
  homeDialling,
  isPlausibleMobile,
  isPlausibleMsisdn,
  msisdn,
  nextDialling,
  typeDigit,
} from '../../contracts/phone-numbers.js';
import { LANGUAGES } from '../../contracts/screen-model.js';
import { formatCountdown, formatMoney, formatVatRate, secondsUntil } from '../../ui/base/format.js';
import { CONTRAST_PAIRS, HIGH_CONTRAST, PALETTE } from '../../ui/base/theme.js';
import { APP_PLACEHOLDER, CATALOGS, messagesOf } from '../../ui/i18n/index.js';

// WCAG 2.x relative luminance and contrast ratio.
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

describe('colour pairs', () => {
  it('knows what a failing pair looks like', () => {
    expect(contrast('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrast(PALETTE.accent, PALETTE.canvas)).toBeLessThan(3);
  });

  it.each(CONTRAST_PAIRS)('$fg on $bg meets $min:1 ($use)', ({ fg, bg, min }) => {
    expect(contrast(PALETTE[fg], PALETTE[bg])).toBeGreaterThanOrEqual(min);
  });

  // The high-contrast theme holds every pair to AAA's 7:1, borders and large text included.
  it.each(CONTRAST_PAIRS)('in high contrast, $fg on $bg meets 7:1 ($use)', ({ fg, bg }) => {
    expect(contrast(HIGH_CONTRAST[fg], HIGH_CONTRAST[bg])).toBeGreaterThanOrEqual(7);
  });
});

describe('message catalogs', () => {
  // The type system already demands the same keys; this catches empty strings and untranslated copies.
  function leaves(value: unknown, path = ''): Array<[string, unknown]> {
    // A locale with its fallbacks is one text.
    if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
      return [[path, value.join()]];
    if (typeof value === 'object' && value !== null) {
      return Object.entries(value).flatMap(([key, child]) => leaves(child, `${path}.${key}`));
    }
    return [[path, typeof value === 'function' ? value('X', 2) : value]];
  }

  it('have no empty texts and translate every text that is not a name', () => {
    const nb = new Map(leaves(CATALOGS.nb));
    const en = new Map(leaves(CATALOGS.en));
    for (const language of LANGUAGES) {
      const texts = new Map(leaves(CATALOGS[language]));
      expect([...texts.keys()], language).toEqual([...nb.keys()]);
      for (const [key, text] of texts) expect(String(text).trim(), `${language}${key}`).not.toBe('');
    }
    for (const [key, text] of en) {
      if (!['.demo.title', '.identify.send', '.feedback.customer'].includes(key)) {
        expect(text, `${key} is the same in both languages`).not.toEqual(nb.get(key));
      }
    }
  });

  it('give each language its own locale and its name in itself', () => {
    const locales = LANGUAGES.map((language) => CATALOGS[language].locale);
    const names = LANGUAGES.map((language) => CATALOGS[language].languageName);
    expect(locales).toEqual(['nb-NO', ['nn-NO', 'nb-NO'], 'en-GB', 'da-DK', 'sv-SE', 'fi-FI']);
    expect(new Set(names).size).toBe(LANGUAGES.length);
    for (const locale of locales.flat())
      expect(Intl.NumberFormat.supportedLocalesOf(locale)).toEqual([locale]);
  });

  it('name the payment app the way the market does, and leave no placeholder behind', () => {
    for (const language of LANGUAGES) {
      for (const market of ['NO', 'DK', 'FI'] as const) {
        const texts = leaves(messagesOf(language, market)).map(([, text]) => String(text));
        const app = market === 'NO' ? 'Vipps' : 'MobilePay';
        const other = market === 'NO' ? 'MobilePay' : 'Vipps';
        expect(
          texts.filter((text) => text.includes(APP_PLACEHOLDER)),
          `${language} ${market}`,
        ).toEqual([]);
        expect(
          texts.filter((text) => text.includes(other)),
          `${language} ${market}`,
        ).toEqual([]);
        expect(messagesOf(language, market).awaitingApproval.title, `${language} ${market}`).toContain(app);
      }
    }
    expect(messagesOf('nb', 'DK').unavailable.title).toBe('MobilePay er midlertidig utilgjengelig');
    expect(messagesOf('fi', 'FI').awaitingApproval.title).toBe('Hyväksy MobilePay-sovelluksessa');
    expect(messagesOf('da', 'DK').basket.items(3)).toBe('3 varer');
  });
});

describe('money and time', () => {
  it('formats minor units in the currency and the language locale', () => {
    const tidy = (text: string) => text.replace(/\s/g, ' ');
    expect(tidy(formatMoney(123450, 'NOK', 'nb-NO'))).toBe('1 234,50 kr');
    expect(tidy(formatMoney(123450, 'NOK', 'en-GB'))).toBe('NOK 1,234.50');
    expect(tidy(formatMoney(995, 'EUR', 'nb-NO'))).toBe('9,95 €');
    expect(tidy(formatMoney(995, 'DKK', 'en-GB'))).toBe('DKK 9.95');
    expect(tidy(formatMoney(123450, 'DKK', 'da-DK'))).toBe('1.234,50 kr.');
    expect(tidy(formatMoney(123450, 'EUR', 'fi-FI'))).toBe('1 234,50 €');
    expect(tidy(formatMoney(123450, 'NOK', ['nn-NO', 'nb-NO']))).toBe('1 234,50 kr');
  });

  it('shows VAT rates given in basis points as percentages', () => {
    expect(formatVatRate(2500, 'en-GB')).toBe('25%');
    expect(formatVatRate(2550, 'nb-NO').replace(/\s/g, ' ')).toBe('25,5 %');
  });

  it('counts down in whole seconds, rounding up, never below zero', () => {
    expect(secondsUntil(10_000, 9_001)).toBe(1);
    expect(secondsUntil(10_000, 10_000)).toBe(0);
    expect(secondsUntil(10_000, 12_000)).toBe(0);
    expect(formatCountdown(272)).toBe('4:32');
    expect(formatCountdown(9)).toBe('0:09');
  });
});

describe('phone keypad rules', () => {
  const norway = homeDialling('NO');
  const finland = homeDialling('FI');

  it('starts from the country of the market and cycles through all of them', () => {
    expect([homeDialling('NO'), homeDialling('DK'), homeDialling('FI')].map((c) => c.code)).toEqual([
      '47',
      '45',
      '358',
    ]);
    let country = norway;
    for (let i = 0; i < DIALLING.length; i++) country = nextDialling(country);
    expect(country).toBe(norway);
  });

  it('takes a Finnish number as Finns write it, trunk 0 and all', () => {
    const typed = [...'0501234567'].reduce((national, digit) => typeDigit(finland, national, digit), '');
    expect(msisdn(finland, typed)).toBe('358501234567');
    expect(isPlausibleMsisdn(msisdn(finland, typed))).toBe(true);
  });

  it('drops a leading trunk 0 and stops at the longest number', () => {
    const typed = [...'0912345678'].reduce((national, digit) => typeDigit(norway, national, digit), '');
    expect(typed).toBe('91234567');
    expect(msisdn(norway, typed)).toBe('4791234567');
  });

  it.each([
    ['47', '91234567', true],
    ['47', '41234500', true],
    ['47', '9123456', false],
    ['47', '21234567', false],
    ['45', '20123456', true],
    ['45', '0123456', false],
    ['358', '401234567', true],
    ['358', '5012345', true],
    ['358', '912345678', false],
    // Finnish mobiles are 04x and 050 only: 051 is not one.
    ['358', '4512345', true],
    ['358', '501234567', true],
    ['358', '511234567', false],
    ['358', '40123456789', false],
  ])('+%s %s is plausible: %s', (code, national, plausible) => {
    const country = DIALLING.find((c) => c.code === code)!;
    expect(isPlausibleMobile(country, national)).toBe(plausible);
  });

  it.each([
    ['4791234567', true],
    ['4541234567', true],
    ['358401234567', true],
    ['35850123456789', false],
    ['4721234567', false],
    ['479123456', false],
    ['4691234567', false],
    ['+4791234567', false],
    ['47 91234567', false],
    ['', false],
  ])('MSISDN %s is plausible: %s', (number, plausible) => {
    expect(isPlausibleMsisdn(number)).toBe(plausible);
  });

  it('calls plausible exactly what the keypad can send', () => {
    for (const country of DIALLING)
      for (const national of ['91234567', '41234500', '20123456', '401234567', '5012345', '21234567'])
        expect(isPlausibleMsisdn(msisdn(country, national))).toBe(isPlausibleMobile(country, national));
  });

  it('groups digits the way they are read aloud', () => {
    expect(groupDigits(norway, '91234567')).toBe('912 34 567');
    expect(groupDigits(norway, '9123')).toBe('912 3');
    expect(groupDigits(finland, '401234567')).toBe('40 123 4567');
  });
});
