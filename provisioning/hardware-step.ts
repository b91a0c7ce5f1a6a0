import { silentLogger } from '../common/log/logger.js';
import { settingsSchema } from '../device/config/schema.js';
import { hardwareSelftest } from '../device/hardware/hardware-selftest.js';
import { type HidBackend, type HidDeviceInfo, probeHidBackend } from '../device/hardware/hid-backend.js';
import { ledsFor } from '../device/hardware/kiosk-hardware.js';
import { chooseScanner, isHidPos, KNOWN_SCANNER_VENDORS } from '../device/hardware/known-scanners.js';
import type { LedPort } from '../device/hardware/led-port.js';
import { libusbHotplug, type UsbHotplug } from '../device/hardware/usb-hotplug.js';
import {
  choosePrinter,
  describePrinter,
  type UsbPrinterCandidate,
} from '../device/printer/known-printers.js';
import { libusbPrinterBus, type UsbPrinterBus } from '../device/printer/usb-printer-libusb.js';
import { printerSelftest } from '../device/printer/usb-printer-selftest.js';
import { worstOf } from '../device/system/system-checks.js';
import { type Draft, valueAt } from './draft.js';
import type { Step } from './steps.js';

type HardwareSettings = ReturnType<typeof settingsSchema.shape.hardware.parse>;

/** How provisioning reaches the kiosk's USB and LEDs; the daemon's own adapters in production. */
export interface HardwareAccess {
  /** node-hid, or why it cannot be used (no libusb). */
  backend(): Promise<HidBackend | { error: string }>;
  hotplug(): Promise<UsbHotplug | null>;
  leds(settings: HardwareSettings['leds']): LedPort | null;
  /** The receipt printers on USB (libusb), or why they cannot be listed; left out, none are looked for. */
  printers?(): Promise<UsbPrinterBus | Error>;
}

/** The kiosk's own USB and GPIO, through the daemon's adapters. */
export const KIOSK_HARDWARE: HardwareAccess = {
  backend: probeHidBackend,
  hotplug: () => libusbHotplug(),
  leds: (settings) => ledsFor(settings, { demo: false }),
  printers: libusbPrinterBus,
};

/** How long each LED stays lit while the tech watches. */
const LED_WALK_MS = 800;

const hex = (id: number) => id.toString(16).padStart(4, '0');

/**
 * The scanner and the status LEDs: the scanners attached are listed and the first is offered; the
 * check sees the chosen one on the USB bus and lights each LED in turn while the tech watches.
 */
