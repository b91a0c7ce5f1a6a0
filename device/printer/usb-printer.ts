import type { Logger } from '../../common/log/logger.js';
import type { UsbChange, UsbHotplug } from '../hardware/usb-hotplug.js';
import { choosePrinter, describePrinter, type UsbPrinterCandidate } from './known-printers.js';
import { PrintError, type PrinterCondition, type PrinterPort, type PrinterStatus } from './printer-port.js';
import {
  conditionFromPortStatus,
  conditionFromRealtime,
  decodeRealtimeStatus,
  isRealtimeAnswer,
  REALTIME_STATUS_QUERIES,
  type RealtimeQuery,
  realtimeStatusQuery,
} from './printer-status-usb.js';
import type { UsbPrinterBus, UsbPrinterLink } from './usb-printer-libusb.js';

export interface UsbPrinterOptions {
  /** Configured printer; without it the first printer-class interface, else a known maker's. */
  vendorId?: number | undefined;
  productId?: number | undefined;
  /** A job that has not reached the printer in full by then fails with `print-timeout`. */
  jobTimeoutMs: number;
  /** How often the status is read while a printer is attached, and looked for while none is. */
  pollMs: number;
  /** After a USB attach: how long the kernel may take before the device can be opened. */
  settleMs: number;
  /** How long a DLE EOT answer may take before the printer is taken for one that does not answer. */
  answerTimeoutMs: number;
  logger: Logger;
  now?: () => number;
}

const SETTLE_TRIES = 5;
const HOTPLUG_BACKSTOP = 6;
/** After this many status reads without a DLE EOT answer the port status alone is used. */
const UNANSWERED_LIMIT = 3;
const STATUS_TIMEOUT_MS = 1000;

const refusal: Partial<Record<PrinterCondition, { code: string; message: string }>> = {
  offline: { code: 'printer-offline', message: 'the receipt printer is offline (switched off or in error)' },
  'paper-out': { code: 'paper-out', message: 'the receipt printer is out of paper' },
  'cover-open': { code: 'cover-open', message: "the receipt printer's cover is open" },
};

/**
 * An ESC/POS receipt printer on USB, found by class or maker and reconnected by itself after an
 * unplug. Jobs and status reads share the one USB link in turn, so a DLE EOT query never lands in the
 * middle of a job's bytes (where a printer could take it for image data).
 */
export class UsbPrinter implements PrinterPort {
  private readonly listeners = new Set<(status: PrinterStatus) => void>();
  private link: UsbPrinterLink | null = null;
  private candidate: UsbPrinterCandidate | null = null;
  private current: PrinterStatus;
  private turn: Promise<unknown> = Promise.resolve();
  private connecting: Promise<void> | null = null;
  private pollTimer: NodeJS.Timeout | undefined;
  private running = false;
  private unanswered = 0;
  private lastProblem = '';
  private readonly now: () => number;

  constructor(
    private readonly bus: UsbPrinterBus,
    private readonly hotplug: UsbHotplug | null,
    private readonly options: UsbPrinterOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.current = { condition: 'offline', model: null, at: this.now() };
  }

