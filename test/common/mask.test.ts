import { describe, expect, it } from 'vitest';
import { createLogger } from '../../common/log/logger.js';
import { maskPersonalData } from '../../common/log/mask.js';

// The log mask (issue 15, finding 8): what it hides, and what must stay readable for a field tech.

describe('maskPersonalData hides', () => {
  it.each([
    ['a phone number', 'customer 4791234567', 'customer 47******67'],
    ['a formatted Norwegian number', 'call +47 912 34 567 now', 'call +47******67 now'],
    ['a national number in groups', 'call 912 34 567 now', 'call 91****67 now'],
    ['a formatted Danish number', 'tlf. +45 12 34 56 78.', 'tlf. +45******78.'],
    ['a Swedish number with 00 and dashes', 'ring 0046 70-123 45 67', 'ring 00*********67'],
    ['a number given as a JSON number', '{"msisdn":4791234567}', '{"msisdn":47******67}'],
    ['a number in a query string', '/members?msisdn=4791234567', '/members?msisdn=47******67'],
    ['an e-mail address', 'mail from kari.nordmann@example.no', 'mail from k***@example.no'],
    [
      'the password in a URL',
      'cannot reach mqtts://storo-1:s3cret-token@hq.example.com:8883',
      'cannot reach mqtts://storo-1:***@hq.example.com:8883',
    ],
    ['a personal QR token', 'scanned https://qr.vipps.no/p/AbC123xyz', 'scanned https://qr.vipps.no/p/…'],
  ])('%s', (_what, line, masked) => {
    expect(maskPersonalData(line)).toBe(masked);
  });
});

describe('maskPersonalData leaves readable', () => {
  it.each([
    ['a payment reference', 'reading vk-oslo-1-kiosk-07-0000000123-1'],
    ['a payment reference with a short receipt part', 'vk-oslo-1-kiosk-07-000123-2'],
    ['a reference as a field', 'reference=kiosk7-0000000042-1 resolution=captured'],
    ['an idempotency key', 'kiosk7-0000000042-1-capture'],
    ['an amount', 'captured amount=12345678'],
    ['an amount in JSON', '{"amount":12345678,"currency":"NOK"}'],
    ['a receipt number', 'receiptNumber=0000000042'],
    ['a receipt number past the zeros', 'receipt 1234567890 printed'],
    ['a zero-padded counter', 'counter at 0000004711'],
    ['a timestamp', '2026-12-07T13:01:56.123Z INFO'],
    ['a date', 'expires on 2026-12-07 at noon'],
    ['a URL with a username only', 'logged in to mqtts://storo-1@hq.example.com:8883'],
    ['sizes and durations', '12.3 GiB free; 1500 ms; 3 s ahead'],
  ])('%s', (_what, line) => {
    expect(maskPersonalData(line)).toBe(line);
  });
});

describe('the logger', () => {
  it('masks fields named for a person, whatever they hold, and keeps the rest', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', journal: true, write: (line) => lines.push(line) });
    logger.info('customer joined', {
      name: 'Kari Nordmann',
      firstName: 'Kari',
      last_name: 'Nordmann',
      email: 'kari@example.no',
      phone: 4791234567,
      phoneNumber: '+47 912 34 567',
      msisdn: '47******67',
      amount: 12345678,
      reference: 'kiosk-07-0000000042-1',
    });
    expect(lines).toEqual([
      '<6> [kiosk] customer joined name=*** firstName=*** last_name=*** email=k***@example.no ' +
        'phone=47******67 phoneNumber=47******67 msisdn=47******67 amount=12345678 reference=kiosk-07-0000000042-1',
    ]);
  });
});
