import type { Logger } from '../../common/log/logger.js';
import type { Product } from '../checkout/domain/product.js';
import { formatReceiptNumber } from '../checkout/domain/receipt-number.js';
import type { CheckoutDomainEvent, SaleCompleted } from '../checkout/domain-events.js';
import type { CashRegister } from './cash-register.js';
import type { CashRegisterStore } from './journal-store.js';

export interface RecorderParts {
  register: CashRegister;
  store: CashRegisterStore;
  checkout: { onDomainEvent(listener: (event: CheckoutDomainEvent) => void): () => void };
  catalog: {
    all(): readonly Product[];
    onReload(listener: (products: readonly Product[]) => void): () => void;
  };
  softwareVersion: string;
  /**
   * A printer prints each sale's receipt, and its outcome journals it printed or shown (receiptOutcome).
   * Without one, every receipt is journaled as shown only (13030) with its sale.
   */
  printing?: boolean;
  /** The receipt counter's last reserved number (FileReceiptNumbers.lastReserved), read at start. */
  lastReservedReceipt?: () => Promise<number>;
  logger: Logger;
  /** A write failed (the message says why), or, with null, the journal is written again. */
  onFault(message: string | null): void;
}

/** `<kiosk>-<receipt number>-<attempt>` → the receipt number. */
const RECEIPT_IN_REFERENCE = /-(\d{10})-\d{1,6}$/;

/**
 * Feeds the cash-register journal from the checkout's domain events and the catalog's reloads (never from
 * the screen), in the order they happen.
 *
 * Why a sale is never lost when a write fails (a full disk): `sale.completed` is emitted only after the
 * payment journal holds the capture and the receipt lines, so the sale is on disk there first. Here the
 * rows that could not be written wait in order, in memory, and are written before anything newer as soon
 * as a write succeeds again (the next event, or stop); meanwhile staff and HQ see a critical alert.
 * A crash in that window leaves the sale in the payment journal only, which the alert has pointed to.
 */
export class CashRegisterRecorder {
  readonly name = 'cash-register journal';
  private readonly waiting: Array<() => void> = [];
  private readonly unsubscribe: Array<() => void> = [];
  private faulty = false;
  /** The next receipt number not yet accounted for (by a sale or a void row); null on a fresh journal. */
  private nextUnaccounted: number | null = null;
  /** How each receipt number's last payment attempt ended, for the reason its void row gives. */
  private readonly outcomes = new Map<number, { reason: string; amount: number | null }>();
  /** The transaction number of each sale whose receipt is still being printed, by receipt number. */
  private readonly awaitingPrint = new Map<string, number | null>();

  constructor(private readonly parts: RecorderParts) {}

  async start(): Promise<void> {
    const { register, store, checkout, catalog, softwareVersion, lastReservedReceipt } = this.parts;
    const reserved = (await lastReservedReceipt?.()) ?? 0;
    // A new journal says where its receipt numbers start: earlier ones were sold before it existed.
    const firstStart = store.ofKind('application.start').length === 0;
    register.started(
      catalog.all(),
      softwareVersion,
      firstStart ? { receiptNumbersFrom: formatReceiptNumber(reserved + 1) } : {},
    );
    this.accountForReservedNumbers(reserved);
    this.unsubscribe.push(
      checkout.onDomainEvent((event) => {
        if (event.type === 'sale.completed') this.sale(event);
        else if (event.type === 'payment.declined')
          this.outcome(event.reference, `payment declined (${event.reason})`, event.amount);
        else if (event.type === 'payment.cancelled')
          this.outcome(event.reference, 'payment cancelled', event.amount);
        // Letting go of a reference follows a decline or cancel too: it names the end only when nothing did.
        else if (event.type === 'payment.abandoned')
          this.outcome(event.reference, 'payment abandoned (the customer left it)', null, false);
      }),
      catalog.onReload((products) => this.record(() => register.prices(products))),
    );
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    this.record(() => this.parts.register.stopped());
    this.parts.store.close();
  }

