import { spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HardwareCondition } from '../../../device/printer/printer-port.js';

// A USB receipt printer made by the guest kernel's own gadget stack (configfs f_printer on dummy_hcd):
// the kiosk sees a printer-class device through usbcore, usblp (which the adapter detaches), libusb
// and udev. This side plays the printer's firmware: it takes the bytes from /dev/g_printer0, answers
// DLE EOT as an ESC/POS printer does, and sets the class port status with the gadget's ioctl.

const GADGETS = '/sys/kernel/config/usb_gadget';
const NODE = '/dev/g_printer0';

/** The printer class port status bits (linux/usb/g_printer.h). */
const PAPER_EMPTY = 0x20;
const SELECTED = 0x10;
const NOT_ERROR = 0x08;

/** What the class port status can say: no near-end, and an open cover only as an error. */
function portStatusFor(condition: HardwareCondition): number {
  if (condition === 'paper-out') return PAPER_EMPTY | SELECTED;
  if (condition === 'cover-open') return SELECTED;
  return SELECTED | NOT_ERROR;
}

/** Epson's answers to DLE EOT 1 (printer), 2 (offline cause), 4 (roll paper sensor); fixed bits 0x12. */
function realtimeAnswer(n: number, condition: HardwareCondition): number {
  const fixed = 0x12;
  const offline = condition === 'paper-out' || condition === 'cover-open';
  if (n === 1) return offline ? fixed | 0x08 : fixed;
  if (n === 2)
    return fixed | (condition === 'cover-open' ? 0x04 : 0) | (condition === 'paper-out' ? 0x20 : 0);
  if (n === 4)
    return fixed | (condition === 'paper-out' ? 0x60 : 0) | (condition === 'paper-near-end' ? 0x0c : 0);
  return fixed;
}

export interface PrinterGadgetSpec {
  name: string;
  vendorId: number;
  productId: number;
  product: string;
  /** Whether the firmware answers DLE EOT; a printer that does not is read by port status alone. */
  answersRealtime: boolean;
  patienceMs: number;
}

export class PrinterGadget {
  private readonly dir: string;
  private fd: number | null = null;
  private condition: HardwareCondition = 'ready';
  private readonly taken: number[] = [];
  private cutAfter: number | null = null;
  /** 0: data; 1: after DLE; 2: after DLE EOT (the next byte is n). */
  private escape = 0;
  private readTimer: NodeJS.Timeout | undefined;

  constructor(private readonly spec: PrinterGadgetSpec) {
    this.dir = join(GADGETS, spec.name);
  }

  private create(): void {
    const put = (path: string, value: string) => writeFileSync(join(this.dir, path), value);
    const { spec } = this;
    mkdirSync(this.dir);
    put('idVendor', `0x${spec.vendorId.toString(16)}`);
    put('idProduct', `0x${spec.productId.toString(16)}`);
    put('bcdUSB', '0x0200');
    mkdirSync(join(this.dir, 'strings/0x409'));
    put('strings/0x409/manufacturer', 'vipps-kiosk HIL');
    put('strings/0x409/product', spec.product);
    put('strings/0x409/serialnumber', 'HIL-P001');
    mkdirSync(join(this.dir, 'functions/printer.usb0'));
    put(
      'functions/printer.usb0/pnp_string',
      `MFG:vipps-kiosk HIL;MDL:${spec.product};CMD:ESC/POS;CLS:PRINTER;`,
    );
    mkdirSync(join(this.dir, 'configs/c.1'));
    put('configs/c.1/MaxPower', '100');
    symlinkSync(join(this.dir, 'functions/printer.usb0'), join(this.dir, 'configs/c.1/printer.usb0'));
  }

  /** Every byte the printer took, DLE EOT queries left out (a printer answers them, it does not print them). */
  received(): Uint8Array {
    return Uint8Array.from(this.taken);
  }

