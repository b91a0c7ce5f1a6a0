import { describe, expect, it } from 'vitest';
import { gs1CheckDigit, hasValidCheckDigit, normaliseGtin } from '../../../device/checkout/domain/gtin.js';

describe('GS1 check digits', () => {
  it.each([
    ['400638133393', 1],
    ['590123412345', 7],
    ['978030640615', 7],
    ['9638507', 4],
    ['03600029145', 2],
    ['200000000001', 5],
  ])('%s → %i', (body, digit) => {
    expect(gs1CheckDigit(body)).toBe(digit);
  });

  it.each(['4006381333931', '5901234123457', '96385074', '036000291452', '0036000291452'])(
    'accepts %s',
    (code) => {
      expect(hasValidCheckDigit(code)).toBe(true);
    },
  );

  it.each([
    ['4006381333932', 'wrong check digit'],
    ['96385075', 'wrong EAN-8 check digit'],
    ['036000291453', 'wrong UPC-A check digit'],
    ['4006381333', 'ten digits is no GTIN length'],
    ['40063813339310', 'fourteen digits'],
    ['400638133393a', 'a letter'],
    ['', 'empty'],
    ['４００６３８１３３３９３１', 'full-width digits'],
  ])('rejects %s (%s)', (code) => {
    expect(hasValidCheckDigit(code)).toBe(false);
  });

  it('gives UPC-A its EAN-13 form and leaves EAN-8/EAN-13 alone', () => {
    expect(normaliseGtin('036000291452')).toBe('0036000291452');
    expect(normaliseGtin('4006381333931')).toBe('4006381333931');
    expect(normaliseGtin('96385074')).toBe('96385074');
  });
});
