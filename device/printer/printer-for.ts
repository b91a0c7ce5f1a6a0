import type { Logger } from '../../common/log/logger.js';
import type { DeviceStatus } from '../../contracts/screen-model.js';
import type { Settings } from '../config/schema.js';
import { libusbHotplug } from '../hardware/usb-hotplug.js';
import { FakePrinter } from './fake-printer.js';
import type { PrinterPort } from './printer-port.js';
import { UsbPrinter } from './usb-printer.js';
import { libusbPrinterBus } from './usb-printer-libusb.js';

type PrinterSettings = Settings['hardware']['printer'];

/**
 * The receipt printer a configuration asks for: the demo's simulated one (its paper is the demo panel's
 * strip), a USB ESC/POS printer, or none (`hardware.printer.driver` "none": for the demo and for kiosks
 * that are not a Norwegian cash register; one that is goes out of order without a printer). A machine
 * where USB cannot be read at all has no printer either, and says why in the log.
 */
export async function printerFor(
  settings: PrinterSettings,
  options: { demo: boolean; logger: Logger },
): Promise<PrinterPort | null> {
  if (options.demo) return new FakePrinter({ model: `Demo printer (simulated, ${settings.paperWidth} mm)` });
  if (settings.driver === 'none') return null;
  const bus = await libusbPrinterBus();
  if (bus instanceof Error) {
    options.logger.error(`no receipt printer: ${bus.message}`);
    return null;
  }
  const hex = (id: string | undefined) => (id === undefined ? undefined : Number.parseInt(id, 16));
  return new UsbPrinter(bus, await libusbHotplug(), {
    vendorId: hex(settings.vendorId),
    productId: hex(settings.productId),
    jobTimeoutMs: settings.jobTimeoutMs,
    // Paper running out reaches the screen and HQ within this.
    pollMs: 2_000,
    settleMs: 300,
    answerTimeoutMs: 1_000,
    logger: options.logger,
  });
}

/** The device region with the printer: a printer that cannot print makes the kiosk degraded (amber LED). */
export function withPrinter(device: DeviceStatus, printer: PrinterPort | null): DeviceStatus {
  if (!printer || printer.status().condition === 'ready') return device;
  return { ...device, region: 'degraded' };
}
