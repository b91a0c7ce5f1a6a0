// Over 400 lines for a reason: the sale is one piece of state, and every step on it (scan, send, resume
// after a crash, follow, abort, club) keeps the same rules on when it is locked; split, they would drift.
import type { Logger } from '../../common/log/logger.js';
import { isFinalStatus, type PaymentRequest, type Transaction } from '../../contracts/terminal-api.js';
import type { PosCatalog } from '../catalog/pos-catalog.js';
import { type TerminalClient, TerminalProblemError } from '../client/terminal-client.js';
import { addItem, type BasketItem, priceBasket, setQuantity } from '../sale/basket.js';
import type { OpenPayment, OpenPaymentStore, SaleCustomer } from '../sale/open-payment.js';
import { msisdnOf } from '../sale/phone.js';
import type {
  CustomerView,
  Notice,
  PaymentView,
  RegisterAction,
  RegisterModel,
} from '../sale/register-model.js';
import { newTransactionId } from '../sale/transaction-id.js';
import { type ClubTerminal, RegisterClub } from './register-club.js';

/** What the register asks of the terminal: the typed client, or anything that answers the same. */
export type Terminal = Pick<TerminalClient, 'createPayment' | 'getPayment' | 'abort' | 'follow'> &
  ClubTerminal;

export interface RegisterOptions {
  terminal: Terminal;
  catalog: PosCatalog;
  logger: Logger;
  /** Waits `ms` (or less, when `signal` ends it) between tries at a terminal that does not answer. */
  delay?: (ms: number, signal: AbortSignal) => Promise<void>;
  newId?: () => string;
  /** Where the payment under way is kept across a crash of the till; none keeps it only in memory. */
  openPayment?: OpenPaymentStore;
}

/** How long to wait before asking a terminal that did not answer again. */
const RETRY_MS = 1_000;

/**
 * The sale at the till, held by `pos serve` so the page is only a view of it: the basket priced from the
 * catalog, who pays, the club status, and the running payment followed live on the terminal's event
 * stream. A terminal that does not answer is asked again with the same transaction id, which the
 * terminal takes as the same payment: a lost answer never charges twice. With an open-payment store the
 * id outlives the till itself: kept before the request leaves, and asked about again at the next start.
 */
export class Register {
  private items: readonly BasketItem[] = [];
  private customer: SaleCustomer | null = null;
  private payment: PaymentView | null = null;
  private notice: Notice | null = null;
  private readonly club: RegisterClub;
  private readonly listeners = new Set<(model: RegisterModel) => void>();
  /** Ends whatever the current sale has under way (following, polling) at the next sale or at close. */
  private sale = new AbortController();
  private readonly delay: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly newId: () => string;

  constructor(private readonly options: RegisterOptions) {
    this.delay = options.delay ?? abortableDelay;
    this.newId = options.newId ?? (() => newTransactionId());
    this.club = new RegisterClub({
      terminal: options.terminal,
      logger: options.logger,
      delay: this.delay,
      newId: this.newId,
      host: {
        changed: (notice) => (notice === undefined ? this.changed() : this.tell(notice)),
        signal: () => this.sale.signal,
      },
    });
  }

  model(): RegisterModel {
    const customer: CustomerView | null =
      this.customer === null
        ? null
        : this.customer.kind === 'phone'
          ? { kind: 'phone', phoneNumber: `+${this.customer.phoneNumber}` }
          : { kind: 'personal-qr' };
    return {
      currency: this.options.catalog.currency,
      basket: priceBasket(this.items, this.club.member()),
      customer,
      club: this.club.view,
      payment: this.payment,
      notice: this.notice,
      locked: this.locked(),
    };
  }

