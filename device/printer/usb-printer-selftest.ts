import type { Logger } from '../../common/log/logger.js';
import type { SelftestCheck } from '../hardware/selftest-check.js';
import { choosePrinter, describePrinter } from './known-printers.js';
import type { PrinterCondition } from './printer-port.js';
import { newEncoder } from './receipt-layout.js';
import { UsbPrinter } from './usb-printer.js';
import type { UsbPrinterBus } from './usb-printer-libusb.js';

export interface PrinterSelftestOptions {
  /** libusb's bus, or why it cannot be used. */
  bus: UsbPrinterBus | Error;
  vendorId?: number | undefined;
  productId?: number | undefined;
  /** False for scripts: the printer is found and its status read, and no paper comes out. */
  printTestPage: boolean;
  say: (line: string) => void;
  logger: Logger;
}

const verdict: Record<PrinterCondition, { status: SelftestCheck['status']; detail: string }> = {
  ready: { status: 'pass', detail: 'ready' },
  'paper-near-end': { status: 'warn', detail: 'paper near its end: put in a new roll soon' },
  'paper-out': { status: 'fail', detail: 'out of paper: put in a roll' },
  'cover-open': { status: 'fail', detail: 'the cover is open: close it' },
  offline: { status: 'fail', detail: 'offline: switch it on, or clear its error (cutter, paper jam)' },
};

/** The receipt printer's part of `vipps-kiosk selftest`: printers seen, the status of the one taken, a test page. */
export async function printerSelftest(options: PrinterSelftestOptions): Promise<SelftestCheck[]> {
  const { bus } = options;
  if (bus instanceof Error) return [{ name: 'printer: USB library', status: 'fail', detail: bus.message }];
  const candidates = await bus.candidates();
  const chosen = choosePrinter(candidates, options);
  const others = candidates.filter((c) => c !== chosen).map(describePrinter);
  if (!chosen) {
    return [
      {
        name: 'printer: found',
        status: 'fail',
        detail: `no receipt printer on USB${others.length ? ` (seen, not taken: ${others.join(', ')})` : ''}; plug it in and switch it on`,
      },
    ];
  }
  const checks: SelftestCheck[] = [
    {
      name: 'printer: found',
      status: 'pass',
      detail: `${describePrinter(chosen)}${others.length ? `; also seen: ${others.join(', ')}` : ''}`,
    },
  ];
  const printer = new UsbPrinter(bus, null, {
    vendorId: chosen.vendorId,
    productId: chosen.productId,
    jobTimeoutMs: 10_000,
    pollMs: 3_600_000,
    settleMs: 200,
    answerTimeoutMs: 500,
    logger: options.logger,
  });
  try {
    await printer.start();
    const { condition } = printer.status();
    checks.push({ name: 'printer: status', ...verdict[condition] });
    if (!options.printTestPage) {
      checks.push({ name: 'printer: test page', status: 'warn', detail: 'skipped (--no-print)' });
    } else if (verdict[condition].status !== 'fail') {
      options.say('Printing a test page…');
      checks.push(await testPage(printer, describePrinter(chosen)));
    }
  } finally {
    await printer.stop();
  }
  return checks;
}

async function testPage(printer: UsbPrinter, model: string): Promise<SelftestCheck> {
  // 58 mm columns: the page reads whole on either paper width.
  const page = newEncoder(58)
    .align('center')
    .bold(true)
    .line('vipps-kiosk selftest')
    .bold(false)
    .line(model)
    .line(new Date().toISOString().slice(0, 19).replace('T', ' '))
    .newline()
    .line('Æ Ø Å æ ø å')
    .barcode('0000000001', 'code128', { height: 60, text: 'below' })
    .cut('partial')
    .encode();
  try {
    await printer.print(page);
    return {
      name: 'printer: test page',
      status: 'pass',
      detail: `sent (${page.length} bytes): check the page shows Æ Ø Å and a bar code, and was cut`,
    };
  } catch (error) {
    return { name: 'printer: test page', status: 'fail', detail: (error as Error).message };
  }
}
