import { existsSync } from 'node:fs';
import type { Device } from 'usb';

export interface UsbChange {
  type: 'attach' | 'detach';
  vendorId: number;
  productId: number;
}

/**
 * USB plug and unplug notices. Enumerating HID devices is costly, so the scanner adapter waits for
 * these instead of polling. Null where the kernel has no USB (`/sys/bus/usb` missing: containers,
 * CI hosts) or libusb cannot be loaded: the adapter then polls slowly instead.
 */
export interface UsbHotplug {
  start(onChange: (change: UsbChange) => void): void;
  stop(): void;
}

/** libusb (usb@2) hotplug. It hears of devices through udevd's broadcasts, so udevd must be running. */
export async function libusbHotplug(sysBusUsb = '/sys/bus/usb'): Promise<UsbHotplug | null> {
  if (!existsSync(sysBusUsb)) return null;
  let usb: typeof import('usb')['usb'];
  try {
    ({ usb } = await import('usb'));
  } catch {
    return null;
  }
  let attach: ((device: Device) => void) | undefined;
  let detach: ((device: Device) => void) | undefined;
  return {
    start(onChange) {
      const notify = (type: UsbChange['type']) => (device: Device) =>
        onChange({
          type,
          vendorId: device.deviceDescriptor.idVendor,
          productId: device.deviceDescriptor.idProduct,
        });
      attach = notify('attach');
      detach = notify('detach');
      usb.on('attach', attach);
      usb.on('detach', detach);
      // Hotplug must not keep the daemon (or a CLI command) alive on its own.
      usb.unrefHotplugEvents();
    },
    stop() {
      if (attach) usb.off('attach', attach);
      if (detach) usb.off('detach', detach);
    },
  };
}
