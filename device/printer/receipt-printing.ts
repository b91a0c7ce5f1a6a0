import type { Logger } from '../../common/log/logger.js';
import type { SalesReceipt } from '../../contracts/sales-receipt.js';
import type { CashRegisterReport } from '../../contracts/telemetry.js';
import type { ReportHeading } from '../cash-register/report-text.js';
import type { CheckoutDomainEvent, SaleCompleted } from '../checkout/domain-events.js';
import { PrintError, type PrinterPort } from './printer-port.js';
import { encodeReport, encodeSalesReceipt, type PaperWidth } from './receipt-layout.js';

// Prints each sale's Salgskvittering as the sale completes, and whatever staff ask for (a copy, a return,
// a report). Jobs go out one at a time, in order, each with a timeout; a job that fails is tried once
// more, then reported. The sale is journaled either way (before this runs): here only how its receipt
// ended is told, printed in full or given on screen and in the Vipps app alone.

export interface PrintOutcome {
  receiptNumber: string;
  printed: boolean;
  /** Why it was not printed, after the retry. */
  error?: PrintError;
}

export interface ReceiptPrintingParts {
  printer: PrinterPort;
  paperWidth: PaperWidth;
  jobTimeoutMs: number;
  /** Before the one retry: a moment for a printer that was just replugged or had its cover shut. */
  retryDelayMs: number;
  /** The Salgskvittering of a sale, exactly as the screen shows it. */
  receiptOf(sale: SaleCompleted): SalesReceipt;
  checkout: { onDomainEvent(listener: (event: CheckoutDomainEvent) => void): () => void };
  /** How each sale's receipt ended (the cash-register journal writes 13012 or 13030 from it). */
  onOutcome(outcome: PrintOutcome): void;
  alerts: {
    raise(code: string, severity: 'warning', message: string): boolean;
    clear(code: string): boolean;
  };
  logger: Logger;
}

export type PrintResult = { ok: true } | { ok: false; error: PrintError };

/** Raised while the last job could not be printed even on its retry; cleared by the next job printed. */
export const PRINT_FAILED = 'printer-job-failed';

export class ReceiptPrinting {
  readonly name = 'receipt printing';
  private queue: Promise<unknown> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly parts: ReceiptPrintingParts) {}

  start(): void {
    this.unsubscribe = this.parts.checkout.onDomainEvent((event) => {
      if (event.type === 'sale.completed') void this.sale(event);
    });
  }

  /** Stops taking sales; jobs already queued are finished (each is bounded by its timeout). */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.idle();
  }

  /** Settles once every job handed in so far has printed or failed. */
  async idle(): Promise<void> {
    await this.queue;
  }

  /** Any receipt staff make (a copy, a Returkvittering, a training receipt). */
  printReceipt(receipt: SalesReceipt): Promise<PrintResult> {
    return this.print(encodeSalesReceipt(receipt, this.parts.paperWidth), `receipt ${receipt.receiptNumber}`);
  }

  /** An X or Z report, as staff mode, the CLI or HQ made it. */
  printReport(report: CashRegisterReport, heading: ReportHeading): Promise<PrintResult> {
    return this.print(
      encodeReport(report, heading, this.parts.paperWidth),
      `${report.kind.toUpperCase()} report`,
    );
  }

  /** A job already encoded (the test page): in turn, retried once, never thrown. */
  print(job: Uint8Array, what: string): Promise<PrintResult> {
    const run = this.queue.then(() => this.attempts(job, what));
    this.queue = run;
    return run;
  }

  private async sale(sale: SaleCompleted): Promise<void> {
    const result = await this.printReceipt(this.parts.receiptOf(sale));
    this.parts.onOutcome({
      receiptNumber: sale.receiptNumber,
      printed: result.ok,
      ...(result.ok ? {} : { error: result.error }),
    });
  }

  private async attempts(job: Uint8Array, what: string): Promise<PrintResult> {
    const { printer, jobTimeoutMs, retryDelayMs, logger, alerts } = this.parts;
    let error: PrintError | undefined;
    for (let attempt = 1; attempt <= 2; attempt++) {
      if (attempt === 2) await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
      try {
        await printer.print(job, { timeoutMs: jobTimeoutMs });
        alerts.clear(PRINT_FAILED);
        return { ok: true };
      } catch (thrown) {
        error =
          thrown instanceof PrintError
            ? thrown
            : new PrintError('write-failed', thrown instanceof Error ? thrown.message : String(thrown));
        logger.warn(`${what} not printed`, { attempt, code: error.code, error: error.message });
      }
    }
    alerts.raise(
      PRINT_FAILED,
      'warning',
      `A receipt or report could not be printed (${error!.message}); a sale's receipt is on the screen ` +
        'and in the Vipps app, and is journaled as not printed.',
    );
    return { ok: false, error: error! };
  }
}
