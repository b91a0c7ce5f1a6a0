import type { Logger } from '../../common/log/logger.js';
import { maskMsisdn } from '../../common/log/mask.js';
import type { ScreenModel, ScreenName } from '../../contracts/screen-model.js';
import {
  isFinalStatus,
  type PaymentRequest,
  type Problem,
  type Transaction,
  type TransactionStatus,
} from '../../contracts/terminal-api.js';
import type { CheckoutService } from '../checkout/checkout-service.js';
import type { Market } from '../checkout/domain/market.js';
import type { Payments } from '../checkout/ports.js';
import type { Journal } from '../journal/journal.js';
import { posBasket } from './pos-basket.js';
import { type PosTransactions, requestHash, type TransactionChange } from './pos-transactions.js';
import { problem } from './problems.js';

// The bridge between the POS's transactions and the checkout machine. A POS payment goes into the machine
// as its basket (the `pos.payment` event); from there it is the self-service payment, the same create,
// poll, capture, cancel, journal and recovery. The transaction's status is read off the machine's screen
// model as it changes, so the POS sees what the customer display shows; a payment that ends without a
// sale sends the machine back to attract, because the POS, not the customer, decides what comes next.

/** The screens of a running POS payment, as the POS's status; the rest end it (see `ended`). */
const RUNNING: Partial<Record<ScreenName, TransactionStatus>> = {
  identify: 'waiting-for-customer',
  'club-offer': 'waiting-for-customer',
  'club-consent': 'waiting-for-customer',
  'club-checking': 'requesting',
  paying: 'requesting',
  'awaiting-approval': 'awaiting-approval',
  cancelling: 'awaiting-approval',
  capturing: 'capturing',
};

export type PayResult = { created: boolean; transaction: Transaction } | { problem: Problem };
export type AbortResult = { transaction: Transaction } | { problem: Problem };

export interface TerminalBridgeParts {
  checkout: CheckoutService;
  transactions: PosTransactions;
  journal: Pick<Journal, 'outcome'>;
  market: Market;
  logger: Logger;
}

