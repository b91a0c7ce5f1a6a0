import { describe, expect, it } from 'vitest';
import { HidScanner } from '../../device/hardware/hid-scanner.js';
import type { LogFields, Logger } from '../../device/log/logger.js';
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
