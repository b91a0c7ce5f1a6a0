import type { Logger } from '../../common/log/logger.js';
import type { Product } from '../checkout/domain/product.js';
import { formatReceiptNumber } from '../checkout/domain/receipt-number.js';
import type { CheckoutDomainEvent, SaleCompleted } from '../checkout/domain-events.js';
import type { PaymentOutcome } from '../journal/journal.js';
import type { ReceiptPayment } from '../journal/sqlite-journal.js';
import type { CashRegister } from './cash-register.js';
import type { CashRegisterStore } from './journal-store.js';
import { numberFate, recoveredSale, voidReason } from './recovered-sales.js';

export interface RecorderParts {
  register: CashRegister;
  store: CashRegisterStore;
  checkout: { onDomainEvent(listener: (event: CheckoutDomainEvent) => void): () => void };
  catalog: {
    all(): readonly Product[];
    onReload(listener: (products: readonly Product[]) => void): () => void;
  };
  softwareVersion: string;
  /** The receipt counter (FileReceiptNumbers): at start it gives back the last number if nothing used it. */
  receiptCounter?: { giveBackUnused(used: (receiptNumber: string) => boolean): Promise<number> };
  /** The payment journal: what each receipt number's payments came to (SqliteJournal). */
  payments?: { receiptPayments(receiptNumber: string): ReceiptPayment[] };
  /** Crash recovery: each payment it followed to the end (RecoveryService). */
  recovery?: { onSettled(listener: (reference: string, outcome: PaymentOutcome) => void): () => void };
  /**
   * A printer prints each sale's receipt, and its outcome journals it printed or shown (receiptOutcome).
   * Without one, every receipt is journaled as shown only (13030) with its sale.
   */
  printing?: boolean;
  logger: Logger;
  /** Training mode's payment route: a sale it paid to the sandbox is journaled as a training sale. */
  training?: { isTraining(reference: string): boolean };
  /** A write failed (the message says why), or, with null, the journal is written again. */
  onFault(message: string | null): void;
}

