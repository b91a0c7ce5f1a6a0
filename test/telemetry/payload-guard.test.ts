import { describe, expect, it } from 'vitest';
import { newEventId } from '../../device/telemetry/event-id.js';
import { assertNoPersonalData, PersonalDataInTelemetryError } from '../../device/telemetry/payload-guard.js';

const TOPIC = 'vk/v1/oslo/kiosk-1/events/x';

function refusal(payload: unknown): PersonalDataInTelemetryError {
  try {
    assertNoPersonalData(TOPIC, payload);
  } catch (error) {
    if (error instanceof PersonalDataInTelemetryError) return error;
    throw error;
  }
  throw new Error('the payload was not refused');
}

describe('telemetry payload guard', () => {
  it.each([
    [{ customer: '4791234567' }, 'phone-number', '$.customer'],
    [{ note: 'paid by 004791234567 today' }, 'phone-number', '$.note'],
    [{ lines: [{ text: 'call +47 912 34 567' }] }, 'phone-number', '$.lines[0].text'],
    [{ scan: 'https://qr.vipps.no/p/AbC123xyz' }, 'personal-qr', '$.scan'],
    [{ msisdn: 'x' }, 'personal-key', '$.msisdn'],
    [{ customer: { phoneNumber: 'hidden' } }, 'personal-key', '$.customer.phoneNumber'],
    [{ first_name: 'Kari' }, 'personal-key', '$.first_name'],
    [{ accessToken: 'abc' }, 'personal-key', '$.accessToken'],
    [{ clientSecret: 'abc' }, 'personal-key', '$.clientSecret'],
    [{ '4791234567': true }, 'phone-number', '$.<a key>'],
    // Issue 15, finding 8: numbers as people write them, numbers as numbers, e-mail, names, URL logins.
    [{ note: 'ring 912 34 567' }, 'phone-number', '$.note'],
    [{ note: 'tlf. +45 12 34 56 78' }, 'phone-number', '$.note'],
    [{ note: 'ring 0046 70-123 45 67' }, 'phone-number', '$.note'],
    [{ customer: 4791234567 }, 'phone-number', '$.customer'],
    [{ seen: [91234567] }, 'phone-number', '$.seen[0]'],
    [{ note: 'from Kari.Nordmann@example.no' }, 'e-mail', '$.note'],
    [{ detail: 'logged in to mqtts://storo-1:s3cret@hq.example.com:8883' }, 'url-password', '$.detail'],
    [{ email: 'x' }, 'personal-key', '$.email'],
    [{ name: 'x' }, 'personal-key', '$.name'],
    [{ lastName: 'x' }, 'personal-key', '$.lastName'],
  ])('refuses %j (%s at %s)', (payload, rule, path) => {
    const error = refusal(payload);
    expect(error.rule).toBe(rule);
    expect(error.path).toBe(path);
    // The error can be logged: it names the field and the rule, never the personal datum.
    expect(error.message).not.toMatch(/\d{8}|912 34|Kari|AbC123|s3cret/);
    expect(error.message).toContain(TOPIC);
  });

  it.each([
    { amount: 12_345_678_901, memberSavings: 10_000_000, uptimeSeconds: 100_000_000, p95Ms: 12_345_678 },
    { since: '2026-11-23T14:05:01.000Z', on: '2026-11-23' },
    { detail: 'logged in to mqtts://storo-1@hq.example.com:8883 as "storo-1"' },
    { detail: '12.3 GiB free for /var/lib/vipps-kiosk; 3 s ahead of https://api.vipps.no' },
    { at: '2026-11-23T14:05:01.000Z', reference: 'vk-oslo-kiosk-1-000042-1' },
    { screen: 'basket', scanner: { attached: true }, vippsReachable: true },
    { lines: 3, scansRead: 12 },
    { id: newEventId(), bootId: newEventId() },
  ])('lets through %j', (payload) => {
    expect(() => assertNoPersonalData(TOPIC, payload)).not.toThrow();
  });

  it('refuses a raw barcode too: an EAN-13 cannot be told from a phone number, so events carry counts', () => {
    expect(refusal({ gtin: '7038010000737' }).rule).toBe('phone-number');
  });

  it('never mints an event id that looks like a phone number', () => {
    for (let i = 0; i < 20_000; i++) expect(newEventId()).not.toMatch(/\d{8}/);
  });
});

describe('the kiosk’s own identifiers', () => {
  it('lets a receipt number and a payment reference through, by their exact shape only', () => {
    expect(() =>
      assertNoPersonalData('t', { receiptNumber: '0000000042', reference: 'storo-kiosk-1-0000000042-2' }),
    ).not.toThrow();
    expect(() => assertNoPersonalData('t', { receiptNumber: '4791234567 ' })).toThrow(
      PersonalDataInTelemetryError,
    );
    expect(() => assertNoPersonalData('t', { reference: '4791234567' })).toThrow(
      PersonalDataInTelemetryError,
    );
    expect(() => assertNoPersonalData('t', { note: '0000000042' })).toThrow(PersonalDataInTelemetryError);
  });
});
