import {
  type HardwareCondition,
  PrintError,
  type PrinterCondition,
  type PrinterPort,
  type PrinterStatus,
} from './printer-port.js';

// The demo's printer and the tests' stand-in: it takes the real ESC/POS bytes a job carries (the demo
// panel decodes them into its paper strip) and can be made to run out of paper, open its cover, leave
// the bus, stop taking bytes or drop off halfway through a job, as a real printer does.

export interface FakePrinterOptions {
  model?: string;
  plugged?: boolean;
  /** The clock a status is stamped with. */
  now?: () => number;
  /** Bytes taken per step; between steps other work runs, so a cut or a stall can land mid-job. */
  chunkBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const CHUNK_BYTES = 64;

const REFUSALS: Partial<Record<PrinterCondition, [code: string, message: string]>> = {
  'paper-out': ['paper-out', 'The receipt printer is out of paper.'],
  'cover-open': ['cover-open', "The receipt printer's cover is open."],
  offline: ['printer-offline', 'No receipt printer is connected.'],
};

export class FakePrinter implements PrinterPort {
  readonly model: string;
  private readonly now: () => number;
  private readonly chunkBytes: number;
  private readonly chunks: Uint8Array[] = [];
  private readonly listeners = new Set<(status: PrinterStatus) => void>();
  private readonly paperListeners = new Set<(bytes: Uint8Array) => void>();
  private hardware: HardwareCondition = 'ready';
  private plugged: boolean;
  private started = false;
  private current: PrinterStatus;
  private queue: Promise<void> = Promise.resolve();
  private cutAfter: number | null = null;
  private stalled: { resume: Promise<void>; release: () => void } | null = null;

  constructor(options: FakePrinterOptions = {}) {
    this.model = options.model ?? 'Demo printer (simulated, 80 mm)';
    this.now = options.now ?? Date.now;
    this.chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
    this.plugged = options.plugged ?? true;
    this.current = this.read();
  }

  // --- the port ---

  async start(): Promise<void> {
    this.started = true;
    this.update();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.update();
  }

  status(): PrinterStatus {
    return this.current;
  }

  onStatus(listener: (status: PrinterStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  print(job: Uint8Array, options: { timeoutMs?: number } = {}): Promise<void> {
    const run = this.queue.then(() => this.send(job, options.timeoutMs ?? DEFAULT_TIMEOUT_MS));
    this.queue = run.catch(() => {});
    return run;
  }

  // --- the printer's side ---

  /** Every byte the printer has taken, in order. */
  received(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.chunks));
  }

  /** Called with each run of bytes as the printer takes it (the demo's paper strip). */
  onPaper(listener: (bytes: Uint8Array) => void): () => void {
    this.paperListeners.add(listener);
    return () => this.paperListeners.delete(listener);
  }

  setCondition(condition: HardwareCondition): void {
    this.hardware = condition;
    this.update();
  }

  unplug(): void {
    this.plugged = false;
    this.update();
  }

  replug(): void {
    this.plugged = true;
    this.update();
  }

  /** The next job reaches the printer only up to `bytes` bytes; then the printer leaves the bus. */
  cutNextJobAfter(bytes: number): void {
    this.cutAfter = bytes;
  }

  /** The printer stops taking bytes (a jammed or hung printer) until `resume`. */
  stall(): void {
    if (this.stalled) return;
    let release!: () => void;
    const resume = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.stalled = { resume, release };
  }

  resume(): void {
    this.stalled?.release();
    this.stalled = null;
  }

  // --- inside ---

  private read(): PrinterStatus {
    const online = this.plugged && this.started;
    return {
      condition: online ? this.hardware : 'offline',
      model: online ? this.model : null,
      at: this.now(),
    };
  }

  private update(): void {
    const next = this.read();
    if (next.condition === this.current.condition && next.model === this.current.model) return;
    this.current = next;
    for (const listener of this.listeners) listener(next);
  }

  private refusal(): PrintError | null {
    const refusal = REFUSALS[this.current.condition];
    return refusal ? new PrintError(...refusal) : null;
  }

  private async send(job: Uint8Array, timeoutMs: number): Promise<void> {
    const refused = this.refusal();
    if (refused) throw refused;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new PrintError('print-timeout', `The receipt printer took no more data for ${timeoutMs} ms.`));
      }, timeoutMs);
    });
    try {
      await Promise.race([this.transfer(job, () => timedOut), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async transfer(job: Uint8Array, abandoned: () => boolean): Promise<void> {
    const cutAt = this.cutAfter;
    this.cutAfter = null;
    for (let offset = 0; offset < job.length; offset += this.chunkBytes) {
      while (this.stalled) await this.stalled.resume;
      if (abandoned()) return;
      const lost = this.refusal();
      if (lost)
        throw new PrintError('write-failed', `${lost.message} The receipt was cut off while printing.`);
      let end = Math.min(offset + this.chunkBytes, job.length);
      if (cutAt !== null && end > cutAt) end = cutAt;
      if (end > offset) this.take(job.subarray(offset, end));
      if (cutAt !== null && end === cutAt) {
        this.unplug();
        throw new PrintError('write-failed', 'The receipt printer went away in the middle of a receipt.');
      }
      await null;
    }
  }

  private take(bytes: Uint8Array): void {
    const copy = Uint8Array.from(bytes);
    this.chunks.push(copy);
    for (const listener of this.paperListeners) listener(copy);
  }
}
