import type { Device, InEndpoint, Interface, OutEndpoint } from 'usb';
import { isPrinterLike, type UsbPrinterCandidate } from './known-printers.js';
import { controlSetup, type TransferFailure, transferWithin } from './libusb-transfer.js';
import { GET_PORT_STATUS } from './printer-status-usb.js';

// libusb (the `usb` package, already used for the scanner's hotplug) rather than the kernel's usblp:
// usblp's port status is only reachable through its LPGETSTATUS ioctl, and Node has no ioctl, while
// libusb gives the class request GET_PORT_STATUS, the bulk IN endpoint for DLE EOT answers, and the
// byte count that reached the printer when a transfer breaks off. Where usblp has bound the printer
// (Debian loads it for every printer-class device), the kernel driver is detached first.

/** Why a write stopped short: the time ran out, the printer left the bus, or USB failed otherwise. */
export type WriteFailure = TransferFailure;

/** An opened printer interface: the adapter's whole view of USB. */
export interface UsbPrinterLink {
  /** Writes all of `data` unless the device goes away or `timeoutMs` passes; `sent` is what the printer took. */
  write(data: Uint8Array, timeoutMs: number): Promise<{ sent: number; failure: WriteFailure | null }>;
  /** Reads what the printer sends back within `timeoutMs`; null when it sent nothing or cannot answer. */
  read(maxBytes: number, timeoutMs: number): Promise<Uint8Array | null>;
  portStatus(): Promise<number>;
  readonly bidirectional: boolean;
  close(): Promise<void>;
}

export interface UsbPrinterBus {
  candidates(): Promise<UsbPrinterCandidate[]>;
  open(candidate: UsbPrinterCandidate): Promise<UsbPrinterLink>;
}

const BULK = 2;
const CLASS_INTERFACE_IN = 0xa1;
const STRING_TIMEOUT_MS = 500;
const CONTROL_TIMEOUT_MS = 1000;

/** libusb's bus, or an Error saying why it cannot be used (no libusb, no /sys/bus/usb). */
export async function libusbPrinterBus(): Promise<UsbPrinterBus | Error> {
  let usb: typeof import('usb');
  try {
    usb = await import('usb');
  } catch (error) {
    return new Error(`cannot load libusb: ${(error as Error).message} (install the libusb-1.0-0 package)`);
  }
  const devices = new Map<string, Device>();
  const key = (c: Pick<UsbPrinterCandidate, 'busNumber' | 'deviceAddress'>) =>
    `${c.busNumber}.${c.deviceAddress}`;
  return {
    async candidates() {
      devices.clear();
      const found: UsbPrinterCandidate[] = [];
      for (const device of usb.getDeviceList()) {
        for (const candidate of interfacesOf(device)) {
          if (!isPrinterLike(candidate)) continue;
          candidate.product = await productName(device);
          devices.set(key(candidate), device);
          found.push(candidate);
        }
      }
      return found;
    },
    async open(candidate) {
      const device = devices.get(key(candidate));
      if (!device) throw new Error('the printer is no longer on the bus');
      return openLink(usb, device, candidate);
    },
  };
}

function interfacesOf(device: Device): UsbPrinterCandidate[] {
  const config = device.configDescriptor;
  if (!config) return [];
  const found: UsbPrinterCandidate[] = [];
  for (const alternates of config.interfaces) {
    const iface = alternates[0];
    if (!iface) continue;
    const bulk = iface.endpoints.filter((e) => (e.bmAttributes & 3) === BULK);
    const out = bulk.find((e) => !(e.bEndpointAddress & 0x80));
    if (!out) continue;
    const inEp = bulk.find((e) => e.bEndpointAddress & 0x80);
    found.push({
      vendorId: device.deviceDescriptor.idVendor,
      productId: device.deviceDescriptor.idProduct,
      product: null,
      interfaceNumber: iface.bInterfaceNumber,
      interfaceClass: iface.bInterfaceClass,
      protocol: iface.bInterfaceProtocol,
      outEndpoint: out.bEndpointAddress,
      inEndpoint: inEp && iface.bInterfaceProtocol !== 1 ? inEp.bEndpointAddress : null,
      busNumber: device.busNumber,
      deviceAddress: device.deviceAddress,
    });
  }
  return found;
}

/** The product string needs the device opened; a printer the kiosk may not open is still listed. */
async function productName(device: Device): Promise<string | null> {
  const index = device.deviceDescriptor.iProduct;
  if (!index) return null;
  try {
    device.open(false);
  } catch {
    return null;
  }
  device.timeout = STRING_TIMEOUT_MS;
  try {
    return await new Promise((resolve) =>
      device.getStringDescriptor(index, (error, value) => resolve(error ? null : (value?.trim() ?? null))),
    );
  } finally {
    device.close();
  }
}

function openLink(usb: typeof import('usb'), device: Device, candidate: UsbPrinterCandidate): UsbPrinterLink {
  device.open();
  let iface: Interface;
  try {
    iface = device.interface(candidate.interfaceNumber);
    if (iface.isKernelDriverActive()) iface.detachKernelDriver();
    iface.claim();
  } catch (error) {
    device.close();
    throw error;
  }
  const out = iface.endpoint(candidate.outEndpoint) as OutEndpoint;
  const inEp =
    candidate.inEndpoint === null ? null : (iface.endpoint(candidate.inEndpoint) as InEndpoint | undefined);
  // Every transfer without libusb's own timeout (0): transferWithin keeps the deadline (see there why).
  return {
    bidirectional: Boolean(inEp),
    async write(data, timeoutMs) {
      const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      const { actual, failure } = await transferWithin(
        (done) => out.makeTransfer(0, done),
        buffer,
        timeoutMs,
      );
      return { sent: actual, failure };
    },
    async read(maxBytes, timeoutMs) {
      if (!inEp) return null;
      const buffer = Buffer.alloc(maxBytes);
      const { actual, failure } = await transferWithin(
        (done) => inEp.makeTransfer(0, done),
        buffer,
        timeoutMs,
      );
      return failure || actual === 0 ? null : new Uint8Array(buffer.subarray(0, actual));
    },
    async portStatus() {
      const setup = controlSetup(
        {
          requestType: CLASS_INTERFACE_IN,
          request: GET_PORT_STATUS,
          value: 0,
          index: candidate.interfaceNumber,
        },
        1,
      );
      const { actual, failure } = await transferWithin(
        (done) => new usb.Transfer(device, 0, usb.usb.LIBUSB_TRANSFER_TYPE_CONTROL, 0, done),
        setup,
        CONTROL_TIMEOUT_MS,
      );
      if (failure) throw new Error(`the printer's port status: ${failure.message}`);
      if (actual < 1) throw new Error('the printer sent no port status');
      return setup[8]!;
    },
    close() {
      return new Promise((resolve) =>
        iface.release(true, () => {
          try {
            device.close();
          } catch {
            // Already gone with the device: nothing left to close.
          }
          resolve();
        }),
      );
    },
  };
}
