import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type Enrolment,
  EnrolmentError,
  newEnrolmentToken,
  readEnrolment,
  signEnrolment,
} from '../../contracts/enrolment.js';

const hq = generateKeyPairSync('ed25519');
const now = new Date('2026-11-23T12:00:00Z');
const enrolment: Enrolment = {
  site: 'oslo-storo',
  deviceId: 'storo-1',
  label: 'Kasse 1',
  brokerUrl: 'mqtts://hq.example:8883',
  serviceUrl: 'https://hq.example:8444',
  serviceFingerprint: 'ab'.repeat(32),
  token: newEnrolmentToken(),
  expiresAt: new Date('2026-11-23T13:00:00Z'),
};

describe('enrolment codes', () => {
  it('round-trips, in capitals, digits and dots only (any keyboard layout, QR alphanumeric mode)', () => {
    const code = signEnrolment(enrolment, hq.privateKey);
    expect(code).toMatch(/^VKENROL2\.[A-Z2-7]+\.[A-Z2-7]+$/);
    expect(readEnrolment(code, hq.publicKey, now)).toEqual(enrolment);
    // A scanner with caps lock on types lower case: still the same code.
    expect(readEnrolment(` ${code.toLowerCase()}\n`, hq.publicKey, now)).toEqual(enrolment);
  });

  it('refuses a code whose contents were changed, or that another key signed', () => {
    const code = signEnrolment(enrolment, hq.privateKey);
    const [prefix, payload, signature] = code.split('.');
    const flipped = payload!.slice(0, 10) + (payload![10] === 'A' ? 'B' : 'A') + payload!.slice(11);
    expect(() => readEnrolment(`${prefix}.${flipped}.${signature}`, hq.publicKey, now)).toThrow(
      /not signed by this fleet's HQ/,
    );
    const other = generateKeyPairSync('ed25519');
    expect(() => readEnrolment(signEnrolment(enrolment, other.privateKey), hq.publicKey, now)).toThrow(
      EnrolmentError,
    );
  });

  it('refuses an expired code, saying when it expired and to check the clock', () => {
    const code = signEnrolment(enrolment, hq.privateKey);
    expect(() => readEnrolment(code, hq.publicKey, new Date('2026-11-23T13:05:00Z'))).toThrow(
      "the enrolment code expired at 2026-11-23T13:00:00.000Z (5 min ago); ask HQ for a new one. If it should still be valid, check this kiosk's clock",
    );
  });

  it('tells a product barcode or a personal QR from an enrolment code', () => {
    for (const text of ['7038010055690', 'https://qr.vipps.no/p/abc', 'VKENROL2.ABC']) {
      expect(() => readEnrolment(text, hq.publicKey, now)).toThrow(/not a vipps-kiosk enrolment code/);
    }
  });

  it('an old code (a broker password) is turned away with what to do', () => {
    expect(() => readEnrolment('VKENROL1.AAAA.BBBB', hq.publicKey, now)).toThrow(
      'that is an old enrolment code (VKENROL1, a broker password); ask HQ for a new one made with this version',
    );
  });

  it('a code whose enrolment service is not https:// or whose fingerprint is malformed is not understood', () => {
    for (const changed of [
      { ...enrolment, serviceUrl: 'http://hq.example:8444' },
      { ...enrolment, serviceFingerprint: 'AB:CD' },
    ]) {
      expect(() => readEnrolment(signEnrolment(changed, hq.privateKey), hq.publicKey, now)).toThrow(
        /signed by HQ but its contents are not understood/,
      );
    }
  });
});