  /** Binds to the dummy controller, opens the printer's side and shows the condition it has. */
  async plug(): Promise<void> {
    this.create();
    writeFileSync(join(this.dir, 'UDC'), readdirSync('/sys/class/udc')[0]!);
    const end = Date.now() + this.spec.patienceMs;
    // The node opens (ENODEV before) and the status ioctl works once the host has configured the device.
    for (;;) {
      try {
        this.fd = openSync(NODE, constants.O_RDWR | constants.O_NONBLOCK);
        break;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENODEV') throw error;
        if (Date.now() > end) throw new Error(`${NODE} did not open: ${code}`);
        await sleep(10);
      }
    }
    // Polled on the main thread without blocking: a blocking read holds the driver's I/O lock while it
    // waits (so DLE EOT could not be answered) and is woken by nothing but data once the printer leaves.
    const fd = this.fd;
    this.readTimer = setInterval(() => this.readAvailable(fd), 5);
    while (!this.applyPortStatus()) {
      if (Date.now() > end) throw new Error('the gadget never took its port status');
      await sleep(20);
    }
  }

  /**
   * Unbinds and takes the gadget down whole: f_printer (6.1) corrupts its request lists when a gadget
   * unbound mid-transfer is bound again (kernel BUG in printer_write), so every plug makes a new one.
   */
  async unplug(): Promise<void> {
    const fd = this.fd;
    if (fd === null) return;
    this.fd = null;
    clearInterval(this.readTimer);
    closeSync(fd);
    writeFileSync(join(this.dir, 'UDC'), '\n');
    this.takeDown();
  }

  async setCondition(condition: HardwareCondition): Promise<void> {
    this.condition = condition;
    if (this.fd !== null && !this.applyPortStatus()) throw new Error('the gadget refused its port status');
  }

  cutNextJobAfter(bytes: number): void {
    this.cutAfter = bytes;
  }

  async remove(): Promise<void> {
    await this.unplug();
    this.takeDown();
  }

  private takeDown(): void {
    if (!existsSync(this.dir)) return;
    unlinkSync(join(this.dir, 'configs/c.1/printer.usb0'));
    for (const dir of ['configs/c.1', 'functions/printer.usb0', 'strings/0x409', ''])
      rmdirSync(join(this.dir, dir));
  }

  /**
   * Node has no ioctl(): the helper gets the open descriptor as its stdin, by way of fd 3 and the shell,
   * because Node makes a descriptor it hands over as a child's stdin blocking, for this side too.
   */
  private applyPortStatus(): boolean {
    const status = portStatusFor(this.condition);
    const run = spawnSync('/bin/sh', ['-c', `exec /usr/bin/g-printer-status 0x${status.toString(16)} <&3`], {
      stdio: ['ignore', 'ignore', 'pipe', this.fd!],
    });
    if (run.status === 0) return true;
    if (/No such device/.test(String(run.stderr))) return false;
    throw new Error(`g-printer-status: ${String(run.stderr).trim() || run.error?.message}`);
  }

  private readAvailable(fd: number): void {
    const buffer = Buffer.alloc(4096);
    while (this.fd === fd) {
      // Never more than the cut leaves: the rest of the job must stay unread when the printer leaves.
      const room = this.cutAfter === null ? buffer.length : Math.min(buffer.length, this.cutAfter);
      let n = 0;
      try {
        n = readSync(fd, buffer, 0, room, null);
      } catch (error) {
        // EAGAIN: nothing sent; ENODEV: the host is (re)configuring the device.
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'ENODEV') return;
        throw error;
      }
      if (n === 0) return;
      for (const byte of buffer.subarray(0, n)) this.take(fd, byte);
      if (this.cutAfter === 0) {
        this.cutAfter = null;
        void this.unplug();
        return;
      }
    }
  }

  private take(fd: number, byte: number): void {
    if (this.escape === 2) {
      this.escape = 0;
      if (byte >= 1 && byte <= 4) {
        if (this.spec.answersRealtime) writeSync(fd, Uint8Array.of(realtimeAnswer(byte, this.condition)));
        return;
      }
      this.keep(0x10);
      this.keep(0x04);
    } else if (this.escape === 1) {
      this.escape = 0;
      if (byte === 0x04) {
        this.escape = 2;
        return;
      }
      this.keep(0x10);
    }
    if (byte === 0x10) {
      this.escape = 1;
      return;
    }
    this.keep(byte);
  }

  private keep(byte: number): void {
    this.taken.push(byte);
    if (this.cutAfter !== null) this.cutAfter--;
  }
}
