import type { Logger } from '../../common/log/logger.js';
import type { HidBackend, HidHandle } from './hid-backend.js';
import { HidPosDecoder } from './hid-pos-decoder.js';
import { KeyboardDecoder, type KeyboardDecoderOptions } from './keyboard-decoder.js';
import { chooseScanner } from './known-scanners.js';
import type { ReportDecoder } from './scan-buffer.js';
import {
  type ScannerInfo,
  type ScannerListener,
  ScannerListeners,
  type ScannerPort,
} from './scanner-port.js';
import type { UsbChange, UsbHotplug } from './usb-hotplug.js';

export interface HidScannerOptions {
  /** Configured scanner; without it the first HID-POS device, else a known scanner's keyboard interface. */
  vendorId?: number | undefined;
  productId?: number | undefined;
  keyboard: KeyboardDecoderOptions;
  /** How long a HID-POS code may wait for its next report. */
  continuationTimeoutMs: number;
  /** How often to look for a scanner while none is attached (six times as long with USB hotplug). */
  pollMs: number;
  /** After a USB attach: how long the kernel and udev may take to make the hidraw node. */
  settleMs: number;
  logger: Logger;
  now?: () => number;
}

const SETTLE_TRIES = 5;
const HOTPLUG_BACKSTOP = 6;
/** A look for the scanner (listing devices, opening one) that takes this long has hung in the driver. */
const LOOK_HUNG_MS = 20_000;

/**
 * A USB HID scanner read through hidraw (node-hid): HID-POS reports or boot-keyboard keystrokes,
 * found by configuration or by looking, and reconnected by itself after an unplug. Keystrokes read here
 * never reach the browser only if the compositor ignores the device: see systemd/70-vipps-kiosk.rules.
 */
export class HidScanner implements ScannerPort {
  private readonly listeners = new ScannerListeners();
  private handle: HidHandle | null = null;
  private info: ScannerInfo | null = null;
  private decoder: ReportDecoder | null = null;
  private connecting: Promise<void> | null = null;
  private quietTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private running = false;
  /** A look for the scanner is scheduled (retryTimer), or started at `lookStartedAt`. */
  private lookDue = false;
  private lookStartedAt = 0;
  private lastProblem = '';
  private readonly backend: HidBackend;
  private readonly hotplug: UsbHotplug | null;
  private readonly options: HidScannerOptions;
  private readonly now: () => number;

  constructor(backend: HidBackend, hotplug: UsbHotplug | null, options: HidScannerOptions) {
    this.backend = backend;
    this.hotplug = hotplug;
    this.options = options;
    this.now = options.now ?? performance.now.bind(performance);
  }

