import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { decodeEscPos, paperLines } from '../../device/printer/escpos-decoder.js';
import {
  choosePrinter,
  KNOWN_PRINTER_VENDORS,
  type UsbPrinterCandidate,
} from '../../device/printer/known-printers.js';
import { PrintError } from '../../device/printer/printer-port.js';
import {
  conditionFromPortStatus,
  conditionFromRealtime,
  decodeRealtimeStatus,
  isRealtimeAnswer,
} from '../../device/printer/printer-status-usb.js';
import { UsbPrinter } from '../../device/printer/usb-printer.js';
import type { UsbPrinterBus, UsbPrinterLink, WriteFailure } from '../../device/printer/usb-printer-libusb.js';
import { printerSelftest } from '../../device/printer/usb-printer-selftest.js';

// The USB adapter's own decisions, with USB itself stood in for at the link (the HIL VM runs the
// printer contract against the real libusb link and the kernel's printer gadget).

const epson: UsbPrinterCandidate = {
  vendorId: 0x04b8,
  productId: 0x0e28,
  product: 'TM-T20III',
  interfaceNumber: 0,
  interfaceClass: 7,
  protocol: 2,
  outEndpoint: 0x01,
  inEndpoint: 0x82,
  busNumber: 1,
  deviceAddress: 4,
};

describe('printer status as the printer reports it', () => {
  it('reads Epson DLE EOT answers: paper near end, paper out, cover open, ready', () => {
    const condition = (a1: number, a2: number, a4: number) =>
      conditionFromRealtime(decodeRealtimeStatus({ 1: a1, 2: a2, 4: a4 }));
    expect(condition(0x12, 0x12, 0x12)).toBe('ready');
    expect(condition(0x12, 0x12, 0x1e)).toBe('paper-near-end');
    expect(condition(0x1a, 0x32, 0x72)).toBe('paper-out');
    // An open cover stops the paper sensor too: the cover is what staff must fix.
    expect(condition(0x1a, 0x16, 0x72)).toBe('cover-open');
    expect(condition(0x1a, 0x12, 0x12)).toBe('offline');
    expect(condition(0x12, 0x52, 0x12)).toBe('offline');
  });

  it('takes only bytes with the fixed bits of a DLE EOT answer for one', () => {
    expect([0x12, 0x1a, 0x72, 0x16].every(isRealtimeAnswer)).toBe(true);
    expect([0x00, 0x0a, 0x41, 0x92, 0xff].some(isRealtimeAnswer)).toBe(false);
  });

  it('reads the class port status: paper empty, not selected, error', () => {
    expect(conditionFromPortStatus(0x18)).toBe('ready');
    expect(conditionFromPortStatus(0x30)).toBe('paper-out');
    expect(conditionFromPortStatus(0x08)).toBe('offline');
    expect(conditionFromPortStatus(0x10)).toBe('offline');
  });
});

describe('which USB interface is the receipt printer', () => {
  const chinese = { ...epson, vendorId: 0x0416, productId: 0x5011, interfaceClass: 0xff, product: null };
  const unknownVendorSpecific = { ...chinese, vendorId: 0x1234 };
  const anyMakersPrinter = { ...epson, vendorId: 0x1234, productId: 0x0001 };

  it('takes a printer-class interface of any maker before a known maker vendor-specific one', () => {
    expect(choosePrinter([chinese, anyMakersPrinter], {})).toBe(anyMakersPrinter);
    expect(choosePrinter([chinese], {})).toBe(chinese);
    expect(choosePrinter([unknownVendorSpecific], {})).toBeNull();
  });

  it('the udev rule gives the kiosk every printer-class device and each known maker', () => {
    const rules = readFileSync(new URL('../../systemd/70-vipps-kiosk.rules', import.meta.url), 'utf8');
    expect(rules).toContain(
      'SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ENV{ID_USB_INTERFACES}=="*:07????:*", GROUP="plugdev", MODE="0660"',
    );
    const makers = /ATTR\{idVendor\}=="([0-9a-f|]+)", ENV\{ID_USB_INTERFACES\}=="\*:ff\?\?\?\?:\*"/
      .exec(rules)?.[1]
      ?.split('|');
    expect(makers?.sort()).toEqual(
      KNOWN_PRINTER_VENDORS.map((v) => v.vendorId.toString(16).padStart(4, '0')).sort(),
    );
  });

  it('takes only the configured printer when one is configured', () => {
    expect(choosePrinter([anyMakersPrinter, epson], { vendorId: 0x04b8 })).toBe(epson);
    expect(choosePrinter([anyMakersPrinter], { vendorId: 0x04b8 })).toBeNull();
    expect(choosePrinter([epson], { vendorId: 0x04b8, productId: 0x0202 })).toBeNull();
  });
});

