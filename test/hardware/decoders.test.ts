import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HidPosDecoder, hidPosReports } from '../../device/hardware/hid-pos-decoder.js';
import { KeyboardDecoder } from '../../device/hardware/keyboard-decoder.js';
import { keyboardReports } from '../../device/hardware/keyboard-layouts.js';
import { KNOWN_SCANNER_VENDORS } from '../../device/hardware/known-scanners.js';
import { EAN, VIPPS_QR } from './scanner-contract.js';

const feed = (decoder: KeyboardDecoder | HidPosDecoder, reports: Buffer[], start = 0, stepMs = 1) =>
  reports.flatMap((report, i) => decoder.report(report, start + i * stepMs));

describe('keyboard-wedge decoding', () => {
  it.each(['us', 'no'] as const)('decodes a Vipps personal QR typed on the %s layout exactly', (layout) => {
    const decoder = new KeyboardDecoder({ layout, terminator: 'enter-or-tab', interCharTimeoutMs: 50 });
    expect(feed(decoder, keyboardReports(layout, VIPPS_QR))).toEqual([
      { type: 'scan', text: VIPPS_QR, symbology: null },
    ]);
  });

  it('the Norwegian keystrokes read on a US layout are not the QR: the layout matters', () => {
    const decoder = new KeyboardDecoder({ layout: 'us', terminator: 'enter-or-tab', interCharTimeoutMs: 50 });
    const [event] = feed(decoder, keyboardReports('no', VIPPS_QR));
    expect(event).toEqual({
      type: 'scan',
      text: 'https>&&qr.vipps.no&28&2&01&031&4791234567_v)1',
      symbology: null,
    });
  });

  it('Nordic letters and AltGr characters round-trip on the Norwegian layout', () => {
    const decoder = new KeyboardDecoder({ layout: 'no', terminator: 'enter-or-tab', interCharTimeoutMs: 50 });
    expect(feed(decoder, keyboardReports('no', 'Blåbær-Øl @ 5€'))).toMatchObject([
      { text: 'Blåbær-Øl @ 5€' },
    ]);
  });

  it('Tab ends a scan as Enter does; two scans in a row stay two', () => {
    const decoder = new KeyboardDecoder({ layout: 'us', terminator: 'enter-or-tab', interCharTimeoutMs: 50 });
    const tab = [Buffer.from([0, 0, 0x2b, 0, 0, 0, 0, 0]), Buffer.alloc(8)];
    const reports = [...keyboardReports('us', 'ABC', 'none'), ...tab, ...keyboardReports('us', EAN)];
    expect(feed(decoder, reports).map((e) => e.type === 'scan' && e.text)).toEqual(['ABC', EAN]);
  });

  it('without a suffix, the inter-character gap ends a scan', () => {
    const decoder = new KeyboardDecoder({ layout: 'us', terminator: 'none', interCharTimeoutMs: 30 });
    expect(feed(decoder, keyboardReports('us', EAN, 'none'))).toEqual([]);
    expect(decoder.quiet(10_000)).toEqual({ type: 'scan', text: EAN, symbology: null });
  });

  it('with a suffix expected, a scan cut off by silence is dropped, not sent', () => {
    const decoder = new KeyboardDecoder({ layout: 'us', terminator: 'enter-or-tab', interCharTimeoutMs: 30 });
    feed(decoder, keyboardReports('us', EAN.slice(0, 7), 'none'));
    expect(decoder.quiet(5)).toBeNull();
    expect(decoder.quiet(10_000)).toEqual({ type: 'dropped', reason: 'unterminated', bytes: 7 });
    expect(feed(decoder, keyboardReports('us', EAN), 20_000)).toMatchObject([{ text: EAN }]);
  });

  it('a key with Ctrl held, a key the layout lacks, or a report of the wrong size spoils the scan', () => {
    for (const bad of [
      Buffer.from([0x01, 0, 0x06, 0, 0, 0, 0, 0]),
      Buffer.from([0, 0, 0x3a, 0, 0, 0, 0, 0]),
      Buffer.from([0, 0, 0x04]),
    ]) {
      const decoder = new KeyboardDecoder({
        layout: 'us',
        terminator: 'enter-or-tab',
        interCharTimeoutMs: 50,
      });
      const reports = [
        ...keyboardReports('us', '123', 'none'),
        bad,
        Buffer.alloc(8),
        ...keyboardReports('us', '4'),
      ];
      expect(feed(decoder, reports)).toEqual([{ type: 'dropped', reason: 'garbled', bytes: 3 }]);
    }
  });

  it('rollover filler reports and held keys do not type twice', () => {
    const decoder = new KeyboardDecoder({ layout: 'us', terminator: 'enter-or-tab', interCharTimeoutMs: 50 });
    const a = Buffer.from([0, 0, 0x04, 0, 0, 0, 0, 0]);
    const phantom = Buffer.from([0, 0, 1, 1, 1, 1, 1, 1]);
    const enter = Buffer.from([0, 0, 0x28, 0, 0, 0, 0, 0]);
    expect(feed(decoder, [a, a, phantom, Buffer.alloc(8), enter])).toEqual([
      { type: 'scan', text: 'a', symbology: null },
    ]);
  });
});

