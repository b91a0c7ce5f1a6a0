import { createHash } from 'node:crypto';
import type { Logger } from '../../common/log/logger.js';
import type {
  Problem,
  Refund,
  RefundRefusal,
  RefundRequest,
  Transaction,
} from '../../contracts/terminal-api.js';
import type { ModificationResponse } from '../../contracts/vipps-types.js';
import type { JournaledReturn } from '../checkout/domain/return-row.js';
import { splitVatInclusive } from '../checkout/domain/vat.js';
import type { RefundJournal, RefundRecord } from '../journal/refund-journal.js';
import { refundFailure, refusalAnswer } from '../returns/refund-answers.js';
import { type Refunds, refundKey } from '../returns/return-desk.js';
import { problem } from './problems.js';
import { notFound } from './terminal-bridge.js';

// Refunds the POS asks for, of payments it completed at the terminal: journaled in the payment journal's
// refunds (refund-journal.ts) with their Idempotency-Key before the call, exactly as the kiosk's own
// returns are, so a lost answer is asked again under the same key and Vipps refunds once. The POS is the
// cash register here: it registers the return; the kiosk keeps the money's record and nothing else.
// One whose answer was lost is finished by the same recovery as the kiosk's own returns (RefundRecovery,
// wired in open-terminal.ts, `finish` below), under the same key; the POS reads the outcome by GET.

export type RefundResult = { created: boolean; refund: Refund } | { problem: Problem };

export interface PosRefundParts {
  transactions: {
    get(id: string): { transaction: Transaction } | undefined;
    byReference(reference: string): Transaction | undefined;
    update(id: string, change: { refunded: number }): Transaction;
  };
  refunds: RefundJournal;
  vipps: Refunds;
  now: () => number;
  logger: Logger;
  /** A refund was left pending (Vipps' answer lost): recovery should ask again (RefundRecovery.poke). */
  onPending?: () => void;
}

/** The return's id: short enough for Vipps' 50-character key, the same for every repeat of the refund. */
function returnIdOf(posTransactionId: string, refundId: string): string {
  return `pos-${createHash('sha256').update(`${posTransactionId}\n${refundId}`).digest('hex').slice(0, 24)}`;
}

export class PosRefunds {
  constructor(private readonly parts: PosRefundParts) {}

  /** The refund as it stands; undefined when the POS never asked for it (or for that transaction). */
  get(posTransactionId: string, refundId: string): Refund | undefined {
    const transaction = this.parts.transactions.get(posTransactionId)?.transaction;
    const record = this.parts.refunds.get(returnIdOf(posTransactionId, refundId));
    return transaction && record && view(transaction, record, refundId);
  }

  /**
   * Records a refund Vipps made: its answer (unless journaled before), then the transaction's refunded
   * sum counted afresh from the journal (so a repeat after a crash counts nothing twice), then the refund
   * registered (the POS registers the return in its own till: nothing is due in the kiosk's).
   */
  readonly finish = (record: RefundRecord, answer: ModificationResponse | null): void => {
    const { refunds, transactions, now, logger } = this.parts;
    if (record.outcome === null) {
      const ret = { ...record.ret, pspReference: answer?.pspReference ?? null, refundedAt: now() };
      refunds.answered(record.returnId, 'refunded', { pspReference: ret.pspReference }, ret);
    }
    const transaction = transactions.byReference(record.reference);
    if (transaction === undefined) throw new Error(`no POS transaction has the payment ${record.reference}`);
    const refunded = refunds
      .of(record.reference)
      .filter((refund) => refund.outcome === 'refunded')
      .reduce((sum, refund) => sum + refund.amount, 0);
    const updated = transactions.update(transaction.posTransactionId, { refunded });
    refunds.registered(record.returnId);
    logger.info('POS refund made', {
      posTransactionId: transaction.posTransactionId,
      amount: record.amount,
      refunded: updated.refunded,
    });
  };

  /** `posId`: the paired POS that asks, recorded as who made the return. */
  async refund(posTransactionId: string, request: RefundRequest, posId: string): Promise<RefundResult> {
    const { refunds, transactions } = this.parts;
    const transaction = transactions.get(posTransactionId)?.transaction;
    if (transaction === undefined) return { problem: notFound(posTransactionId) };
    const returnId = returnIdOf(posTransactionId, request.refundId);
    const earlier = refunds.get(returnId);
    if (earlier !== undefined) {
      if (earlier.amount !== request.amount.value) {
        return {
          problem: problem(
            409,
            'different-body',
            `refund ${request.refundId} was asked for before with another amount; a new refund needs a new refundId`,
          ),
        };
      }
      // Vipps' answer was lost: the same key again, so it refunds once whatever happened the first time.
      if (earlier.outcome === null)
        return { created: false, refund: await this.call(transaction, earlier, request) };
      return { created: false, refund: view(transaction, earlier, request.refundId) };
    }
    const refused = this.refusal(transaction, request);
    if (refused !== undefined) return { problem: refused };
    const ret = returnOf(transaction, returnId, request.amount.value, posId, this.parts.now());
    const record = { returnId, idempotencyKey: refundKey(returnId), ret, amount: request.amount.value };
    refunds.requested(record);
    return { created: true, refund: await this.call(transaction, refunds.get(returnId)!, request) };
  }

