import { EventEmitter } from 'node:events';
import type { HidBackend, HidDeviceInfo, HidHandle } from '../../device/hardware/hid-backend.js';
import type { UsbChange, UsbHotplug } from '../../device/hardware/usb-hotplug.js';

/**
 * node-hid and libusb hotplug as a scanner's USB port behaves, for hosts without USB: strict like the
 * real ones (opening a device that is not there fails; an unplugged device's open handle errors once
 * and goes quiet; reports arrive only on an open handle).
 */
export class HidStandIn implements HidBackend {
  private present = false;
  private readonly open_ = new Set<StandInHandle>();
  private hotplugListener: ((change: UsbChange) => void) | null = null;
  /** Opens refused as hidraw refuses a user without permission, until the udev rule is in place. */
  refusedOpens = 0;
  readonly device: HidDeviceInfo & { path: string };

  constructor(device: HidDeviceInfo & { path: string }, plugged: boolean) {
    this.device = device;
    this.present = plugged;
  }

  async devices(): Promise<HidDeviceInfo[]> {
    return this.present ? [{ ...this.device }] : [];
  }

  async open(path: string): Promise<HidHandle> {
    if (!this.present || path !== this.device.path) throw new Error(`cannot open device with path ${path}`);
    if (this.refusedOpens > 0) {
      this.refusedOpens--;
      throw new Error(`cannot open device with path ${path}: Permission denied`);
    }
    const handle = new StandInHandle(() => this.open_.delete(handle));
    this.open_.add(handle);
    return handle;
  }

  readonly hotplug: UsbHotplug = {
    start: (listener) => {
      this.hotplugListener = listener;
    },
    stop: () => {
      this.hotplugListener = null;
    },
  };

  /** Reports as the scanner sends them, each on its own read. */
  send(reports: Buffer[]): void {
    for (const report of reports) for (const handle of this.open_) handle.deliver(report);
  }

  plug(): void {
    this.present = true;
    this.hotplugListener?.({
      type: 'attach',
      vendorId: this.device.vendorId,
      productId: this.device.productId,
    });
  }

  unplug(): void {
    this.present = false;
    for (const handle of this.open_) handle.lost();
    this.hotplugListener?.({
      type: 'detach',
      vendorId: this.device.vendorId,
      productId: this.device.productId,
    });
  }

  openHandles(): number {
    return this.open_.size;
  }
}

class StandInHandle extends EventEmitter implements HidHandle {
  private closed = false;
  private readonly onClose: () => void;

  constructor(onClose: () => void) {
    super();
    this.onClose = onClose;
  }

  deliver(report: Buffer): void {
    if (!this.closed) this.emit('data', Buffer.from(report));
  }

  lost(): void {
    if (!this.closed) this.emit('error', new Error('could not read from HID device'));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.onClose();
  }
}
