import type { HidDeviceInfo } from './hid-backend.js';
import type { ScannerMode } from './scanner-port.js';

/**
 * USB vendors whose keyboard-mode interfaces are taken for scanners when nothing better is found. The
 * udev rule (systemd/70-vipps-kiosk.rules) names the same makers: add a maker to both.
 */
export const KNOWN_SCANNER_VENDORS: ReadonlyArray<{ vendorId: number; name: string }> = [
  { vendorId: 0x0c2e, name: 'Honeywell (Metrologic, Hand Held Products)' },
  { vendorId: 0x05e0, name: 'Zebra (Symbol)' },
  { vendorId: 0x05f9, name: 'Datalogic' },
  { vendorId: 0x1eab, name: 'Newland' },
];

export const HID_POS_USAGE_PAGE = 0x8c;
const GENERIC_DESKTOP = 0x01;
const KEYBOARD = 0x06;

export interface ScannerChoice {
  device: HidDeviceInfo & { path: string };
  mode: Exclude<ScannerMode, 'simulated'>;
}

export function isHidPos(device: HidDeviceInfo): boolean {
  return device.usagePage === HID_POS_USAGE_PAGE;
}

export function isKeyboard(device: HidDeviceInfo): boolean {
  return device.usagePage === GENERIC_DESKTOP && device.usage === KEYBOARD;
}

/**
 * Which HID interface is the scanner: the configured vendor/product first (its HID-POS interface if it
 * has one, else its keyboard one), else the first HID-POS device of any make, else the keyboard
 * interface of a known scanner vendor. A real keyboard is never taken unless configured.
 */
export function chooseScanner(
  devices: readonly HidDeviceInfo[],
  wanted: { vendorId?: number | undefined; productId?: number | undefined },
): ScannerChoice | null {
  const usable = devices.filter((d): d is HidDeviceInfo & { path: string } => Boolean(d.path));
  const pick = (candidates: Array<HidDeviceInfo & { path: string }>): ScannerChoice | null => {
    const pos = candidates.find(isHidPos);
    if (pos) return { device: pos, mode: 'hid-pos' };
    const keyboard = candidates.find(isKeyboard);
    return keyboard ? { device: keyboard, mode: 'keyboard' } : null;
  };
  if (wanted.vendorId !== undefined) {
    return pick(
      usable.filter(
        (d) =>
          d.vendorId === wanted.vendorId &&
          (wanted.productId === undefined || d.productId === wanted.productId),
      ),
    );
  }
  const pos = usable.find(isHidPos);
  if (pos) return { device: pos, mode: 'hid-pos' };
  return pick(usable.filter((d) => KNOWN_SCANNER_VENDORS.some((v) => v.vendorId === d.vendorId)));
}