type ReceiptRef = { receiptNumber: string; reference: string };

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
 * A crash in that window, or between the capture and `sale.completed`, leaves the sale in the payment
 * journal only: the next start journals it from there, late but complete (recovered-sales.ts).
 *
 * Receipt numbers: every number is used by one sale or journaled void. A number whose payment a crash cut
 * off waits (`pending`) until crash recovery settles it: captured, it is a sale; released, it is void.
 * Sales are recognised by their reference, so recovery's capture and the session's own `sale.completed`
 * never journal one sale twice.
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
  /** Numbers from before this start whose payment is still open: recovery decides sale or void. */
  private readonly pending = new Set<number>();
  /** The references of every sale journaled (or waiting for the disk). */
  private readonly sold = new Set<string>();
  /** The transaction number of each sale whose receipt is still being printed, by receipt number. */
  private readonly awaitingPrint = new Map<string, number | null>();

  constructor(private readonly parts: RecorderParts) {}

  async start(): Promise<void> {
    const { register, store, checkout, catalog, softwareVersion, receiptCounter, payments, recovery } =
      this.parts;
    const sales = store.ofKind('sale').map((row) => JSON.parse(row.data) as ReceiptRef);
    for (const sale of sales) this.sold.add(sale.reference);
    const accounted = new Set(
      [...sales, ...store.ofKind('receipt.void').map((row) => JSON.parse(row.data) as ReceiptRef)].map(
        (data) => data.receiptNumber,
      ),
    );
    const reserved =
      (await receiptCounter?.giveBackUnused(
        (n) => accounted.has(n) || (payments?.receiptPayments(n).length ?? 0) > 0,
      )) ?? 0;
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
      recovery?.onSettled((reference, outcome) => this.recovered(reference, outcome)) ?? (() => {}),
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
   * Every receipt number the counter reserved before this start and no sale journaled: sold if its payment
   * was captured (the sale is journaled now), waiting if its payment is still open (recovery settles it),
   * else void with how its payment ended. The journal's numbers start where its first start says.
   */
  private accountForReservedNumbers(reserved: number): void {
    const { store } = this.parts;
    const accounted = new Set(
      [...store.ofKind('sale'), ...store.ofKind('training.sale'), ...store.ofKind('receipt.void')].map(
        (row) => Number((JSON.parse(row.data) as ReceiptRef).receiptNumber),
      ),
    );
    const [first] = store.ofKind('application.start');
    const from =
      (first && (JSON.parse(first.data) as { receiptNumbersFrom?: string }).receiptNumbersFrom) ?? null;
    // From the journal's first number, not its highest: a number that waited for recovery when the kiosk
    // stopped again is still open below later sales.
    // (A loop, not Math.min(...): years of numbers are too many arguments for one call.)
    let [lowest, highest] = [from !== null ? Number(from) : Number.POSITIVE_INFINITY, 0];
    for (const n of accounted) [lowest, highest] = [Math.min(lowest, n), Math.max(highest, n)];
    if (lowest === Number.POSITIVE_INFINITY) lowest = reserved + 1;
    for (let n = lowest; n <= reserved; n++) if (!accounted.has(n)) this.settleNumber(n, 'at-start');
    this.nextUnaccounted = Math.max(lowest, reserved + 1, highest + 1);
  }

  /** Journals what number `n`'s payments came to, or keeps it waiting while one is open. */
  private settleNumber(n: number, when: 'at-start' | 'recovered'): void {
    const receiptNumber = formatReceiptNumber(n);
    const fate = numberFate(this.parts.payments?.receiptPayments(receiptNumber) ?? []);
    if (fate.kind === 'pending') {
      this.pending.add(n);
      return;
    }
    this.pending.delete(n);
    if (fate.kind === 'sold') {
      this.parts.logger.warn('a sale the customer session did not finish is journaled late', {
        reference: fate.payment.reference,
      });
      this.journalSale(recoveredSale(receiptNumber, fate.payment));
      return;
    }
    const details = { receiptNumber, reason: voidReason(fate.outcome, when), amount: fate.amount };
    this.record(() => this.parts.register.voided(details));
  }

  /** Crash recovery settled a payment: a number that waited for it is now sold or void. */
  private recovered(reference: string, outcome: PaymentOutcome): void {
    const receipt = RECEIPT_IN_REFERENCE.exec(reference)?.[1];
    if (receipt === undefined || this.sold.has(reference)) return; // the session's own sale came first
    if (this.pending.has(Number(receipt))) {
      this.settleNumber(Number(receipt), 'recovered');
      return;
    }
    // Its number was not waiting: the session let go of it, so the kiosk never sold it. Money taken
    // anyway was captured by hand outside the kiosk, and is the store's to register.
    if (outcome === 'captured')
      this.parts.logger.error(
        'a payment the kiosk let go of was captured outside the kiosk; it is not in the cash-register journal',
        { reference },
      );
  }

  private outcome(reference: string | null, reason: string, amount: number | null, replaces = true): void {
    const receipt = reference && RECEIPT_IN_REFERENCE.exec(reference)?.[1];
    if (!receipt || (!replaces && this.outcomes.has(Number(receipt)))) return;
    this.outcomes.set(Number(receipt), { reason, amount });
  }

  /** Journals as void every unaccounted number up to `last` (not those waiting), each with how its payment ended. */
  private voidUpTo(last: number, otherwise: string): void {
    if (this.nextUnaccounted === null) return;
    for (let n = this.nextUnaccounted; n <= last; n++) {
      if (this.pending.has(n)) continue;
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
    if (this.sold.has(event.reference)) return;
    // Numbers are handed out in order: any before this sale's that no sale used never will be.
    const number = Number(event.receiptNumber);
    this.voidUpTo(number - 1, 'not used: no payment completed with it');
    this.nextUnaccounted = Math.max(this.nextUnaccounted ?? 0, number + 1);
    this.journalSale(event);
  }

  private journalSale(event: SaleCompleted): void {
    const { register } = this.parts;
    this.sold.add(event.reference);
    if (this.parts.training?.isTraining(event.reference)) {
      // Its number is used (by a training receipt); no money moved, so no 13030 either.
      this.record(() => register.trainingSale(event));
      return;
    }
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
