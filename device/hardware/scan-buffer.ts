import { type DroppedReason, MAX_SCAN_BYTES, type ScannerEvent } from './scanner-port.js';

export type DecodedEvent = Extract<ScannerEvent, { type: 'scan' | 'dropped' }>;

/**
 * One scan being assembled from reports. A scan is handed on whole or not at all: too long, garbled,
 * cut off by an unplug or by silence, it is dropped and the reason reported, so the customer is asked
 * to scan again and half a code never reaches the basket.
 */
export class ScanBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private problem: DroppedReason | null = null;
  /** When the last byte arrived; null while no scan is under way. */
  lastAt: number | null = null;

  append(bytes: Buffer, now: number): void {
    this.lastAt = now;
    if (this.problem) return;
    this.size += bytes.length;
    if (this.size > MAX_SCAN_BYTES) {
      this.problem = 'too-long';
      this.chunks = [];
      return;
    }
    this.chunks.push(bytes);
  }

  /** Marks the scan under way as unusable; it is reported when it ends. */
  spoil(reason: DroppedReason, now: number): void {
    this.lastAt = now;
    this.problem ??= reason;
  }

  get pending(): boolean {
    return this.lastAt !== null;
  }

  /** Ends the scan under way: a scan event, or a dropped one if anything went wrong. */
  finish(symbology: string | null): DecodedEvent {
    const event: DecodedEvent = this.problem
      ? { type: 'dropped', reason: this.problem, bytes: this.size }
      : { type: 'scan', text: Buffer.concat(this.chunks).toString('utf8'), symbology };
    this.reset();
    return event;
  }

  /** Ends the scan under way as dropped (unplug, silence); null when there was none. */
  abandon(reason: DroppedReason): DecodedEvent | null {
    if (!this.pending) return null;
    const event: DecodedEvent = { type: 'dropped', reason: this.problem ?? reason, bytes: this.size };
    this.reset();
    return event;
  }

  private reset(): void {
    this.chunks = [];
    this.size = 0;
    this.problem = null;
    this.lastAt = null;
  }
}

/** Both report decoders: reports in, whole scans (or drops) out; silence checked by the adapter's timer. */
export interface ReportDecoder {
  /** Reports may be a scanner's own input reports; anything malformed counts against the scan. */
  report(data: Buffer, now: number): DecodedEvent[];
  /** Called when the line has been quiet: ends a scan that has been waiting longer than allowed. */
  quiet(now: number): DecodedEvent | null;
  /** The device went away: whatever was half-read is dropped. */
  unplugged(): DecodedEvent | null;
  /** How long the adapter should wait before calling quiet(). */
  readonly quietAfterMs: number;
}