describe('HID-POS decoding', () => {
  it('joins a code split over several reports, with its AIM symbology identifier', () => {
    const text = `${VIPPS_QR}&${'x'.repeat(80)}`;
    const reports = hidPosReports(text, ']Q1');
    expect(reports).toHaveLength(3);
    const decoder = new HidPosDecoder({ continuationTimeoutMs: 50 });
    expect(feed(decoder, reports)).toEqual([{ type: 'scan', text, symbology: ']Q1' }]);
  });

  it('reads one-report codes back to back, with or without an AIM identifier', () => {
    const decoder = new HidPosDecoder({ continuationTimeoutMs: 50 });
    const bare = hidPosReports(EAN, ']E0')[0]!;
    bare.fill(0, 2, 5);
    expect(feed(decoder, [...hidPosReports(EAN, ']E0'), bare])).toEqual([
      { type: 'scan', text: EAN, symbology: ']E0' },
      { type: 'scan', text: EAN, symbology: null },
    ]);
  });

  it('drops a code whose next report never comes, and one spoiled by a malformed report', () => {
    const decoder = new HidPosDecoder({ continuationTimeoutMs: 50 });
    const [first] = hidPosReports('x'.repeat(100));
    feed(decoder, [first!]);
    expect(decoder.quiet(10_000)).toEqual({ type: 'dropped', reason: 'unterminated', bytes: 56 });
    const lying = hidPosReports(EAN)[0]!;
    lying[1] = 200;
    expect(feed(decoder, [lying], 20_000)).toEqual([{ type: 'dropped', reason: 'garbled', bytes: 0 }]);
    expect(feed(decoder, [Buffer.from([0x04, 1, 2])], 30_000)).toEqual([
      { type: 'dropped', reason: 'garbled', bytes: 0 },
    ]);
  });

  it('a code longer than 1 KB is dropped whole', () => {
    const decoder = new HidPosDecoder({ continuationTimeoutMs: 50 });
    expect(feed(decoder, hidPosReports('9'.repeat(4096)))).toEqual([
      { type: 'dropped', reason: 'too-long', bytes: 1064 },
    ]);
  });
});

describe('the udev rule install.sh ships', () => {
  it('names every known scanner maker, so each is readable and hidden from the compositor', () => {
    const rules = readFileSync(new URL('../../systemd/70-vipps-kiosk.rules', import.meta.url), 'utf8');
    const makers = /ATTRS\{idVendor\}=="([0-9a-f|]+)", ENV\{VIPPS_KIOSK_SCANNER\}="1"/
      .exec(rules)?.[1]
      ?.split('|');
    expect(makers?.sort()).toEqual(
      KNOWN_SCANNER_VENDORS.map((v) => v.vendorId.toString(16).padStart(4, '0')).sort(),
    );
    expect(rules).toContain(
      'SUBSYSTEM=="input", ENV{VIPPS_KIOSK_SCANNER}=="1", ENV{LIBINPUT_IGNORE_DEVICE}="1"',
    );
    expect(rules).toContain(
      'SUBSYSTEM=="hidraw", ENV{VIPPS_KIOSK_SCANNER}=="1", GROUP="plugdev", MODE="0660"',
    );
  });
});