/** A printer on the far side of the link: takes writes as told, answers DLE EOT if it can. */
class StandInLink implements UsbPrinterLink {
  readonly writes: Uint8Array[] = [];
  answers: number[] | null = [0x12, 0x12, 0x12];
  portStatusByte = 0x18;
  /** The next job-sized write stops after this many bytes, with this failure. */
  cut: { after: number; failure: WriteFailure } | null = null;
  /** Resolves the write in progress; set while one is held. */
  release: (() => void) | null = null;
  holdWrites = false;
  private pending: number[] = [];
  closed = false;
  readonly bidirectional = true;

  async write(data: Uint8Array) {
    this.writes.push(data);
    if (data.length === 3 && data[0] === 0x10 && data[1] === 0x04) {
      const answer = this.answers?.[[1, 2, 4].indexOf(data[2]!)];
      if (answer !== undefined) this.pending.push(answer);
      return { sent: 3, failure: null };
    }
    if (this.holdWrites) await new Promise<void>((resolve) => (this.release = resolve));
    if (this.cut) return { sent: this.cut.after, failure: this.cut.failure };
    return { sent: data.length, failure: null };
  }
  async read() {
    const byte = this.pending.shift();
    return byte === undefined ? null : Uint8Array.of(byte);
  }
  async portStatus() {
    return this.portStatusByte;
  }
  async close() {
    this.closed = true;
  }
  jobs(): Uint8Array[] {
    return this.writes.filter((w) => !(w.length === 3 && w[0] === 0x10 && w[1] === 0x04));
  }
}

function printerOn(link: StandInLink) {
  const bus: UsbPrinterBus = { candidates: async () => [epson], open: async () => link };
  // A poll far beyond the test: every status read here is one the test caused.
  return new UsbPrinter(bus, null, {
    jobTimeoutMs: 1000,
    pollMs: 3_600_000,
    settleMs: 10,
    answerTimeoutMs: 10,
    logger: silentLogger,
  });
}