  /**
   * How the sale's receipt ended at the printer: printed in full (13012), or given on screen and in the
   * Vipps app only (13030) because the printer could not print it.
   */
  receiptOutcome(receiptNumber: string, printed: boolean): void {
    const { register } = this.parts;
    this.record(() => {
      const transNr = this.awaitingPrint.get(receiptNumber) ?? null;
      if (printed) register.receiptPrinted(transNr, receiptNumber);
      else register.receiptShown(transNr, receiptNumber);
      this.awaitingPrint.delete(receiptNumber);
    });
  }

  /** Rows still waiting for the disk (0 when all is written). */
  get backlog(): number {
    return this.waiting.length;
  }

  /**
   * Every receipt number the counter reserved before this start and no sale used is void: its payment
   * did not complete before the stop or crash, or it was reserved ahead and never handed out. The
   * journal's numbers start where its first start says.
   */
  private accountForReservedNumbers(reserved: number): void {
    const { store } = this.parts;
    const accounted = [...store.ofKind('sale'), ...store.ofKind('receipt.void')].map((row) =>
      Number((JSON.parse(row.data) as { receiptNumber: string }).receiptNumber),
    );
    const [first] = store.ofKind('application.start');
    const from =
      (first && (JSON.parse(first.data) as { receiptNumbersFrom?: string }).receiptNumbersFrom) ?? null;
    this.nextUnaccounted =
      accounted.length > 0 ? Math.max(...accounted) + 1 : from !== null ? Number(from) : reserved + 1;
    this.voidUpTo(
      reserved,
      'not used: the kiosk stopped or restarted before a sale with it (reserved ahead, or its payment was cut off)',
    );
  }

  private outcome(reference: string | null, reason: string, amount: number | null, replaces = true): void {
    const receipt = reference && RECEIPT_IN_REFERENCE.exec(reference)?.[1];
    if (!receipt || (!replaces && this.outcomes.has(Number(receipt)))) return;
    this.outcomes.set(Number(receipt), { reason, amount });
  }

  /** Journals as void every unaccounted number up to `last`, each with how its payment ended. */
  private voidUpTo(last: number, otherwise: string): void {
    if (this.nextUnaccounted === null) return;
    for (let n = this.nextUnaccounted; n <= last; n++) {
      const known = this.outcomes.get(n);
      this.outcomes.delete(n);
      const details = {
        receiptNumber: formatReceiptNumber(n),
        reason: known?.reason ?? otherwise,
        amount: known?.amount ?? null,
      };
      this.record(() => this.parts.register.voided(details));
    }
    this.nextUnaccounted = Math.max(this.nextUnaccounted, last + 1);
  }

  /** The signed sale and its receipt are two rows: a retry after a failure never writes the sale twice. */
  private sale(event: SaleCompleted): void {
    const { register } = this.parts;
    // Numbers are handed out in order: any before this sale's that no sale used never will be.
    const number = Number(event.receiptNumber);
    this.voidUpTo(number - 1, 'not used: no payment completed with it');
    this.nextUnaccounted = Math.max(this.nextUnaccounted ?? 0, number + 1);
    if (this.parts.printing) {
      this.record(() => {
        this.awaitingPrint.set(event.receiptNumber, register.sale(event).transNr);
      });
      return;
    }
    let transNr: number | null = null;
    this.record(
      () => {
        transNr = register.sale(event).transNr;
      },
      () => register.receiptShown(transNr, event.receiptNumber),
    );
  }

  private record(...writes: Array<() => void>): void {
    this.waiting.push(...writes);
    while (this.waiting.length > 0) {
      try {
        this.waiting[0]!();
      } catch (error) {
        // Whatever went wrong stays here: thrown into the checkout's event it would stop the till.
        const message = error instanceof Error ? error.message : String(error);
        this.parts.logger.error(message, { waiting: String(this.waiting.length) });
        this.faulty = true;
        this.parts.onFault(
          `The cash-register journal cannot be written (${message}); ${this.waiting.length} event(s) wait ` +
            'in memory and the payment journal holds the sales. Free disk space now.',
        );
        return;
      }
      this.waiting.shift();
    }
    if (this.faulty) {
      this.faulty = false;
      this.parts.onFault(null);
    }
  }
}
