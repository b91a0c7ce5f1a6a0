import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { FakeLeds } from '../../device/hardware/fake-leds.js';
import { hardwareSelftest } from '../../device/hardware/hardware-selftest.js';
import { keyboardReports } from '../../device/hardware/keyboard-layouts.js';
import { selftestTable } from '../../provisioning/commands/selftest.js';
import { HidStandIn } from './hid-stand-in.js';
import { VIPPS_QR } from './scanner-contract.js';

const scannerSettings = {
  driver: 'hid',
  keyboardLayout: 'no',
  terminator: 'enter-or-tab',
  interCharTimeoutMs: 50,
  continuationTimeoutMs: 50,
} as const;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-selftest-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function keyboardScanner(plugged: boolean) {
  return new HidStandIn(
    {
      vendorId: 0x0c2e,
      productId: 0x0b6a,
      path: '/dev/hidraw3',
      product: 'Voyager',
      interface: 0,
      usagePage: 1,
      usage: 6,
    },
    plugged,
  );
}

describe('vipps-kiosk selftest, hardware part', () => {
  it('lists the scanner, takes a test scan (masked), walks each LED, and passes', async () => {
    const usb = keyboardScanner(true);
    const rule = join(dir, 'rule');
    writeFileSync(rule, '');
    const said: string[] = [];
    const checks = await hardwareSelftest({
      scanner: scannerSettings,
      backend: usb,
      hotplug: usb.hotplug,
      leds: new FakeLeds(['green', 'red']),
      scanTimeoutMs: 2000,
      ledMs: 5,
      say: (line) => {
        said.push(line);
        if (line.startsWith('Scan any')) setTimeout(() => usb.send(keyboardReports('no', VIPPS_QR)), 10);
      },
      logger: silentLogger,
      udevRule: rule,
    });
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['scanner: udev rule', 'pass'],
      ['scanner: found', 'pass'],
      ['scanner: test scan', 'pass'],
      ['LED green', 'pass'],
      ['LED red', 'pass'],
    ]);
    expect(checks[1]!.detail).toBe('0c2e:0b6a Voyager (keyboard) at /dev/hidraw3');
    expect(checks[2]!.detail).toContain('(keyboard)');
    expect(checks[2]!.detail).not.toContain('4791234567');
    expect(said).toEqual([
      'Scan any bar code or QR code now (waiting 2 s)…',
      'Watch the green LED: lit for 0.005 s…',
      'Watch the red LED: lit for 0.005 s…',
    ]);
    expect(usb.openHandles()).toBe(0);

    const table = selftestTable(checks);
    expect(table.split('\n')[0]).toMatch(/^check\s+status\s+detail$/);
    expect(table).toContain('5 pass, 0 warn, 0 fail');
  });

  it('fails when no scanner is there or no scan comes, and warns about the missing udev rule', async () => {
    const quietly = (usb: HidStandIn) =>
      hardwareSelftest({
        scanner: scannerSettings,
        backend: usb,
        hotplug: null,
        leds: null,
        scanTimeoutMs: 100,
        ledMs: 5,
        say: () => {},
        logger: silentLogger,
        udevRule: join(dir, 'missing'),
      });
    const absent = await quietly(keyboardScanner(false));
    expect(absent.map((c) => [c.name, c.status])).toEqual([
      ['scanner: udev rule', 'warn'],
      ['scanner: found', 'fail'],
      ['LEDs', 'warn'],
    ]);
    expect(absent[1]!.detail).toMatch(/no scanner among 0 HID interface\(s\); plug it in/);

    const silent = await quietly(keyboardScanner(true));
    expect(silent.find((c) => c.name === 'scanner: test scan')).toEqual({
      name: 'scanner: test scan',
      status: 'fail',
      detail: 'no scan within 0.1 s',
    });
    expect(selftestTable(silent)).toContain('1 pass, 2 warn, 1 fail');
  });

  it('says plainly when the HID library cannot load', async () => {
    const checks = await hardwareSelftest({
      scanner: scannerSettings,
      backend: { error: 'node-hid cannot list HID devices: libusb-1.0.so.0: cannot open shared object file' },
      hotplug: null,
      leds: null,
      scanTimeoutMs: null,
      ledMs: 5,
      say: () => {},
      logger: silentLogger,
    });
    expect(checks[0]).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('install the libusb-1.0-0 package'),
    });
  });
});