export function hardwareStep(access: HardwareAccess): Step {
  let offered: HidDeviceInfo | undefined;
  const hardwareOf = (draft: Draft): HardwareSettings =>
    settingsSchema.shape.hardware.parse(valueAt(draft, 'hardware') ?? {});
  const scannerOn = (draft: Draft) => valueAt(draft, 'hardware.scanner.driver') !== 'none';
  const ledsOn = (draft: Draft) => (valueAt(draft, 'hardware.leds.driver') ?? 'none') !== 'none';
  const printerOn = (draft: Draft) => valueAt(draft, 'hardware.printer.driver') === 'usb';
  let offeredPrinter: UsbPrinterCandidate | undefined;
  const led = (colour: string) => ({
    path: `hardware.leds.${colour}`,
    label: `${colour[0]!.toUpperCase()}${colour.slice(1)} LED (GPIO number or line name; empty: none)`,
    flag: `led-${colour}`,
    optional: true,
    when: ledsOn,
  });
  return {
    id: 'hardware',
    title: 'Scanner and status LEDs',
    async prepare(_draft, say) {
      const backend = await access.backend();
      if ('error' in backend) {
        say(`  ! cannot list USB scanners: ${backend.error}`);
        return;
      }
      const devices = await backend.devices();
      const scanners = devices.filter(
        (d) => isHidPos(d) || KNOWN_SCANNER_VENDORS.some((v) => v.vendorId === d.vendorId),
      );
      offered = chooseScanner(devices, {})?.device;
      say(
        scanners.length === 0
          ? '  No scanner attached now; the kiosk takes one when it is plugged in.'
          : `  Scanners attached:\n${scanners
              .map(
                (d) =>
                  `    ${hex(d.vendorId)}:${hex(d.productId)} ${d.product ?? '?'}${isHidPos(d) ? ' (HID-POS)' : ''}`,
              )
              .join('\n')}`,
      );
      offeredPrinter = await sayPrinters(access, say);
    },
    fields: [
      {
        path: 'hardware.scanner.driver',
        label: 'Scanner (hid: a USB scanner; none: customers type their number)',
        flag: 'scanner',
        suggest: () => 'hid',
      },
      {
        path: 'hardware.scanner.vendorId',
        label: 'Scanner vendor id (4 hex digits; empty: the first scanner found)',
        flag: 'scanner-vendor',
        optional: true,
        when: scannerOn,
        suggest: () => (offered ? hex(offered.vendorId) : undefined),
      },
      {
        path: 'hardware.scanner.productId',
        label: 'Scanner product id (4 hex digits; empty: any of that vendor)',
        flag: 'scanner-product',
        optional: true,
        when: (draft) => scannerOn(draft) && valueAt(draft, 'hardware.scanner.vendorId') !== undefined,
        suggest: (draft) =>
          offered && valueAt(draft, 'hardware.scanner.vendorId') === hex(offered.vendorId)
            ? hex(offered.productId)
            : undefined,
      },
      {
        path: 'hardware.scanner.keyboardLayout',
        label: 'Keyboard layout a keyboard-mode scanner is set to (us or no)',
        flag: 'scanner-layout',
        when: scannerOn,
        suggest: () => 'us',
      },
      {
        path: 'hardware.printer.driver',
        label: 'Receipt printer (usb: an ESC/POS printer, which a Norwegian cash register must have; none)',
        flag: 'printer',
        // The law wants a printer at every till: a cash register is offered one even if none is plugged in yet.
        suggest: (draft) =>
          offeredPrinter || valueAt(draft, 'cashRegister.organisationNumber') !== undefined ? 'usb' : 'none',
      },
      {
        path: 'hardware.printer.vendorId',
        label: 'Printer vendor id (4 hex digits; empty: the first receipt printer found)',
        flag: 'printer-vendor',
        optional: true,
        when: printerOn,
        suggest: () => (offeredPrinter ? hex(offeredPrinter.vendorId) : undefined),
      },
      {
        path: 'hardware.leds.driver',
        label: 'Status LEDs (none, gpio or sysfs)',
        flag: 'leds',
        suggest: () => 'none',
      },
      led('green'),
      led('amber'),
      led('red'),
      led('blue'),
    ],
    async verify(draft, say) {
      const hardware = hardwareOf(draft);
      const checks = [
        ...(await hardwareSelftest({
          scanner: hardware.scanner,
          backend: await access.backend(),
          hotplug: await access.hotplug(),
          leds: access.leds(hardware.leds),
          // The test scan belongs to `vipps-kiosk selftest`; here the scanner only has to be there.
          scanTimeoutMs: null,
          ledMs: LED_WALK_MS,
          say,
          logger: silentLogger,
        })),
        // The test page belongs to `vipps-kiosk selftest`; here the printer is found and its status read.
        ...(access.printers
          ? await printerSelftest({
              bus: await access.printers(),
              printTestPage: false,
              say,
              logger: silentLogger,
            })
          : []),
      ];
      const shown = checks
        .filter((check) => check.detail !== 'skipped (--no-scan)' && check.detail !== 'skipped (--no-print)')
        // The daemon takes a scanner plugged in later: none now is worth saying, not a reason to stop.
        .map((check) =>
          (check.name === 'scanner: found' || check.name === 'printer: found') && check.status === 'fail'
            ? {
                ...check,
                status: 'warn' as const,
                detail: `${check.detail}; the kiosk takes it when plugged in`,
              }
            : check,
        );
      return {
        name: 'scanner and LEDs',
        status: worstOf(shown),
        detail: shown.map((check) => `${check.name}: ${check.detail}`).join('; '),
      };
    },
  };
}

/** The receipt printers attached and the one the kiosk takes (the first printer-class one), said and returned. */
async function sayPrinters(
  access: HardwareAccess,
  say: (line: string) => void,
): Promise<UsbPrinterCandidate | undefined> {
  if (!access.printers) return undefined;
  const bus = await access.printers();
  if (bus instanceof Error) {
    say(`  ! cannot list USB printers: ${bus.message}`);
    return undefined;
  }
  const printers = await bus.candidates();
  const taken = choosePrinter(printers, {});
  say(
    taken
      ? `  Receipt printers attached:\n${printers
          .map((p) => `    ${describePrinter(p)}${p === taken ? ' (the kiosk takes this one)' : ''}`)
          .join('\n')}`
      : '  No receipt printer attached now; the kiosk takes one when it is plugged in (and sells without one only if the store allows it).',
  );
  return taken ?? undefined;
}
