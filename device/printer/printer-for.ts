import type { DeviceStatus } from '../../contracts/screen-model.js';
import type { Settings } from '../config/schema.js';
import { FakePrinter } from './fake-printer.js';
import type { PrinterPort } from './printer-port.js';

type PrinterSettings = Settings['hardware']['printer'];

/**
 * The receipt printer a configuration asks for: the demo's simulated one (its paper is the demo panel's
 * strip), a USB ESC/POS printer, or none (`hardware.printer.driver` "none": for the demo and for kiosks
 * that are not a Norwegian cash register; one that is goes out of order without a printer).
 */
export function printerFor(settings: PrinterSettings, options: { demo: boolean }): PrinterPort | null {
  if (options.demo) return new FakePrinter({ model: `Demo printer (simulated, ${settings.paperWidth} mm)` });
  if (settings.driver === 'none') return null;
  return null;
}

/** The device region with the printer: a printer that cannot print makes the kiosk degraded (amber LED). */
export function withPrinter(device: DeviceStatus, printer: PrinterPort | null): DeviceStatus {
  if (!printer || printer.status().condition === 'ready') return device;
  return { ...device, region: 'degraded' };
}
