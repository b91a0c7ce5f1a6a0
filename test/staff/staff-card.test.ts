import { describe, expect, it } from 'vitest';
import { classifyScan } from '../../device/checkout/domain/scan.js';
import { looksLikeStaffCard, readStaffCard, staffCardCode } from '../../device/staff/staff-card.js';

const KEY = 'kiosk-a-staff-card-key';

describe('the staff card', () => {
  it('names its employee and is read back with the key that made it', () => {
    const code = staffCardCode('E7', KEY);
    expect(code).toMatch(/^VKSTAFF1\.E7\.[0-9A-F]{20}$/);
    expect(readStaffCard(code, KEY)).toEqual({ ok: true, employeeId: 'E7' });
    // A scanner that adds a line end, or types the check in lower case, reads the same card.
    expect(readStaffCard(`${code.toLowerCase().replace('vkstaff1.e7', 'VKSTAFF1.E7')}\r\n`, KEY)).toEqual({
      ok: true,
      employeeId: 'E7',
    });
  });

  it('cannot be edited into another employee: a copied check does not fit another id', () => {
    const check = staffCardCode('E7', KEY).split('.')[2];
    expect(readStaffCard(`VKSTAFF1.E8.${check}`, KEY)).toEqual({ ok: false, reason: 'forged' });
  });

  it('made under another kiosk key, or with a changed check, is forged', () => {
    expect(readStaffCard(staffCardCode('E7', 'another-key'), KEY)).toEqual({ ok: false, reason: 'forged' });
    const code = staffCardCode('E7', KEY);
    const last = code.at(-1) === '0' ? '1' : '0';
    expect(readStaffCard(`${code.slice(0, -1)}${last}`, KEY)).toEqual({ ok: false, reason: 'forged' });
    expect(readStaffCard('VKSTAFF1.E7.', KEY)).toEqual({ ok: false, reason: 'forged' });
    expect(readStaffCard('VKSTAFF1.E 7.0123456789ABCDEF0123', KEY)).toEqual({ ok: false, reason: 'forged' });
  });

  it('can never be a product barcode or a Vipps QR, and nothing else looks like one', () => {
    const code = staffCardCode('12345678', KEY);
    expect(looksLikeStaffCard(code)).toBe(true);
    expect(classifyScan(code).kind).toBe('unrecognised');
    expect(looksLikeStaffCard('7038010009457')).toBe(false);
    expect(looksLikeStaffCard('https://qr.vipps.no/p/UKW7tX4psZtwVUayqIydBmIh')).toBe(false);
  });

  it('refuses an id SAF-T or a scanner could not carry', () => {
    expect(() => staffCardCode('Kari Nordmann', KEY)).toThrow(RangeError);
    expect(() => staffCardCode('x'.repeat(33), KEY)).toThrow(RangeError);
  });
});
