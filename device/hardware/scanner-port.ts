// The scanner port: what the kiosk needs from a bar code scanner, whichever way it is attached.

/** How a scanner talks to us: HID-POS reports (usage page 0x8C), boot-keyboard keystrokes, or the demo's. */
export type ScannerMode = 'hid-pos' | 'keyboard' | 'simulated';

export interface ScannerInfo {
  mode: ScannerMode;
  vendorId: number;
  productId: number;
  product: string;
  /** The hidraw node, where there is one. */
  path: string | null;
}

/** Why a partial scan was thrown away rather than handed on: half a code must never become an item. */
export type DroppedReason = 'unplugged' | 'too-long' | 'garbled' | 'unterminated';

export type ScannerEvent =
  | {
      type: 'scan';
      text: string /** AIM symbology identifier such as "]Q1", when the scanner sends one. */;
      symbology: string | null;
    }
  | { type: 'attached'; scanner: ScannerInfo }
  | { type: 'detached'; scanner: ScannerInfo }
  | { type: 'dropped'; reason: DroppedReason; bytes: number };

export type ScannerListener = (event: ScannerEvent) => void;

/**
 * Every scanner adapter: started once, it looks for its scanner, reports attach and detach as they
 * happen (reconnecting by itself), and emits each complete scan once. stop() releases the device.
 */
export interface ScannerPort {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The scanner in use now, or null while none is attached. */
  attached(): ScannerInfo | null;
  /**
   * The read loop is working: reading an attached scanner, or looking for one (a look under way, or the
   * next one due). False once stopped, or when a look has hung; the systemd watchdog asks this.
   */
  alive(): boolean;
  subscribe(listener: ScannerListener): () => void;
}

/** Longest scan accepted: a personal QR is under 100 characters; a 2D code rarely passes 1 KB. */
export const MAX_SCAN_BYTES = 1024;

/** A small listener set shared by the adapters, so each emits the same way. */
export class ScannerListeners {
  private readonly listeners = new Set<ScannerListener>();

  add(listener: ScannerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ScannerEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