  /** Calls `listener` with the model at every change; returns how to stop. */
  subscribe(listener: (model: RegisterModel) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends what the sale has under way; the terminal keeps the payment, and `GET` finds it by its id. */
  close(): void {
    this.sale.abort();
  }

  handle(action: RegisterAction): void {
    switch (action.type) {
      case 'scan':
        this.scan(action.text);
        break;
      case 'set-quantity':
        this.change(() => {
          this.items = setQuantity(this.items, action.gtin, action.quantity);
        });
        break;
      case 'phone':
        this.usePhone(action.phoneNumber);
        break;
      case 'clear-customer':
        if (this.club.enrolling()) {
          this.tell({ kind: 'sale-locked' });
          break;
        }
        this.change(() => {
          this.customer = null;
          this.club.forget();
        });
        break;
      case 'send':
        void this.send();
        break;
      case 'abort':
        void this.abort();
        break;
      case 'next-sale':
        this.nextSale();
        break;
      case 'request-membership':
        if (this.customer?.kind === 'phone' && !this.locked() && !this.club.enrolling()) {
          void this.club.check(this.customer.phoneNumber);
        }
        break;
      case 'enrol':
        if (this.customer?.kind === 'phone' && !this.locked())
          void this.club.enrol(this.customer.phoneNumber);
        break;
      case 'abort-enrolment':
        void this.club.abortEnrolment();
        break;
    }
  }

  /** Changes the sale, unless its payment has started. */
  private change(edit: () => void): void {
    if (this.locked()) {
      this.tell({ kind: 'sale-locked' });
      return;
    }
    edit();
    this.tell(null);
  }

  /** A payment is under way, or done: the sale can no longer change. */
  private locked(): boolean {
    return this.payment !== null && (this.running() || this.payment.status === 'completed');
  }

  private running(): boolean {
    return this.payment !== null && !this.payment.final;
  }

  private changed(): void {
    const model = this.model();
    for (const listener of this.listeners) listener(model);
  }

  private tell(notice: Notice | null): void {
    this.notice = notice;
    this.changed();
  }

  private scan(scanned: string): void {
    const text = scanned.trim();
    if (this.locked()) {
      this.tell({ kind: 'sale-locked' });
      return;
    }
    if (/^(\d{8}|\d{12}|\d{13})$/.test(text)) {
      const product = this.options.catalog.lookup(text);
      if (product === undefined) {
        this.tell({ kind: 'not-in-catalog', code: text });
        return;
      }
      this.items = addItem(this.items, product);
      this.tell({ kind: 'added', name: product.name });
      return;
    }
    // Vipps' personal QR is sent whole, as it is: its content may change without notice, and the
    // terminal (then Vipps) decides whether it names a customer.
    if (text.startsWith('https://')) {
      this.customer = { kind: 'personal-qr', text };
      this.tell({ kind: 'customer-scanned' });
      return;
    }
    this.tell({ kind: 'unknown-code' });
  }

  private usePhone(typed: string): void {
    if (this.locked() || this.club.enrolling()) {
      this.tell({ kind: 'sale-locked' });
      return;
    }
    const phoneNumber = msisdnOf(typed, this.options.catalog.currency);
    if (phoneNumber === undefined) {
      this.tell({ kind: 'bad-phone' });
      return;
    }
    if (this.customer?.kind !== 'phone' || this.customer.phoneNumber !== phoneNumber) this.club.forget();
    this.customer = { kind: 'phone', phoneNumber };
    this.tell(null);
  }

  private nextSale(): void {
    if (this.running() || this.club.enrolling()) {
      this.tell({ kind: 'sale-locked' });
      return;
    }
    this.sale.abort();
    this.sale = new AbortController();
    this.items = [];
    this.customer = null;
    this.club.forget();
    this.payment = null;
    this.tell(null);
  }

  private async send(): Promise<void> {
    if (this.locked() || this.club.enrolling() || this.items.length === 0) return;
    const basket = priceBasket(this.items, this.club.member());
    const request: PaymentRequest = {
      posTransactionId: this.newId(),
      amount: { value: basket.total, currency: this.options.catalog.currency },
      // The terminal takes each unit's price after the member discount; a line's discount is whole units.
      lines: basket.lines.map((line) => ({
        id: line.gtin,
        name: line.name,
        quantity: line.quantity,
        unitPrice: line.total / line.quantity,
        vatRate: line.vatRate,
      })),
      ...(this.customer === null
        ? {}
        : this.customer.kind === 'phone'
          ? { customer: { phoneNumber: this.customer.phoneNumber } }
          : { customer: { personalQr: this.customer.text } }),
    };
    const id = request.posTransactionId;
    this.payment = { id, status: 'requesting', amount: basket.total, final: false, aborting: false };
    this.tell(null);
    const signal = this.sale.signal;
    try {
      // Kept before it leaves: a till that crashes from here on asks for this id again, never a new one.
      await this.options.openPayment?.write({
        request,
        items: this.items,
        customer: this.customer,
        club: this.club.kept(),
      });
    } catch (error) {
      this.options.logger.error('could not keep the payment before sending it; nothing was sent', {
        posTransactionId: id,
        error: String(error),
      });
      this.payment = null;
      this.tell({ kind: 'not-saved', reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (await this.submit(request, signal)) await this.follow(id, signal);
  }

  /**
   * At the till's start, with the payment it kept before a crash: asked about by its own id, shown, and
   * followed until final. One the terminal never got is sent again under the same id and body.
   */
  async resume(open: OpenPayment): Promise<void> {
    const { request } = open;
    const id = request.posTransactionId;
    this.items = open.items;
    this.customer = open.customer;
    this.club.restore(open.club);
    this.payment = { id, status: 'unknown', amount: request.amount.value, final: false, aborting: false };
    this.tell({ kind: 'resumed' });
    this.options.logger.info('asking the terminal about the payment sent before the restart', {
      posTransactionId: id,
    });
    const signal = this.sale.signal;
    for (;;) {
      try {
        this.apply(await this.options.terminal.getPayment(id));
        break;
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof TerminalProblemError && error.code === 'not-found') {
          // The request never reached the terminal: the same id and body, so it can still be only one.
          if (!(await this.submit(request, signal))) return;
          break;
        }
        // Not told yet (a kiosk restarting, a pairing undone): the payment may run, so keep asking.
        this.tell(
          error instanceof TerminalProblemError
            ? { kind: 'terminal', message: error.detail }
            : { kind: 'terminal-unreachable' },
        );
        await this.delay(RETRY_MS, signal);
        if (signal.aborted) return;
      }
    }
    void this.follow(id, signal);
  }

  /** Sends the request until the terminal takes it (true) or refuses it as sent (false). */
  private async submit(request: PaymentRequest, signal: AbortSignal): Promise<boolean> {
    const id = request.posTransactionId;
    const log = this.options.logger;
    for (;;) {
      try {
        const transaction = await this.options.terminal.createPayment(request);
        this.notice = null;
        this.apply(transaction);
        return true;
      } catch (error) {
        if (signal.aborted) return false;
        if (error instanceof TerminalProblemError) {
          // Refused as sent (a wrong total, another payment running): nothing was taken.
          log.warn('terminal refused the payment', { posTransactionId: id, code: error.code });
          this.payment = null;
          this.forget(id);
          this.tell({ kind: 'terminal', message: error.detail });
          return false;
        }
        // Lost on the way: the same id again is the same payment, never a second one.
        log.warn('terminal did not answer the payment request; asking again', { posTransactionId: id });
        if (this.payment?.id === id) this.payment = { ...this.payment, status: 'unknown' };
        this.tell({ kind: 'terminal-unreachable' });
        await this.delay(RETRY_MS, signal);
        if (signal.aborted) return false;
      }
    }
  }

  /** The payment is final (or was never taken): the till no longer needs to remember it. */
  private forget(id: string): void {
    this.options.openPayment?.clear(id).catch((error: unknown) => {
      this.options.logger.error('could not clear the finished payment; the next start asks about it again', {
        posTransactionId: id,
        error: String(error),
      });
    });
  }

  /** Follows the payment on the terminal's event stream until it is final, reconnecting when it drops. */
  private async follow(id: string, signal: AbortSignal): Promise<void> {
    while (!signal.aborted && this.payment?.id === id && this.running()) {
      try {
        for await (const transaction of this.options.terminal.follow(id, signal)) this.apply(transaction);
      } catch (error) {
        if (signal.aborted) return;
        this.options.logger.warn("lost the terminal's event stream; following again", {
          posTransactionId: id,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      // A stream that ended before the payment did (the kiosk restarting, the network dropping) is
      // opened again after a pause, so a kiosk that is down is not asked in a tight loop.
      if (this.payment?.id === id && this.running()) await this.delay(RETRY_MS, signal);
    }
  }

  /** The terminal's word on the payment, if it is still this sale's. */
  private apply(transaction: Transaction): void {
    if (this.payment?.id !== transaction.posTransactionId) return;
    const { aborting, abortTooLate } = this.payment;
    this.payment = {
      id: transaction.posTransactionId,
      status: transaction.status,
      amount: transaction.amount.value,
      final: isFinalStatus(transaction.status),
      aborting: aborting && !isFinalStatus(transaction.status),
      ...(transaction.declineReason === undefined ? {} : { declineReason: transaction.declineReason }),
      ...(abortTooLate ? { abortTooLate } : {}),
    };
    if (this.payment.final) this.forget(transaction.posTransactionId);
    this.changed();
  }

  private async abort(): Promise<void> {
    if (this.payment === null || !this.running() || this.payment.aborting) return;
    const id = this.payment.id;
    this.payment = { ...this.payment, aborting: true };
    this.changed();
    try {
      this.apply(await this.options.terminal.abort(id));
    } catch (error) {
      if (this.payment?.id !== id) return;
      if (error instanceof TerminalProblemError && error.code === 'too-late') {
        // The customer approved first: the terminal captures it, and the stream brings the outcome.
        this.payment = { ...this.payment, aborting: false, abortTooLate: true };
        if (error.problem.transaction) this.apply(error.problem.transaction);
        else this.changed();
        return;
      }
      this.payment = { ...this.payment, aborting: false };
      this.tell({ kind: 'terminal', message: error instanceof Error ? error.message : String(error) });
    }
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