  async start(): Promise<void> {
    this.running = true;
    this.hotplug?.start((change) => this.onUsbChange(change));
    await this.connect();
    if (!this.link)
      this.options.logger.warn('no receipt printer found; the kiosk takes one when it is plugged in');
    this.schedulePoll();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.pollTimer);
    this.hotplug?.stop();
    await this.connecting;
    await this.turn;
    const link = this.link;
    this.link = null;
    this.candidate = null;
    await link?.close();
  }

  status(): PrinterStatus {
    return this.current;
  }

  onStatus(listener: (status: PrinterStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  print(job: Uint8Array, options?: { timeoutMs?: number }): Promise<void> {
    return this.inTurn(() => this.printNow(job, options?.timeoutMs ?? this.options.jobTimeoutMs));
  }

  /** Runs `work` after everything queued before it, whether that succeeded or not. */
  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const result = this.turn.then(work, work);
    this.turn = result.catch(() => undefined);
    return result;
  }

  private async printNow(job: Uint8Array, timeoutMs: number): Promise<void> {
    const deadline = this.now() + timeoutMs;
    if (!this.link) await this.connect();
    const link = this.link;
    if (!link) throw new PrintError('printer-offline', 'no receipt printer is connected');
    // The status read first: a job sent to a printer without paper would sit in its buffer and
    // come out, maybe half, whenever the paper is changed.
    await this.readStatus(link);
    const refused = refusal[this.current.condition];
    if (refused) throw new PrintError(refused.code, refused.message);
    const left = deadline - this.now();
    if (left <= 0)
      throw new PrintError('print-timeout', `the receipt printer did not answer within ${timeoutMs} ms`);
    const { sent, failure } = await link.write(job, left);
    if (!failure) return;
    // Not sent again here: the printer may already have printed the part it took. The caller decides.
    const took = `the printer took ${sent} of ${job.length} bytes, so the receipt may be cut short`;
    if (failure.kind === 'gone') {
      await this.lost(link, 'unplugged while printing');
      throw new PrintError('printer-offline', `the receipt printer went away while printing: ${took}`);
    }
    if (failure.kind === 'timeout') {
      throw new PrintError(
        'print-timeout',
        `the receipt printer stopped taking data for ${timeoutMs} ms: ${took}`,
      );
    }
    throw new PrintError('write-failed', `the receipt printer failed (${failure.message}): ${took}`);
  }

  private schedulePoll(): void {
    if (!this.running) return;
    clearTimeout(this.pollTimer);
    const delay = this.link || !this.hotplug ? this.options.pollMs : this.options.pollMs * HOTPLUG_BACKSTOP;
    this.pollTimer = setTimeout(() => void this.poll(), delay);
    this.pollTimer.unref();
  }

  private async poll(): Promise<void> {
    if (!this.link) await this.connect();
    const link = this.link;
    if (link) await this.inTurn(() => this.readStatus(link));
    this.schedulePoll();
  }

  /** Looks for the printer once and opens it; at most one look at a time. */
  private connect(): Promise<void> {
    this.connecting ??= this.tryConnect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async tryConnect(): Promise<void> {
    if (!this.running || this.link) return;
    try {
      const candidate = choosePrinter(await this.bus.candidates(), this.options);
      if (!candidate) return;
      const link = await this.bus.open(candidate);
      if (!this.running) return void (await link.close());
      this.link = link;
      this.candidate = candidate;
      this.unanswered = 0;
      this.lastProblem = '';
      this.options.logger.info('receipt printer attached', {
        printer: describePrinter(candidate),
        status: link.bidirectional ? 'ESC/POS real-time status' : 'USB port status',
      });
      await this.inTurn(() => this.readStatus(link));
    } catch (error) {
      this.reportProblem(error as Error);
    }
  }

  private reportProblem(error: Error): void {
    const message = String(error.message ?? error);
    if (message === this.lastProblem) return;
    this.lastProblem = message;
    const hint = /ACCESS|permission/i.test(message)
      ? ' (the kiosk user may not open the printer: install.sh installs /etc/udev/rules.d/70-vipps-kiosk.rules, and the user must be in plugdev)'
      : '';
    this.options.logger.warn(`cannot open the receipt printer: ${message}${hint}`);
  }

  private async readStatus(link: UsbPrinterLink): Promise<void> {
    if (link !== this.link) return;
    try {
      const condition =
        (await this.realtimeCondition(link)) ?? conditionFromPortStatus(await link.portStatus());
      this.publish(condition);
    } catch (error) {
      // A status read that fails is a printer that left the bus (its detach may still be on the way).
      await this.lost(link, (error as Error).message);
    }
  }

  /** DLE EOT 1, 2 and 4, one at a time; null when the printer cannot or does not answer. */
  private async realtimeCondition(link: UsbPrinterLink): Promise<PrinterCondition | null> {
    if (!link.bidirectional || this.unanswered >= UNANSWERED_LIMIT) return null;
    const answers: Partial<Record<RealtimeQuery, number>> = {};
    for (const n of REALTIME_STATUS_QUERIES) {
      const { failure } = await link.write(realtimeStatusQuery(n), STATUS_TIMEOUT_MS);
      if (failure) throw new Error(failure.message);
      const answer = await link.read(64, this.options.answerTimeoutMs);
      // The last byte: a late answer to an earlier query may come in the same transfer.
      const byte = answer?.[answer.length - 1];
      if (byte === undefined || !isRealtimeAnswer(byte)) {
        if (++this.unanswered === UNANSWERED_LIMIT) {
          this.options.logger.warn(
            'the receipt printer does not answer DLE EOT; only its USB port status is read',
          );
        }
        return null;
      }
      answers[n] = byte;
    }
    this.unanswered = 0;
    return conditionFromRealtime(decodeRealtimeStatus(answers as Record<RealtimeQuery, number>));
  }

  private publish(condition: PrinterCondition): void {
    const model = this.candidate ? describePrinter(this.candidate) : null;
    if (condition === this.current.condition && model === this.current.model) return;
    this.current = { condition, model, at: this.now() };
    if (this.running) this.options.logger.info('receipt printer status', { condition, printer: model });
    for (const listener of this.listeners) listener(this.current);
  }

  private async lost(link: UsbPrinterLink, reason: string): Promise<void> {
    if (link !== this.link) return;
    const printer = this.candidate ? describePrinter(this.candidate) : 'receipt printer';
    this.link = null;
    this.candidate = null;
    await link.close();
    this.options.logger.warn('receipt printer detached', { printer, reason });
    this.publish('offline');
  }

  private onUsbChange(change: UsbChange): void {
    if (change.type === 'attach' && !this.link) void this.connectAfterSettle();
    if (
      change.type === 'detach' &&
      this.link &&
      this.candidate?.vendorId === change.vendorId &&
      this.candidate.productId === change.productId
    ) {
      void this.lost(this.link, 'unplugged');
    }
  }

  private async connectAfterSettle(): Promise<void> {
    for (let i = 0; i < SETTLE_TRIES && this.running && !this.link; i++) {
      await new Promise((resolve) => setTimeout(resolve, this.options.settleMs).unref());
      await this.connect();
    }
  }
}
