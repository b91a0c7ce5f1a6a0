import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDurably } from '../../../common/durable-file.js';

/** Hands out receipt numbers that never repeat on this kiosk, not even across restarts or power cuts. */
export interface ReceiptNumbers {
  next(): Promise<string>;
  /**
   * A moment when no customer waits on the disk (the payment request the last number went into has been
   * answered): the next number may be reserved now, so `next` hands it out without writing.
   */
  reserveAhead?(): void;
}

export const RECEIPT_COUNTER_FILE = 'receipt-counter';
const DIGITS = 10;
const LARGEST = 10 ** DIGITS - 1;

/** `42` → `0000000042`. */
export function formatReceiptNumber(n: number): string {
  return String(n).padStart(DIGITS, '0');
}

export abstract class ReceiptCounterError extends Error {
  readonly path: string;

  constructor(path: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
  }
}

/**
 * The counter file holds something other than a number. Starting again from 1 would repeat receipt
 * numbers, so the kiosk refuses to guess.
 */
export class ReceiptCounterCorruptError extends ReceiptCounterError {
  override readonly name = 'ReceiptCounterCorruptError';

  constructor(path: string, content: string) {
    super(
      path,
      `Receipt counter ${path} is corrupt (it holds ${JSON.stringify(content.slice(0, 40))}, expected the last ` +
        `receipt number as up to ${DIGITS} digits). Do not reset it to 0: write the highest receipt number ` +
        'found in the journal into it, then restart the kiosk.',
    );
  }
}

export class ReceiptCounterExhaustedError extends ReceiptCounterError {
  override readonly name = 'ReceiptCounterExhaustedError';

  constructor(path: string) {
    super(path, `Receipt counter ${path} has reached ${LARGEST}, the largest ${DIGITS}-digit receipt number`);
  }
}

export class ReceiptCounterUnavailableError extends ReceiptCounterError {
  override readonly name = 'ReceiptCounterUnavailableError';

  constructor(path: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      path,
      `Receipt counter ${path} cannot be read or written (${reason}); check that the state directory exists ` +
        'and belongs to the kiosk user',
      { cause },
    );
  }
}

/**
 * Keeps the last receipt number reserved in `<stateDirectory>/receipt-counter`. A number is written
 * durably (temp file, fsync, rename, fsync of the directory) before it is handed out, so after a power
 * cut the file holds at least every number a customer may have seen: a number can be skipped, never
 * repeated. The checkout reserves the next number ahead once the payment request a number went into has
 * been answered (`reserveAhead`), so the fsyncs stay off the next customer's path; the number reserved
 * ahead and never handed out is given back at the next start (`giveBackUnused`). The daemon is the only
 * process that uses the file.
 *
 * Each write is synchronous and over when its call returns (common/durable-file.ts says why).
 */
export class FileReceiptNumbers implements ReceiptNumbers {
  readonly stateDirectory: string;
  /** Reserved on disk and not handed out yet. */
  private ahead: string | undefined;

  constructor(stateDirectory: string) {
    this.stateDirectory = stateDirectory;
  }

  /** The number reserved ahead, or (none reserved, or its reservation failed on a full disk, say) a new one. */
  next(): Promise<string> {
    try {
      const number = this.ahead ?? this.reserve();
      this.ahead = undefined;
      return Promise.resolve(number);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  reserveAhead(): void {
    if (this.ahead !== undefined) return;
    try {
      this.ahead = this.reserve();
    } catch {
      // Tried again by the next `next`, which reports it.
    }
  }

  /** The last number reserved, handed out or not (0 before the first). */
  lastReserved(): Promise<number> {
    try {
      return Promise.resolve(this.readLast(this.counterPath()));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * At start, before the first `next`: the last reserved number goes back to the counter when nothing used
   * it (`used`: the payment journal or the cash register knows it). That is the number reserved ahead, or
   * one handed out in the instant before a crash, before its payment request was journaled: no Vipps
   * request, no screen and no receipt carried it, so handing it out again repeats nothing, and a restart
   * does not burn a number. Only the last: the one before it was handed out when the last was reserved, and
   * if nothing used it either it is journaled void. Returns the last reserved number after.
   */
  giveBackUnused(used: (receiptNumber: string) => boolean): Promise<number> {
    if (this.ahead !== undefined)
      throw new Error(
        'receipt numbers: a number is given back only at start, before the first is handed out',
      );
    const path = this.counterPath();
    try {
      const last = this.readLast(path);
      if (last === 0 || used(formatReceiptNumber(last))) return Promise.resolve(last);
      this.write(path, last - 1);
      return Promise.resolve(last - 1);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Nothing is left to write: every write is over when its call returns (kept for the daemon's stop). */
  async close(): Promise<void> {}

  private reserve(): string {
    const path = this.counterPath();
    const last = this.readLast(path);
    if (last >= LARGEST) throw new ReceiptCounterExhaustedError(path);
    this.write(path, last + 1);
    return formatReceiptNumber(last + 1);
  }

  private counterPath(): string {
    return join(this.stateDirectory, RECEIPT_COUNTER_FILE);
  }

  private readLast(path: string): number {
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch (error) {
      // A kiosk that has never sold anything has no counter yet.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw new ReceiptCounterUnavailableError(path, error);
    }
    const match = /^(\d{1,10})\n?$/.exec(content);
    if (!match) throw new ReceiptCounterCorruptError(path, content);
    return Number(match[1]);
  }

  private write(path: string, last: number): void {
    try {
      // Only the daemon reads it (mode 0600): how many sales a kiosk made is the merchant's business.
      writeDurably(path, `${last}\n`);
    } catch (error) {
      throw new ReceiptCounterUnavailableError(path, error);
    }
  }
}
