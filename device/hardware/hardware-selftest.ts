import { existsSync } from 'node:fs';
import type { Logger } from '../../common/log/logger.js';
import { maskPersonalData } from '../../common/log/mask.js';
import type { Settings } from '../config/schema.js';
import type { HidBackend, HidDeviceInfo } from './hid-backend.js';
import { HidScanner } from './hid-scanner.js';
import { hidScannerOptions } from './kiosk-hardware.js';
import { chooseScanner, isHidPos, isKeyboard, KNOWN_SCANNER_VENDORS } from './known-scanners.js';
import type { LedPort } from './led-port.js';
import type { DecodedEvent } from './scan-buffer.js';
import type { SelftestCheck } from './selftest-check.js';
import type { UsbHotplug } from './usb-hotplug.js';

export const UDEV_RULE = '/etc/udev/rules.d/70-vipps-kiosk.rules';

export interface HardwareSelftestOptions {
  scanner: Settings['hardware']['scanner'];
  /** Null when node-hid could not be loaded (its error is the check's detail). */
  backend: HidBackend | { error: string };
  hotplug: UsbHotplug | null;
  leds: LedPort | null;
  /** How long to wait for the tech's test scan; null skips it. */
  scanTimeoutMs: number | null;
  /** How long each LED is lit while the tech watches. */
  ledMs: number;
  /** Tells the tech what to do now ("scan a code", "watch the green LED"). */
  say: (line: string) => void;
  logger: Logger;
  udevRule?: string;
}

const hex = (id: number) => id.toString(16).padStart(4, '0');
const describe = (d: HidDeviceInfo) =>
  `${hex(d.vendorId)}:${hex(d.productId)} ${d.product ?? '?'} (${isHidPos(d) ? 'HID-POS' : isKeyboard(d) ? 'keyboard' : `usage page 0x${(d.usagePage ?? 0).toString(16)}`})`;

/**
 * The input and light half of `vipps-kiosk selftest`: scanners seen, a test scan, each LED in turn. The
 * printer's checks are device/printer/usb-printer-selftest.ts (the printer builds on this folder).
 */
export async function hardwareSelftest(options: HardwareSelftestOptions): Promise<SelftestCheck[]> {
  return [...(await scannerChecks(options)), ...(await ledChecks(options))];
}

async function scannerChecks(options: HardwareSelftestOptions): Promise<SelftestCheck[]> {
  const { scanner: settings, backend } = options;
  if (settings.driver === 'none') {
    return [
      {
        name: 'scanner',
        status: 'warn',
        detail: 'hardware.scanner.driver is "none": customers must type their phone number',
      },
    ];
  }
  if ('error' in backend) {
    return [
      {
        name: 'scanner: HID library',
        status: 'fail',
        detail: `${backend.error} (install the libusb-1.0-0 package)`,
      },
    ];
  }
  const checks: SelftestCheck[] = [];
  const udevRule = options.udevRule ?? UDEV_RULE;
  checks.push(
    existsSync(udevRule)
      ? { name: 'scanner: udev rule', status: 'pass', detail: udevRule }
      : {
          name: 'scanner: udev rule',
          status: 'warn',
          detail: `${udevRule} is missing (provisioning/install.sh installs it): the kiosk user may not read the scanner, and a keyboard-mode scanner types into the browser`,
        },
  );
  const devices = await backend.devices();
  const hexId = (id: string | undefined) => (id === undefined ? undefined : Number.parseInt(id, 16));
  const choice = chooseScanner(devices, {
    vendorId: hexId(settings.vendorId),
    productId: hexId(settings.productId),
  });
  const scannerLike = devices.filter(
    (d) => isHidPos(d) || KNOWN_SCANNER_VENDORS.some((v) => v.vendorId === d.vendorId),
  );
  checks.push(
    choice
      ? {
          name: 'scanner: found',
          status: 'pass',
          detail: `${describe(choice.device)} at ${choice.device.path}${
            scannerLike.length > 1
              ? `; also seen: ${scannerLike
                  .filter((d) => d !== choice.device)
                  .map(describe)
                  .join(', ')}`
              : ''
          }`,
        }
      : {
          name: 'scanner: found',
          status: 'fail',
          detail: `no scanner among ${devices.length} HID interface(s)${devices.length ? `: ${devices.map(describe).join(', ')}` : ''}; plug it in, or set hardware.scanner.vendorId`,
        },
  );
  if (!choice) return checks;
  if (options.scanTimeoutMs === null) {
    checks.push({ name: 'scanner: test scan', status: 'warn', detail: 'skipped (--no-scan)' });
    return checks;
  }
  checks.push(await testScan(options, backend));
  return checks;
}

async function testScan(options: HardwareSelftestOptions, backend: HidBackend): Promise<SelftestCheck> {
  const scanner = new HidScanner(
    backend,
    options.hotplug,
    hidScannerOptions(options.scanner, { pollMs: 500, logger: options.logger }),
  );
  const seconds = options.scanTimeoutMs! / 1000;
  let timer: NodeJS.Timeout | undefined;
  const outcome = new Promise<DecodedEvent | null>((resolve) => {
    scanner.subscribe((event) => {
      if (event.type === 'scan' || event.type === 'dropped') resolve(event);
    });
    timer = setTimeout(() => resolve(null), options.scanTimeoutMs!);
  });
  await scanner.start();
  options.say(`Scan any bar code or QR code now (waiting ${seconds} s)…`);
  const event = await outcome;
  clearTimeout(timer);
  const mode = scanner.attached()?.mode ?? 'unknown';
  await scanner.stop();
  if (event === null)
    return { name: 'scanner: test scan', status: 'fail', detail: `no scan within ${seconds} s` };
  if (event.type === 'dropped') {
    return {
      name: 'scanner: test scan',
      status: 'fail',
      detail: `the read was dropped (${event.reason}, ${event.bytes} bytes)`,
    };
  }
  const symbology = event.symbology ? `, symbology ${event.symbology}` : '';
  // A personal QR holds a phone number: the tech sees it masked.
  return {
    name: 'scanner: test scan',
    status: 'pass',
    detail: `read "${maskPersonalData(event.text)}" (${mode}${symbology})`,
  };
}

async function ledChecks(options: HardwareSelftestOptions): Promise<SelftestCheck[]> {
  const { leds } = options;
  if (!leds)
    return [{ name: 'LEDs', status: 'warn', detail: 'hardware.leds.driver is "none": no status LED' }];
  try {
    await leds.start();
  } catch (error) {
    return [{ name: 'LEDs', status: 'fail', detail: (error as Error).message }];
  }
  const checks: SelftestCheck[] = [];
  for (const line of leds.lines()) {
    options.say(`Watch the ${line} LED: lit for ${options.ledMs / 1000} s…`);
    leds.show(line, 'on');
    await new Promise((resolve) => setTimeout(resolve, options.ledMs));
    const shown = leds.state()[line];
    leds.show(line, 'off');
    checks.push({
      name: `LED ${line}`,
      status: shown === 'on' ? 'pass' : 'fail',
      detail:
        shown === 'on'
          ? 'switched on and off (did you see it light?)'
          : `the driver reports "${shown}" after switching it on`,
    });
  }
  await leds.stop();
  return checks;
}
