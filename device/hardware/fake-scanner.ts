import { ScanBuffer } from './scan-buffer.js';
import {
  type ScannerInfo,
  type ScannerListener,
  ScannerListeners,
  type ScannerPort,
} from './scanner-port.js';

const SIMULATED: ScannerInfo = {
  mode: 'simulated',
  vendorId: 0,
  productId: 0,
  product: 'simulated scanner',
  path: null,
};

/**
 * The demo's and the tests' scanner. As strict as a real one: a read half done when it is unplugged is
 * dropped, an over-long read is dropped, nothing is read while unplugged or stopped.
 */
export class FakeScanner implements ScannerPort {
  private readonly listeners = new ScannerListeners();
  private readonly buffer = new ScanBuffer();
  private plugged: boolean;
  private running = false;

  constructor(options: { plugged: boolean } = { plugged: true }) {
    this.plugged = options.plugged;
  }

  async start(): Promise<void> {
    this.running = true;
    if (this.plugged) this.listeners.emit({ type: 'attached', scanner: SIMULATED });
  }

  async stop(): Promise<void> {
    this.running = false;
    this.buffer.abandon('unplugged');
  }

  alive(): boolean {
    return this.running;
  }

  attached(): ScannerInfo | null {
    return this.running && this.plugged ? SIMULATED : null;
  }

  subscribe(listener: ScannerListener): () => void {
    return this.listeners.add(listener);
  }

  plug(): void {
    if (this.plugged) return;
    this.plugged = true;
    if (this.running) this.listeners.emit({ type: 'attached', scanner: SIMULATED });
  }

  unplug(): void {
    if (!this.plugged) return;
    this.plugged = false;
    if (!this.running) return;
    const dropped = this.buffer.abandon('unplugged');
    if (dropped) this.listeners.emit(dropped);
    this.listeners.emit({ type: 'detached', scanner: SIMULATED });
  }

  /** The start of a read that has not ended yet. */
  partial(text: string): void {
    if (this.running && this.plugged) this.buffer.append(Buffer.from(text, 'utf8'), Date.now());
  }

  /** A whole read: `text` then the end of the code. */
  read(text: string): void {
    if (!this.running || !this.plugged) return;
    this.buffer.append(Buffer.from(text, 'utf8'), Date.now());
    this.listeners.emit(this.buffer.finish(null));
  }

  /** The scanner stopped sending mid-code: the partial read is dropped, as the real adapters do. */
  silence(): void {
    const dropped = this.buffer.abandon('unterminated');
    if (dropped && this.running) this.listeners.emit(dropped);
  }
}