describe('USB printer adapter', () => {
  it('a job cut short is a PrintError that says how much the printer took, and is not sent again', async () => {
    const link = new StandInLink();
    const printer = printerOn(link);
    await printer.start();
    expect(printer.status()).toMatchObject({ condition: 'ready', model: 'Epson TM-T20III (04b8:0e28)' });
    link.cut = { after: 1200, failure: { kind: 'timeout', message: 'LIBUSB_ERROR_TIMEOUT' } };
    const job = new Uint8Array(3000).fill(0x41);
    const error = await printer.print(job).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrintError);
    expect(error).toMatchObject({ code: 'print-timeout' });
    expect((error as Error).message).toContain('took 1200 of 3000 bytes');
    expect(link.jobs()).toEqual([job]);
    await printer.stop();
  });

  it('a printer that leaves the bus mid-job is reported offline, with no model, and the job fails', async () => {
    const link = new StandInLink();
    const printer = printerOn(link);
    await printer.start();
    link.cut = { after: 10, failure: { kind: 'gone', message: 'LIBUSB_ERROR_NO_DEVICE' } };
    await expect(printer.print(new Uint8Array(100))).rejects.toMatchObject({ code: 'printer-offline' });
    expect(printer.status()).toMatchObject({ condition: 'offline', model: null });
    expect(link.closed).toBe(true);
    await printer.stop();
  });

  it('runs one job at a time: the second waits until the first has reached the printer', async () => {
    const link = new StandInLink();
    const printer = printerOn(link);
    await printer.start();
    link.holdWrites = true;
    const first = printer.print(Uint8Array.of(1, 1, 1, 1));
    const second = printer.print(Uint8Array.of(2, 2, 2, 2));
    await expect.poll(() => link.release).not.toBeNull();
    expect(link.jobs()).toEqual([Uint8Array.of(1, 1, 1, 1)]);
    link.holdWrites = false;
    link.release!();
    await Promise.all([first, second]);
    expect(link.jobs()).toEqual([Uint8Array.of(1, 1, 1, 1), Uint8Array.of(2, 2, 2, 2)]);
    await printer.stop();
  });

  it('refuses a job while the paper is out, and the refused job never reaches the printer', async () => {
    const link = new StandInLink();
    const printer = printerOn(link);
    await printer.start();
    link.answers = [0x1a, 0x32, 0x72];
    await expect(printer.print(Uint8Array.of(7))).rejects.toMatchObject({ code: 'paper-out' });
    expect(printer.status().condition).toBe('paper-out');
    expect(link.jobs()).toEqual([]);
    await printer.stop();
  });

  it('reads the port status of a printer that does not answer DLE EOT, and stops asking after three tries', async () => {
    const link = new StandInLink();
    link.answers = null;
    link.portStatusByte = 0x30;
    const printer = printerOn(link);
    await printer.start();
    expect(printer.status().condition).toBe('paper-out');
    for (let i = 0; i < 4; i++) await printer.print(Uint8Array.of(9)).catch(() => undefined);
    const queries = link.writes.filter((w) => w.length === 3 && w[0] === 0x10).length;
    expect(queries).toBe(3);
    link.portStatusByte = 0x18;
    await printer.print(Uint8Array.of(9));
    expect(printer.status().condition).toBe('ready');
    await printer.stop();
  });
});

describe('vipps-kiosk selftest, printer part', () => {
  const bus = (link: StandInLink, candidates = [epson]): UsbPrinterBus => ({
    candidates: async () => candidates,
    open: async () => link,
  });
  const base = { say: () => undefined, logger: silentLogger };

  it('names the printer, reads its status and sends a test page with Æ Ø Å and a bar code', async () => {
    const link = new StandInLink();
    const checks = await printerSelftest({ ...base, bus: bus(link), printTestPage: true });
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['printer: found', 'pass'],
      ['printer: status', 'pass'],
      ['printer: test page', 'pass'],
    ]);
    expect(checks[0]!.detail).toBe('Epson TM-T20III (04b8:0e28)');
    const paper = paperLines(decodeEscPos(link.jobs()[0]!));
    expect(paper).toContain('Æ Ø Å æ ø å');
    expect(paper).toContain('[CODE128 0000000001]');
  });

  it('with --no-print sends nothing; out of paper fails; no printer fails with what to do', async () => {
    const link = new StandInLink();
    link.answers = [0x1a, 0x32, 0x72];
    const checks = await printerSelftest({ ...base, bus: bus(link), printTestPage: false });
    expect(checks.map((c) => [c.name, c.status, c.detail])).toEqual([
      ['printer: found', 'pass', 'Epson TM-T20III (04b8:0e28)'],
      ['printer: status', 'fail', 'out of paper: put in a roll'],
      ['printer: test page', 'warn', 'skipped (--no-print)'],
    ]);
    expect(link.jobs()).toEqual([]);
    const none = await printerSelftest({ ...base, bus: bus(link, []), printTestPage: true });
    expect(none).toEqual([
      {
        name: 'printer: found',
        status: 'fail',
        detail: 'no receipt printer on USB; plug it in and switch it on',
      },
    ]);
  });
});
