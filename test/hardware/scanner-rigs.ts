import { createLogger } from '../../common/log/logger.js';
import { FakeScanner } from '../../device/hardware/fake-scanner.js';
import { hidPosReports } from '../../device/hardware/hid-pos-decoder.js';
import { HidScanner, type HidScannerOptions } from '../../device/hardware/hid-scanner.js';
import { type KeyboardLayoutName, keyboardReports } from '../../device/hardware/keyboard-layouts.js';
import { HID_POS_USAGE_PAGE } from '../../device/hardware/known-scanners.js';
import { HidStandIn } from './hid-stand-in.js';
import type { ScannerRigFactory } from './scanner-contract.js';

export const QUIET_MS = 40;
const silent = createLogger({ level: 'error', journal: false, write: () => {} });
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function scannerOptions(layout: KeyboardLayoutName): HidScannerOptions {
  return {
    keyboard: { layout, terminator: 'enter-or-tab', interCharTimeoutMs: QUIET_MS },
    continuationTimeoutMs: QUIET_MS,
    pollMs: 20,
    settleMs: 5,
    logger: silent,
  };
}

/** What a scanner sends for `text`: ended as it ends a code, or cut short (more to come). */
export function scannerReports(
  mode: 'hid-pos' | 'keyboard',
  layout: KeyboardLayoutName,
  text: string,
  end: boolean,
): Buffer[] {
  if (mode === 'keyboard') return keyboardReports(layout, text, end ? 'enter' : 'none');
  const reports = hidPosReports(text);
  if (!end) reports[reports.length - 1]![63] = 1;
  return reports;
}

export const fakeScannerRig: ScannerRigFactory = {
  name: 'fake scanner',
  patienceMs: 500,
  wire: false,
  async create({ plugged }) {
    const port = new FakeScanner({ plugged });
    return {
      port,
      plug: async () => port.plug(),
      unplug: async () => port.unplug(),
      read: async (text) => port.read(text),
      partial: async (text) => port.partial(text),
      quiet: async () => port.silence(),
      garbage: null,
      dispose: async () => {},
    };
  },
};

/** The real HID adapter over the USB stand-in, in HID-POS or keyboard mode. */
export function standInRig(
  mode: 'hid-pos' | 'keyboard',
  layout: KeyboardLayoutName = 'us',
): ScannerRigFactory {
  return {
    name: `HID scanner (${mode}${mode === 'keyboard' ? `, ${layout} layout` : ''}) over the USB stand-in`,
    patienceMs: 1000,
    wire: true,
    async create({ plugged }) {
      const usb = new HidStandIn(
        {
          vendorId: 0x0c2e,
          productId: 0x0b6a,
          path: '/dev/hidraw0',
          product: 'stand-in scanner',
          interface: 0,
          ...(mode === 'hid-pos' ? { usagePage: HID_POS_USAGE_PAGE, usage: 2 } : { usagePage: 1, usage: 6 }),
        },
        plugged,
      );
      const encode = (text: string, end: boolean) => scannerReports(mode, layout, text, end);
      return {
        port: new HidScanner(usb, usb.hotplug, scannerOptions(layout)),
        plug: async () => usb.plug(),
        unplug: async () => usb.unplug(),
        read: async (text) => usb.send(encode(text, true)),
        partial: async (text) => usb.send(encode(text, false)),
        quiet: () => pause(QUIET_MS * 3),
        garbage: async () =>
          usb.send([Buffer.from([0xff, 0x13]), Buffer.alloc(200, 0xee), Buffer.from('not a report at all')]),
        dispose: async () => {},
      };
    },
  };
}
