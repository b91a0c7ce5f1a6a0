import { describe, expect, it } from 'vitest';
import { intentSchema } from '../../contracts/intent-schema.js';

// The daemon's gate for what the screen sends: a phone number passes exactly when the keypad would
// have let the customer send it (contracts/phone-numbers.ts is the one rule for both).
describe('intent schema: pay-phone', () => {
  it.each(['4791234567', '4541234567', '358401234567', '3585012345'])(
    'takes the mobile number %s',
    (msisdn) => {
      expect(intentSchema.safeParse({ type: 'pay-phone', msisdn }).success).toBe(true);
    },
  );

  it.each([
    ['too short', '12345'],
    ['with a plus and spaces', '+47 912'],
    ['a Norwegian landline', '4721234567'],
    ['a country outside Vipps MobilePay', '4691234567'],
    ['too long for Finland', '35840123456789'],
    ['not a Finnish mobile (051)', '358511234567'],
    ['not digits', '47912345ab'],
  ])('refuses %s', (_, msisdn) => {
    expect(intentSchema.safeParse({ type: 'pay-phone', msisdn }).success).toBe(false);
  });

  it('refuses a number with anything else beside it', () => {
    expect(intentSchema.safeParse({ type: 'pay-phone', msisdn: '4791234567', name: 'x' }).success).toBe(
      false,
    );
  });
});

describe('intent schema: language and theme', () => {
  it.each(['nb', 'nn', 'en', 'da', 'sv', 'fi'])('takes the language %s', (language) => {
    expect(intentSchema.safeParse({ type: 'language', language }).success).toBe(true);
  });

  it('takes the two themes and refuses anything else', () => {
    expect(intentSchema.safeParse({ type: 'theme', theme: 'high-contrast' }).success).toBe(true);
    expect(intentSchema.safeParse({ type: 'theme', theme: 'standard' }).success).toBe(true);
    expect(intentSchema.safeParse({ type: 'theme', theme: 'dark' }).success).toBe(false);
    expect(intentSchema.safeParse({ type: 'language', language: 'se' }).success).toBe(false);
  });
});
