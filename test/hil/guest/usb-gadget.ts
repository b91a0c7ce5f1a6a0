import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
  write as writeCb,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

// A USB HID device made by the guest kernel's own gadget stack (configfs f_hid on dummy_hcd): to the
// kiosk's drivers it is a scanner plugged into a USB port, through usbcore, usbhid, hidraw and udev.

const GADGETS = '/sys/kernel/config/usb_gadget';

/** A boot keyboard: modifiers, reserved, six keys (the report every keyboard-mode scanner sends). */
export const KEYBOARD_DESCRIPTOR = Buffer.from(
  '05010906a101050719e029e71500250175019508810295017508810195057501050819012905910295017503910195067508150025650507190029658100c0',
  'hex',
);

/** A bar code scanner on the HID-POS page 0x8C: input report 2 of 63 bytes (the scanned-data report). */
export const HID_POS_DESCRIPTOR = Buffer.from([
  0x05, 0x8c, 0x09, 0x02, 0xa1, 0x01, 0x85, 0x02, 0x09, 0x12, 0x15, 0x00, 0x26, 0xff, 0x00, 0x75, 0x08, 0x95,
  0x3f, 0x81, 0x02, 0xc0,
]);

export interface GadgetSpec {
  name: string;
  vendorId: number;
  productId: number;
  product: string;
  descriptor: Buffer;
  /** Bytes per report written to /dev/hidgN, report id included. */
  reportLength: number;
  keyboard: boolean;
}

const writeAsync = promisify(writeCb);

export class UsbGadget {
  private readonly dir: string;
  private readonly spec: GadgetSpec;

  constructor(spec: GadgetSpec) {
    this.spec = spec;
    this.dir = join(GADGETS, spec.name);
  }

  create(): void {
    const put = (path: string, value: string | Buffer) => writeFileSync(join(this.dir, path), value);
    const { spec } = this;
    mkdirSync(this.dir);
    put('idVendor', `0x${spec.vendorId.toString(16)}`);
    put('idProduct', `0x${spec.productId.toString(16)}`);
    put('bcdUSB', '0x0200');
    mkdirSync(join(this.dir, 'strings/0x409'));
    put('strings/0x409/manufacturer', 'vipps-kiosk HIL');
    put('strings/0x409/product', spec.product);
    put('strings/0x409/serialnumber', 'HIL-0001');
    mkdirSync(join(this.dir, 'functions/hid.usb0'));
    put('functions/hid.usb0/protocol', spec.keyboard ? '1' : '0');
    put('functions/hid.usb0/subclass', spec.keyboard ? '1' : '0');
    put('functions/hid.usb0/report_length', String(spec.reportLength));
    put('functions/hid.usb0/report_desc', spec.descriptor);
    mkdirSync(join(this.dir, 'configs/c.1'));
    put('configs/c.1/MaxPower', '100');
    symlinkSync(join(this.dir, 'functions/hid.usb0'), join(this.dir, 'configs/c.1/hid.usb0'));
  }

  /** Binds the gadget to the dummy controller: the host side sees a device plugged in. */
  plug(): void {
    writeFileSync(join(this.dir, 'UDC'), readdirSync('/sys/class/udc')[0]!);
  }

  unplug(): void {
    writeFileSync(join(this.dir, 'UDC'), '\n');
  }

  /** Sends reports as the device's interrupt IN transfers; each write waits for the host to take it. */
  async send(reports: Buffer[]): Promise<void> {
    const node = readdirSync('/dev').find((n) => n.startsWith('hidg'));
    if (!node) throw new Error('no /dev/hidg*: is the gadget plugged in?');
    const fd = openSync(`/dev/${node}`, 'r+');
    try {
      for (const report of reports) await writeAsync(fd, report);
    } finally {
      closeSync(fd);
    }
  }

  remove(): void {
    if (!existsSync(this.dir)) return;
    try {
      this.unplug();
    } catch {}
    unlinkSync(join(this.dir, 'configs/c.1/hid.usb0'));
    for (const dir of ['configs/c.1', 'functions/hid.usb0', 'strings/0x409', ''])
      rmdirSync(join(this.dir, dir));
  }
}
