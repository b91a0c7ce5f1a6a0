import type { Logger } from '../../common/log/logger.js';
import type { Amount, Currency, ModificationResponse } from '../../contracts/vipps-types.js';
import type { CashRegister, JournaledSale } from '../cash-register/cash-register.js';
import { amountText } from '../cash-register/formats.js';
import type { CashRegisterStore, JournalRow } from '../cash-register/journal-store.js';
import type { ReturnRow } from '../checkout/domain/return-row.js';
import type { Seller } from '../checkout/domain/sales-receipt.js';
import type { RefundJournal, RefundRecord } from '../journal/refund-journal.js';
import type { ReturnDesk, ReturnLookup, ReturnOutcome, ReturnRequest } from '../staff/staff-services.js';
import { refundFailure, refusalAnswer } from './refund-answers.js';
import { returnReceipt } from './return-receipt.js';
import { returnableSale, returnOf } from './returnable.js';

/** ePayment's refund (EPaymentApi has it). */
export interface Refunds {
  refund(reference: string, amount: Amount, idempotencyKey: string): Promise<ModificationResponse>;
}

export interface ReturnDeskParts {
  /** The cash-register journal: where the sale is looked up. */
  store: CashRegisterStore;
  /** Writes the signed `return` row. */
  register: CashRegister;
  /** The payment journal's refunds: written before each refund call. */
  refunds: RefundJournal;
  vipps: Refunds;
  seller: Seller;
  kioskId: string;
  now: () => number;
  logger: Logger;
  /** A refund was left pending: recovery should look at it (RefundRecovery.poke). */
  onPending?: () => void;
  /** A return was journaled: HQ is told (`return-completed`), whether the desk or recovery finished it. */
  onReturned?: (row: ReturnRow) => void;
}

/** A refund's Idempotency-Key: derived from the return alone, so every retry of it is the same refund. */
export function refundKey(returnId: string): string {
  return `refund-${returnId}`;
}

/** A receipt number as scanned from the barcode or typed: digits, leading zeros optional. */
function normalised(receiptNumber: string): string {
  const trimmed = receiptNumber.trim();
  return /^\d{1,10}$/.test(trimmed) ? trimmed.padStart(10, '0') : trimmed;
}

/**
 * Vipps refunded it: the return, with the refund's pspReference, goes to the cash-register journal
 * (exactly once per return id), then the payment journal notes that nothing is left to do. Used by the
 * desk and by recovery alike.
 */
export function journalRefunded(
  parts: Pick<ReturnDeskParts, 'refunds' | 'register' | 'now' | 'onReturned'>,
  refund: RefundRecord,
  answer: ModificationResponse | null,
): JournalRow {
  if (refund.outcome === null) {
    const ret = { ...refund.ret, pspReference: answer?.pspReference ?? null, refundedAt: parts.now() };
    parts.refunds.answered(refund.returnId, 'refunded', { pspReference: ret.pspReference }, ret);
  }
  const row = parts.register.returned(parts.refunds.get(refund.returnId)!.ret);
  parts.refunds.registered(refund.returnId);
  parts.onReturned?.(JSON.parse(row.data) as ReturnRow);
  return row;
}

/**
 * Returns at the kiosk: finds the sale in the cash-register journal, refunds the chosen lines through
 * Vipps ePayment (the refund journaled before the call), journals the signed return and makes the
 * Returkvittering. A return whose refund Vipps has not answered is pending, never failed: recovery
 * (refund-recovery.ts) finishes it with the same key.
 */
export class VippsReturnDesk implements ReturnDesk {
  constructor(private readonly parts: ReturnDeskParts) {}

  find(receiptNumber: string): ReturnLookup {
    const found = this.sale(normalised(receiptNumber));
    if (!found.ok) return found;
    const { captured: _captured, ...sale } = returnableSale(
      found.sale,
      this.parts.refunds.of(found.sale.receiptNumber),
    );
    if (sale.refundable <= 0 || sale.lines.every((line) => line.returnable === 0)) {
      return {
        ok: false,
        code: 'nothing-left',
        message: `Everything on receipt ${sale.receiptNumber} has been returned and refunded already.`,
      };
    }
    return { ok: true, sale };
  }