  private refusal(transaction: Transaction, request: RefundRequest): Problem | undefined {
    if (transaction.status !== 'completed' || transaction.reference === null) {
      return problem(
        409,
        'not-refundable',
        `transaction ${transaction.posTransactionId} is ${transaction.status}; only a completed payment is refunded`,
      );
    }
    if (request.amount.currency !== transaction.amount.currency) {
      return problem(422, 'wrong-currency', `the payment was in ${transaction.amount.currency}`, {
        field: 'amount.currency',
      });
    }
    const left = transaction.amount.value - this.askedFor(transaction.reference);
    if (request.amount.value > left) {
      return problem(
        422,
        'refund-too-large',
        `${left} minor units are left to refund of this payment (refunds asked for before count)`,
        { field: 'amount.value' },
      );
    }
    return undefined;
  }

  /** What is refunded or may be (a refund Vipps has not answered yet counts until it is refused). */
  private askedFor(reference: string): number {
    return this.parts.refunds
      .of(reference)
      .filter((record) => record.outcome !== 'refused')
      .reduce((sum, record) => sum + record.amount, 0);
  }

  private async call(
    transaction: Transaction,
    record: RefundRecord,
    request: RefundRequest,
  ): Promise<Refund> {
    const { refunds, vipps, logger, transactions } = this.parts;
    let answer: ModificationResponse;
    try {
      answer = await vipps.refund(record.ret.reference, request.amount, record.idempotencyKey);
    } catch (error) {
      const failure = refundFailure(error);
      logger.warn('POS refund not made', {
        posTransactionId: transaction.posTransactionId,
        refundId: request.refundId,
        refused: String(failure.refused),
      });
      if (failure.refused) refunds.answered(record.returnId, 'refused', refusalAnswer(failure));
      else this.parts.onPending?.();
      return view(transaction, refunds.get(record.returnId)!, request.refundId);
    }
    this.finish(record, answer);
    const updated = transactions.get(transaction.posTransactionId)!.transaction;
    return view(updated, refunds.get(record.returnId)!, request.refundId);
  }
}

function view(transaction: Transaction, record: RefundRecord, refundId: string): Refund {
  return {
    refundId,
    posTransactionId: transaction.posTransactionId,
    amount: { value: record.amount, currency: transaction.amount.currency },
    status: record.outcome ?? 'pending',
    updatedAt: new Date(record.registeredAt ?? record.requestedAt).toISOString(),
    ...(record.outcome === 'refused' ? { refusal: refusalOf(record.answer ?? {}) } : {}),
  };
}

/** Why Vipps refused, from the answer the journal kept (refusalAnswer). */
function refusalOf(answer: Record<string, unknown>): RefundRefusal {
  const text = (key: string) => (typeof answer[key] === 'string' ? (answer[key] as string) : null);
  return {
    message: text('message') ?? 'Vipps refused the refund; nothing was refunded.',
    code: text('code'),
    status: typeof answer.status === 'number' ? answer.status : null,
    traceId: text('traceId'),
  };
}

/**
 * The refund as the payment journal records a return: the amount split over the payment's VAT rates in
 * proportion (the POS's own return says which lines; the kiosk's record is of the money). In attended
 * mode a sale's only number at the kiosk is its payment reference, so it stands for the receipt number.
 */
function returnOf(
  transaction: Transaction,
  returnId: string,
  amount: number,
  posId: string,
  now: number,
): JournaledReturn {
  const reference = transaction.reference!;
  const byRate = new Map<number, number>();
  for (const line of transaction.lines) {
    byRate.set(line.vatRate, (byRate.get(line.vatRate) ?? 0) + line.unitPrice * line.quantity);
  }
  const rates = [...byRate].sort(([a], [b]) => b - a);
  let left = amount;
  const vat = rates.map(([rate, total], index) => {
    const share = index === rates.length - 1 ? left : Math.floor((amount * total) / transaction.amount.value);
    left -= share;
    const split = splitVatInclusive(share, rate);
    return { rate, amount: -split.tax, basis: -split.excludingTax };
  });
  return {
    returnId,
    returnOf: reference,
    reference,
    pspReference: null,
    employeeId: posId,
    paymentType: 'VIPPS',
    currency: transaction.amount.currency,
    amountIn: -amount,
    amountEx: vat.reduce((sum, part) => sum + part.basis, 0),
    lines: [],
    vat,
    refundedAt: now,
  };
}