export class TerminalBridge {
  private readonly listeners = new Map<string, Set<(transaction: Transaction) => void>>();
  /** The POS asked to abort the running payment: done at the first screen where it can be. */
  private abortWanted = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly parts: TerminalBridgeParts) {}

  /** After a restart: what the journal says of the payments the kiosk was running; then follow the machine. */
  start(): void {
    this.resolve(() => true);
    this.unsubscribe = this.parts.checkout.subscribe((model) => this.follow(model));
  }

  stop(): void {
    this.unsubscribe?.();
  }

  get(posTransactionId: string): Transaction | undefined {
    return this.parts.transactions.get(posTransactionId)?.transaction;
  }

  pay(request: PaymentRequest): PayResult {
    const { transactions, checkout, market } = this.parts;
    const earlier = transactions.get(request.posTransactionId);
    if (earlier !== undefined) {
      if (earlier.requestHash === requestHash(request))
        return { created: false, transaction: earlier.transaction };
      return {
        problem: problem(
          409,
          'different-body',
          `transaction ${request.posTransactionId} was sent before with another body; a new sale needs a new posTransactionId`,
        ),
      };
    }
    const basket = posBasket(request, market);
    if (!basket.ok) return { problem: problem(422, basket.code, basket.detail, { field: basket.field }) };
    const running = transactions.running();
    if (running !== undefined) {
      return {
        problem: problem(
          409,
          'busy',
          `payment ${running.posTransactionId} is still running at the terminal; wait for it to end or abort it`,
          { runningPosTransactionId: running.posTransactionId },
        ),
      };
    }
    if (!checkout.readyForPosPayment()) {
      return {
        problem: problem(
          503,
          'out-of-order',
          'the terminal cannot take a payment now (out of order, in maintenance or in staff mode); see its screen',
        ),
      };
    }
    const status = basket.customer === null ? 'waiting-for-customer' : 'requesting';
    const masked = basket.msisdn === null ? null : maskMsisdn(basket.msisdn);
    transactions.insert(request, status, masked);
    this.abortWanted = false;
    this.parts.logger.info('POS payment', {
      posTransactionId: request.posTransactionId,
      amount: request.amount.value,
      customer: basket.customer === null ? 'to scan' : 'from the POS',
    });
    if (!checkout.posPayment({ basket: basket.basket, customer: basket.customer, msisdn: basket.msisdn })) {
      return { created: true, transaction: this.change(request.posTransactionId, { status: 'failed' }) };
    }
    return { created: true, transaction: this.get(request.posTransactionId)! };
  }

  /**
   * The POS aborts. Before the push: the session ends. While the request is on the phone: the machine's
   * cancel, with its race handling (an approval in the same moment is released, and the status says
   * `aborted`). Once the kiosk has seen the approval: too late, the payment completes.
   */
  abort(posTransactionId: string): AbortResult {
    const transaction = this.get(posTransactionId);
    if (transaction === undefined) return { problem: notFound(posTransactionId) };
    if (isFinalStatus(transaction.status) && transaction.status !== 'completed') return { transaction };
    if (transaction.status === 'capturing' || transaction.status === 'completed') {
      return {
        problem: problem(
          409,
          'too-late',
          'the customer has approved; the payment is being captured and completes. Register the sale (or refund it)',
          { transaction },
        ),
      };
    }
    if (transaction.status === 'unknown') {
      return {
        problem: problem(
          409,
          'too-late',
          'the terminal restarted during this payment; its recovery settles it with Vipps: GET it until it is final',
          { transaction },
        ),
      };
    }
    this.abortWanted = true;
    this.parts.logger.info('POS aborts its payment', { posTransactionId });
    this.abortStep(this.parts.checkout.model().screen)?.();
    return { transaction: this.get(posTransactionId)! };
  }

  /** Called with every change of the transaction until it is final. */
  watch(posTransactionId: string, listener: (transaction: Transaction) => void): () => void {
    const set = this.listeners.get(posTransactionId) ?? new Set();
    set.add(listener);
    this.listeners.set(posTransactionId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(posTransactionId);
    };
  }

  /**
   * What the payment journal says of transactions a restart left open: at start every open one (the
   * previous process's), later those still `unknown` (recovery has settled more since).
   */
  resolveUnknown(): void {
    this.resolve((transaction) => transaction.status === 'unknown');
  }

  private resolve(which: (transaction: Transaction) => boolean): void {
    const { transactions, journal } = this.parts;
    for (const open of transactions.open().filter(which)) {
      const outcome = open.reference === null ? undefined : journal.outcome(open.reference);
      // No reference, or none the journal took: the create never went out, so nothing was charged.
      if (outcome === undefined || outcome === 'not-created' || outcome === 'cancelled') {
        this.change(open.posTransactionId, { status: 'failed' });
      } else if (outcome === 'captured') {
        this.change(open.posTransactionId, { status: 'completed' });
      } else if (outcome === 'declined') {
        this.change(open.posTransactionId, { status: 'declined' });
      } else {
        this.change(open.posTransactionId, { status: 'unknown' });
      }
    }
  }

  private follow(model: ScreenModel): void {
    const running = this.parts.transactions.running();
    if (running === undefined) return;
    const id = running.posTransactionId;
    const change: TransactionChange = {};
    if (model.payment !== null) {
      change.reference = model.payment.reference;
      change.customerKnown = true;
      if (model.payment.customer !== null) change.maskedPhone = model.payment.customer;
    }
    const status = RUNNING[model.screen];
    if (status !== undefined) {
      this.change(id, { ...change, status });
      const abort = this.abortWanted ? this.abortStep(model.screen) : undefined;
      if (abort !== undefined) queueMicrotask(abort);
      return;
    }
    if (model.screen === 'approved') {
      this.change(id, { ...change, status: 'completed' });
      return;
    }
    const ended = this.ended(model, running);
    this.change(id, { ...change, ...ended });
    // The POS decides what comes next: the customer display goes back to attract.
    if (model.screen === 'declined' || model.screen === 'unavailable' || model.screen === 'basket') {
      queueMicrotask(() => this.parts.checkout.endPosPayment());
    }
  }

  /** How a POS payment ended that did not end in a sale. */
  private ended(model: ScreenModel, running: Transaction): TransactionChange {
    if (model.screen === 'declined')
      return { status: 'declined', declineReason: model.declined?.reason ?? 'refused' };
    // Asked to abort, or back at the basket from a cancel on the customer's screen: nothing is reserved.
    if (this.abortWanted || (model.screen === 'basket' && running.status === 'awaiting-approval')) {
      return { status: 'aborted' };
    }
    // Vipps unreachable, the session timed out, the kiosk went out of order: nothing was charged.
    return { status: 'failed' };
  }

  /** What aborts on this screen; nothing while a call to Vipps is under way (the next screen will). */
  private abortStep(screen: ScreenName): (() => void) | undefined {
    const { checkout } = this.parts;
    if (screen === 'identify' || screen === 'club-offer' || screen === 'club-consent') {
      return () => checkout.endPosPayment();
    }
    if (screen === 'awaiting-approval') return () => checkout.cancelPosPayment();
    return undefined;
  }

  private change(posTransactionId: string, change: TransactionChange): Transaction {
    const before = this.get(posTransactionId);
    // Every write is a durable one (fsync): most snapshots change nothing the POS sees, and write nothing.
    if (before !== undefined && !changes(before, change)) return before;
    const after = this.parts.transactions.update(posTransactionId, change);
    if (before !== undefined && sameView(before, after)) return after;
    if (isFinalStatus(after.status) && before?.status !== after.status) {
      this.parts.logger.info('POS payment ended', {
        posTransactionId,
        status: after.status,
        reference: after.reference ?? undefined,
      });
    }
    for (const listener of [...(this.listeners.get(posTransactionId) ?? [])]) listener(after);
    return after;
  }
}

