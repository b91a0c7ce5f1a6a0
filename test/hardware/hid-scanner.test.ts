import { describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '../../common/log/logger.js';
import { FakeScanner } from '../../device/hardware/fake-scanner.js';
import { HidScanner } from '../../device/hardware/hid-scanner.js';
import { scannerLoopCheck } from '../../device/system/health-checks.js';
import { HidStandIn } from './hid-stand-in.js';
import { scannerOptions } from './scanner-rigs.js';

function recordingLogger(lines: string[]): Logger {
  const log = (message: string, fields?: LogFields) =>
    lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger = { debug: log, info: log, warn: log, error: log, child: () => logger };
  return logger;
}

describe('HID scanner adapter', () => {
  it('a scanner it may not open yet is reported once with the fix, and opened by itself once allowed', async () => {
    const usb = new HidStandIn(
      { vendorId: 0x0c2e, productId: 0x0b6a, path: '/dev/hidraw0', interface: 0, usagePage: 1, usage: 6 },
      true,
    );
    usb.refusedOpens = 3;
    const lines: string[] = [];
    const scanner = new HidScanner(usb, usb.hotplug, {
      ...scannerOptions('us'),
      logger: recordingLogger(lines),
    });
    await scanner.start();
    expect(scanner.attached()).toBeNull();
    await expect.poll(() => scanner.attached(), { timeout: 2000 }).not.toBeNull();
    await scanner.stop();
    const refusals = lines.filter((line) => line.includes('Permission denied'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toContain('/etc/udev/rules.d/70-vipps-kiosk.rules');
  });
});

describe('HID scanner read loop, as the systemd watchdog sees it', () => {
  it('is alive while it looks for a scanner, and not once a look hangs in the driver', async () => {
    const usb = new HidStandIn(
      { vendorId: 0x0c2e, productId: 0x0b6a, path: '/dev/hidraw0', interface: 0, usagePage: 1, usage: 6 },
      false,
    );
    let clock = 0;
    const scanner = new HidScanner(usb, usb.hotplug, {
      ...scannerOptions('us'),
      logger: recordingLogger([]),
      now: () => clock,
    });
    await scanner.start();
    expect(scanner.attached()).toBeNull();
    expect(scanner.alive()).toBe(true);

    // A scanner is plugged in; the look that follows lists the devices, and the driver never answers.
    let looked = false;
    usb.devices = () => {
      looked = true;
      return new Promise(() => {});
    };
    usb.plug();
    await expect.poll(() => looked).toBe(true);
    clock += 19_000;
    expect(scanner.alive()).toBe(true);
    clock += 2_000;
    expect(scanner.alive()).toBe(false);
    // stop() waits for the hung look, as the daemon's shutdown would; the watchdog restart ends it there.
    void scanner.stop();
    expect(scanner.alive()).toBe(false);
  });
});

describe('the watchdog check on the scanner loop', () => {
  it('passes while the loop runs, with or without a scanner, and names the fault once it stops', async () => {
    const scanner = new FakeScanner({ plugged: false });
    const check = scannerLoopCheck(scanner);
    await scanner.start();
    expect(check()).toEqual({ healthy: true });
    await scanner.stop();
    expect(check()).toEqual({
      healthy: false,
      reason: 'the scanner read loop has stopped or hangs in the USB driver',
    });
  });
});
