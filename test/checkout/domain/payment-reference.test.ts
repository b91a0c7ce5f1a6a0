import { describe, expect, it } from 'vitest';
import {
  InvalidKioskIdError,
  InvalidPaymentReferenceError,
  kioskReferencePart,
  paymentReference,
} from '../../../device/checkout/domain/payment-reference.js';

const VIPPS_REFERENCE = /^[a-zA-Z0-9-]{8,64}$/;

describe('paymentReference', () => {
  it('joins kiosk id, receipt number and attempt', () => {
    expect(paymentReference('kiosk7', '0000000042', 1)).toBe('kiosk7-0000000042-1');
  });

  it('gives each new attempt for the same basket a new reference', () => {
    const attempts = [1, 2, 3].map((attempt) => paymentReference('kiosk7', '0000000042', attempt));
    expect(attempts).toEqual(['kiosk7-0000000042-1', 'kiosk7-0000000042-2', 'kiosk7-0000000042-3']);
  });

  it('gives the same basket the same reference when asked again (a retried call reuses it)', () => {
    expect(paymentReference('kiosk7', '0000000042', 2)).toBe(paymentReference('kiosk7', '0000000042', 2));
  });

  it('tells kiosks apart', () => {
    expect(paymentReference('oslo-1', '0000000001', 1)).not.toBe(paymentReference('oslo-2', '0000000001', 1));
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses attempt %s', (attempt) => {
    expect(() => paymentReference('kiosk7', '0000000042', attempt)).toThrow(InvalidPaymentReferenceError);
  });

  it.each(['', '42a', '-42', ' 42'])('refuses receipt number %j', (receiptNumber) => {
    expect(() => paymentReference('kiosk7', receiptNumber, 1)).toThrow(InvalidPaymentReferenceError);
  });

  it('refuses a result shorter than Vipps allows', () => {
    expect(() => paymentReference('a', '1', 1)).toThrow(
      `Cannot make a payment reference: "a-1-1" does not fit Vipps' rule of 8–64 characters`,
    );
  });

  it('refuses a kiosk id with nothing usable in it', () => {
    for (const id of ['', '   ', '---', '!!!', '🙂', '_']) {
      expect(() => paymentReference(id, '0000000042', 1)).toThrow(InvalidKioskIdError);
    }
    expect(() => kioskReferencePart('***')).toThrow(
      'Kiosk id "***" cannot name payments: it needs at least one letter or digit (a-z, A-Z, 0-9); fix the kiosk id in the config',
    );
  });
});

describe('kioskReferencePart', () => {
  it.each([
    ['kiosk7', 'kiosk7'],
    ['Kiosk-07', 'Kiosk-07'],
    ['Kiosk 07', 'Kiosk-07'],
    ['oslo_sentrum.kiosk#3', 'oslo-sentrum-kiosk-3'],
    ['  --kiosk--7--  ', 'kiosk-7'],
    ['Bergen-Sø', 'Bergen-So'],
    ['Tromsø', 'Tromso'],
    ['Ærøskøbing', 'AEroskobing'],
    ['Åsane', 'Asane'],
    ['Café Zürich', 'Cafe-Zurich'],
    ['07', 'k07'], // never a leading digit, so never a leading zero
    ['42-oslo', 'k42-oslo'],
  ])('%j → %j', (id, part) => {
    expect(kioskReferencePart(id)).toBe(part);
  });

  it('keeps long ids unique: a cut prefix plus a digest of the whole id', () => {
    const a = kioskReferencePart('rema-1000-oslo-sentrum-storgata-kiosk-01');
    const b = kioskReferencePart('rema-1000-oslo-sentrum-storgata-kiosk-02');
    // Cut at 15 characters, `rema-1000-oslo-`, whose dangling dash goes.
    expect(a).toMatch(/^rema-1000-oslo-[0-9a-f]{8}$/);
    expect(b).toMatch(/^rema-1000-oslo-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(24);
    expect(kioskReferencePart('rema-1000-oslo-sentrum-storgata-kiosk-01')).toBe(a);
  });

  it('fits 24 characters exactly without a digest', () => {
    expect(kioskReferencePart('abcdefghijklmnopqrstuvwx')).toBe('abcdefghijklmnopqrstuvwx');
    expect(kioskReferencePart('abcdefghijklmnopqrstuvwxy')).toMatch(/^abcdefghijklmno-[0-9a-f]{8}$/);
  });

  it('gives a valid reference for any id that has a letter or digit, even hostile ones', () => {
    const ids = [
      'x'.repeat(10_000),
      '../../etc/passwd',
      "kiosk'; DROP TABLE payments;--",
      'kiosk\u0000\r\n7',
      '\u202ekiosk7',
      'キオスク7',
      '1234567890'.repeat(10),
    ];
    for (const id of ids) {
      expect(paymentReference(id, '9999999999', 999_999)).toMatch(VIPPS_REFERENCE);
    }
  });
});