function changes(transaction: Transaction, change: TransactionChange): boolean {
  if (isFinalStatus(transaction.status))
    return change.refunded !== undefined && change.refunded !== transaction.refunded;
  return (
    (change.status !== undefined && change.status !== transaction.status) ||
    (change.reference !== undefined && change.reference !== transaction.reference) ||
    (change.declineReason !== undefined && change.declineReason !== transaction.declineReason) ||
    (change.maskedPhone !== undefined && change.maskedPhone !== transaction.customer?.maskedPhoneNumber) ||
    (change.customerKnown === true && transaction.customer === null) ||
    (change.refunded !== undefined && change.refunded !== transaction.refunded)
  );
}

function sameView(a: Transaction, b: Transaction): boolean {
  return (
    a.status === b.status &&
    a.reference === b.reference &&
    a.declineReason === b.declineReason &&
    a.refunded === b.refunded &&
    a.customer?.maskedPhoneNumber === b.customer?.maskedPhoneNumber &&
    (a.customer === null) === (b.customer === null)
  );
}

export function notFound(posTransactionId: string): Problem {
  return problem(404, 'not-found', `no transaction ${posTransactionId} at this terminal`);
}

/**
 * The payments the checkout calls, with the running POS transaction's reference written down before the
 * create goes on to the journal and Vipps: after a crash, the POS's id leads to the journal's payment.
 */
export function recordingReferences(payments: Payments, transactions: PosTransactions): Payments {
  return {
    createPayment: (request, key) => {
      const running = transactions.running();
      if (running !== undefined && running.reference !== request.reference) {
        transactions.update(running.posTransactionId, { reference: request.reference });
      }
      return payments.createPayment(request, key);
    },
    getPayment: (reference) => payments.getPayment(reference),
    capture: (reference, amount, key) => payments.capture(reference, amount, key),
    cancel: (reference, options, key) => payments.cancel(reference, options, key),
  };
}
