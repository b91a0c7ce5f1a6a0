// The narrow part of node-hid the scanner adapter uses, so the adapter can be driven by a strict
// stand-in on machines without USB, and by the real library on the kiosk and in the HIL VM.

export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  product?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
  interface: number;
}

export interface HidHandle {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): Promise<void>;
}

export interface HidBackend {
  devices(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidHandle>;
}

/** node-hid's async API (the sync one ties up libuv threads). Loaded on first use: it needs libusb-1.0. */
export async function nodeHidBackend(): Promise<HidBackend> {
  const hid = await import('node-hid');
  return {
    devices: () => hid.devicesAsync(),
    open: async (path) => (await hid.HIDAsync.open(path)) as unknown as HidHandle,
  };
}

/**
 * node-hid ready to use, or why not: the library loads lazily, so its first listing is where a missing
 * libusb or udev library shows. For the tech's tools (selftest, provision), which report it as a finding.
 */
export function probeHidBackend(): Promise<HidBackend | { error: string }> {
  return nodeHidBackend()
    .then(async (backend) => {
      await backend.devices();
      return backend;
    })
    .catch((error: Error) => ({ error: `node-hid cannot list HID devices: ${error.message}` }));
}