  async refund(request: ReturnRequest): Promise<ReturnOutcome> {
    const { refunds, vipps, logger } = this.parts;
    const found = this.sale(normalised(request.receiptNumber));
    if (!found.ok) return found;
    const earlier = refunds.of(found.sale.receiptNumber);
    const returnId = `${found.sale.receiptNumber}-${earlier.length + 1}`;
    const asked = returnOf(found.sale, earlier, request, { returnId, refundedAt: this.parts.now() });
    if (!asked.ok) return { ok: false, code: asked.code, message: asked.message };
    const { ret } = asked;
    const amount: Amount = { currency: ret.currency as Currency, value: -ret.amountIn };
    const idempotencyKey = refundKey(returnId);
    try {
      refunds.requested({ returnId, idempotencyKey, ret, amount: amount.value });
    } catch (error) {
      logger.error('the refund could not be journaled; nothing was sent to Vipps', {
        returnId,
        error: String(error),
      });
      return {
        ok: false,
        code: 'journal-unavailable',
        message: `The kiosk cannot write its payment journal (${(error as Error).message}); nothing was refunded. Free disk space or call support.`,
      };
    }
    let answer: ModificationResponse;
    try {
      answer = await vipps.refund(ret.reference, amount, idempotencyKey);
    } catch (error) {
      const failure = refundFailure(error);
      logger.warn('refund not made', {
        returnId,
        refused: String(failure.refused),
        ...stringFields(failure.answer),
      });
      if (failure.refused) {
        refunds.answered(returnId, 'refused', refusalAnswer(failure));
        return { ok: false, code: failure.code, message: failure.message };
      }
      this.parts.onPending?.();
      return { ok: false, code: 'refund-pending', message: failure.message, pending: true };
    }
    return this.finish(refunds.get(returnId)!, answer);
  }

  private finish(refund: RefundRecord, answer: ModificationResponse): ReturnOutcome {
    let row: JournalRow;
    try {
      row = journalRefunded(this.parts, refund, answer);
    } catch (error) {
      // The money is back with the customer; only the till's row waits (recovery writes it).
      this.parts.logger.error('refunded, but the return could not be journaled yet', {
        returnId: refund.returnId,
        error: String(error),
      });
      this.parts.onPending?.();
      return {
        ok: false,
        code: 'journal-pending',
        pending: true,
        message:
          `Vipps has refunded ${amountText(refund.amount)} ${refund.ret.currency}, but the cash register could not ` +
          `write the return yet (${(error as Error).message}). Do not refund it again: the kiosk writes it and ` +
          'its Returkvittering as soon as it can.',
      };
    }
    try {
      this.parts.register.returnReceiptShown(
        row.transNr,
        (JSON.parse(row.data) as ReturnRow).returnNumber,
        refund.receiptNumber,
      );
    } catch (error) {
      this.parts.logger.warn('the Returkvittering could not be journaled as shown', { error: String(error) });
    }
    return { ok: true, receipt: returnReceipt(row, this.parts.seller, this.parts.kioskId) };
  }

  private sale(
    receiptNumber: string,
  ):
    | { ok: true; sale: JournaledSale }
    | { ok: false; code: 'unknown-receipt' | 'training-receipt'; message: string } {
    const { store } = this.parts;
    // A training receipt is journaled as its own kind (training.ts): no money was paid on it.
    if (store.ofKindWhere('training.sale', 'receiptNumber', receiptNumber).length > 0) {
      return {
        ok: false,
        code: 'training-receipt',
        message: `Receipt ${receiptNumber} is a training receipt: no money was paid, so nothing can be refunded.`,
      };
    }
    const [row] = store.ofKindWhere('sale', 'receiptNumber', receiptNumber);
    if (row === undefined) {
      return {
        ok: false,
        code: 'unknown-receipt',
        message: `No sale with receipt number ${receiptNumber} at this kiosk. Check the number on the receipt.`,
      };
    }
    const sale = JSON.parse(row.data) as JournaledSale;
    return { ok: true, sale };
  }
}

function stringFields(fields: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, String(value)]));
}