  async start(): Promise<void> {
    this.running = true;
    this.hotplug?.start((change) => this.onUsbChange(change));
    await this.connect();
    if (!this.handle) this.options.logger.warn('no scanner found; customers can type their phone number');
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.quietTimer);
    clearTimeout(this.retryTimer);
    this.hotplug?.stop();
    await this.connecting;
    const handle = this.handle;
    this.handle = null;
    this.info = null;
    this.decoder = null;
    if (handle) await release(handle);
  }

  attached(): ScannerInfo | null {
    return this.info;
  }

  alive(): boolean {
    if (!this.running) return false;
    if (this.handle) return true;
    if (this.connecting) return this.now() - this.lookStartedAt < LOOK_HUNG_MS;
    return this.lookDue;
  }

  subscribe(listener: ScannerListener): () => void {
    return this.listeners.add(listener);
  }

  /** Looks for the scanner once and opens it; at most one look at a time. */
  private connect(): Promise<void> {
    if (!this.connecting) this.lookStartedAt = this.now();
    this.connecting ??= this.tryConnect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async tryConnect(): Promise<void> {
    if (!this.running || this.handle) return;
    try {
      const choice = chooseScanner(await this.backend.devices(), this.options);
      if (!choice) return this.retryLater();
      const handle = await this.backend.open(choice.device.path);
      if (!this.running) {
        await release(handle);
        return;
      }
      const { device, mode } = choice;
      this.handle = handle;
      this.info = {
        mode,
        vendorId: device.vendorId,
        productId: device.productId,
        product: device.product ?? '',
        path: device.path,
      };
      this.decoder =
        mode === 'hid-pos'
          ? new HidPosDecoder({ continuationTimeoutMs: this.options.continuationTimeoutMs })
          : new KeyboardDecoder(this.options.keyboard);
      handle.on('data', (data) => this.onReport(handle, data));
      handle.on('error', (error) => this.onLost(handle, error));
      this.lastProblem = '';
      this.options.logger.info('scanner attached', { mode, product: this.info.product, path: device.path });
      this.listeners.emit({ type: 'attached', scanner: this.info });
    } catch (error) {
      this.reportProblem(error as NodeJS.ErrnoException);
      this.retryLater();
    }
  }

  private reportProblem(error: NodeJS.ErrnoException): void {
    const message = String(error.message ?? error);
    if (message === this.lastProblem) return;
    this.lastProblem = message;
    const hint = /permission|EACCES/i.test(message)
      ? ' (the kiosk user may not read /dev/hidraw*: install.sh installs /etc/udev/rules.d/70-vipps-kiosk.rules, and the user must be in plugdev)'
      : /libusb/i.test(message)
        ? ' (install the libusb-1.0-0 package)'
        : '';
    this.options.logger.warn(`cannot open the scanner: ${message}${hint}`);
  }

  private retryLater(): void {
    if (!this.running) return;
    // With hotplug a plug-in is announced; a slow look now and then still catches a scanner that was
    // there but could not be opened (permissions fixed later) or a udevd that is not running.
    const delay = this.hotplug ? this.options.pollMs * HOTPLUG_BACKSTOP : this.options.pollMs;
    clearTimeout(this.retryTimer);
    this.lookDue = true;
    this.retryTimer = setTimeout(() => {
      this.lookDue = false;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }

  private onUsbChange(change: UsbChange): void {
    if (change.type === 'attach' && !this.handle) void this.connectAfterSettle(SETTLE_TRIES);
    // A detach reaches us as a read error on the open device too; whichever comes first ends it.
    if (
      change.type === 'detach' &&
      this.info?.vendorId === change.vendorId &&
      this.info.productId === change.productId
    ) {
      if (this.handle) this.onLost(this.handle, new Error('unplugged'));
    }
  }

  private async connectAfterSettle(tries: number): Promise<void> {
    for (let i = 0; i < tries && this.running && !this.handle; i++) {
      await new Promise((resolve) => setTimeout(resolve, this.options.settleMs).unref());
      await this.connect();
    }
  }

  private onReport(handle: HidHandle, data: Buffer): void {
    if (handle !== this.handle || !this.decoder) return;
    for (const event of this.decoder.report(data, this.now())) this.listeners.emit(event);
    this.armQuietTimer();
  }

  private armQuietTimer(): void {
    clearTimeout(this.quietTimer);
    const decoder = this.decoder;
    if (!decoder) return;
    this.quietTimer = setTimeout(() => {
      const event = decoder.quiet(this.now());
      if (event) this.listeners.emit(event);
    }, decoder.quietAfterMs + 1);
    this.quietTimer.unref();
  }

  private onLost(handle: HidHandle, error: Error): void {
    if (handle !== this.handle || !this.info) return;
    clearTimeout(this.quietTimer);
    const scanner = this.info;
    const dropped = this.decoder?.unplugged();
    this.handle = null;
    this.info = null;
    this.decoder = null;
    void release(handle);
    if (dropped) this.listeners.emit(dropped);
    this.options.logger.warn('scanner detached', { product: scanner.product, reason: error.message });
    this.listeners.emit({ type: 'detached', scanner });
    this.retryLater();
  }
}

/**
 * Closes a device handle. node-hid starts reading on the tick after a `data` listener is added and
 * throws, outside any promise, if the device was closed in between: let that tick pass first.
 */
async function release(handle: HidHandle): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await handle.close().catch(() => undefined);
}
