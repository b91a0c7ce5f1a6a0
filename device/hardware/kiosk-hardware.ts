import type { Logger } from '../../common/log/logger.js';
import type { DeviceStatus } from '../../contracts/screen-model.js';
import type { Settings } from '../config/schema.js';
import { FakeLeds } from './fake-leds.js';
import { FakeScanner } from './fake-scanner.js';
import { HardwareError } from './hardware-error.js';
import { nodeHidBackend } from './hid-backend.js';
import { HidScanner, type HidScannerOptions } from './hid-scanner.js';
import { KEY_SETTING } from './key-lines.js';
import { type KeyPort, TACTILE_KEYS } from './key-port.js';
import { LED_LINES, type LedLine, type LedPort } from './led-port.js';
import { OnoffKeys } from './onoff-keys.js';
import { OnoffLeds } from './onoff-leds.js';
import type { ScannerPort } from './scanner-port.js';
import { SysfsLeds } from './sysfs-leds.js';
import { libusbHotplug } from './usb-hotplug.js';

type HardwareSettings = Settings['hardware'];

/** The scanner a configuration asks for: the demo's simulated one, a USB HID scanner, or none. */
export async function scannerFor(
  settings: HardwareSettings['scanner'],
  options: { demo: boolean; logger: Logger },
): Promise<ScannerPort | null> {
  if (options.demo) return new FakeScanner();
  if (settings.driver === 'none') return null;
  return new HidScanner(
    await nodeHidBackend(),
    await libusbHotplug(),
    hidScannerOptions(settings, { pollMs: 5_000, logger: options.logger }),
  );
}

/** The HID scanner adapter's options from the configuration. */
export function hidScannerOptions(
  settings: HardwareSettings['scanner'],
  options: { pollMs: number; logger: Logger },
): HidScannerOptions {
  const hex = (id: string | undefined) => (id === undefined ? undefined : Number.parseInt(id, 16));
  return {
    vendorId: hex(settings.vendorId),
    productId: hex(settings.productId),
    keyboard: {
      layout: settings.keyboardLayout,
      terminator: settings.terminator,
      interCharTimeoutMs: settings.interCharTimeoutMs,
    },
    continuationTimeoutMs: settings.continuationTimeoutMs,
    pollMs: options.pollMs,
    settleMs: 300,
    logger: options.logger,
  };
}

/** The LEDs a configuration asks for: the demo's drawn ones, GPIO lines, kernel LEDs, or none. */
export function ledsFor(settings: HardwareSettings['leds'], options: { demo: boolean }): LedPort | null {
  if (options.demo) return new FakeLeds();
  if (settings.driver === 'none') return null;
  const wired = Object.fromEntries(
    LED_LINES.flatMap((line) => (settings[line] === undefined ? [] : [[line, settings[line]]])),
  ) as Partial<Record<LedLine, string>>;
  if (Object.keys(wired).length === 0) {
    throw new HardwareError(
      `hardware.leds.driver is "${settings.driver}" but no LED is given: set hardware.leds.green (and amber, red, blue as wired)`,
    );
  }
  if (settings.driver === 'sysfs') return new SysfsLeds(wired);
  const pins = Object.fromEntries(
    Object.entries(wired).map(([line, pin]) => [line, /^\d+$/.test(pin) ? Number(pin) : pin]),
  );
  return new OnoffLeds({ pins, chip: settings.chip, activeLow: settings.activeLow });
}

/**
 * The tactile keys a configuration asks for: GPIO inputs, or none. The demo's fake ones are made by
 * `demo --speech` only (without speech nothing listens to them) and handed to startKiosk, as tests do.
 */
export function keysFor(settings: HardwareSettings['keys'], logger: Logger): KeyPort | null {
  if (settings.driver === 'none') return null;
  const wired = TACTILE_KEYS.flatMap((key) => {
    const pin = settings.lines[KEY_SETTING[key]];
    return pin === undefined ? [] : [[key, /^\d+$/.test(pin) ? Number(pin) : pin] as const];
  });
  if (wired.length === 0) {
    throw new HardwareError(
      'hardware.keys.driver is "gpio" but hardware.keys.lines wires no key: give at least the speech key',
    );
  }
  return new OnoffKeys({
    pins: Object.fromEntries(wired),
    chip: settings.chip,
    debounceMs: settings.debounceMs,
    longPressMs: settings.longPressMs,
    logger,
  });
}

/** The device region of the screen model: without a scanner the kiosk still sells, by phone number. */
export function deviceStatus(scanner: ScannerPort | null): DeviceStatus {
  const attached = scanner?.attached() ?? null;
  if (!attached) return { region: 'degraded', scanner: 'missing' };
  return { region: 'ready', scanner: attached.mode === 'simulated' ? 'simulated' : 'attached' };
}
