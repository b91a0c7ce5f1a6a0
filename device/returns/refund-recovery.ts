import type { Logger } from '../../common/log/logger.js';
import type { Amount, Currency, ModificationResponse } from '../../contracts/vipps-types.js';
import type { RefundJournal, RefundRecord } from '../journal/refund-journal.js';
import { refundFailure, refusalAnswer } from './refund-answers.js';
import type { Refunds } from './return-desk.js';

/** How long recovery waits before asking Vipps again about a refund it has not answered. */
export const REFUND_RETRY_MS = 60_000;

export interface RefundRecoveryReport {
  /** Refunded and recorded where they belong now (the till's return row, or the POS's transaction). */
  journaled: number;
  /** Vipps refused them when asked again: nothing moved, nothing to journal. */
  refused: number;
  /** Vipps still did not answer, or the record could not be written: tried again later. */
  unresolved: number;
}

export interface RefundRecoveryParts {
  /** The payment journal's refunds: what is unfinished, and where the answers go. */
  refunds: RefundJournal;
  vipps: Refunds;
  logger: Logger;
  /**
   * Records a refund Vipps made (`answer` null when its answer was journaled before) where it belongs,
   * exactly once however often it is called: the kiosk's return row at its till (journalRefunded), or the
   * POS's transaction in attended mode (PosRefunds.finish). It marks the refund registered last.
   */
  finish: (refund: RefundRecord, answer: ModificationResponse | null) => void;
}

/**
 * Finishes the refunds the payment journal holds unfinished: after a crash or a lost answer, each one
 * Vipps has not answered is asked again with the same Idempotency-Key and body (Vipps repeats its answer
 * rather than refunding twice), and each refunded one gets its `return` row in the cash-register journal,
 * exactly once (`finish`: CashRegister.returned checks for the return id inside its own write, and a POS
 * transaction's refunded sum is counted from the journal), so a crash between the record and the payment
 * journal's note of it leaves nothing to write twice. Kiosk returns and POS refunds share it.
 */
export async function recoverRefunds(parts: RefundRecoveryParts): Promise<RefundRecoveryReport> {
  const report: RefundRecoveryReport = { journaled: 0, refused: 0, unresolved: 0 };
  for (const refund of parts.refunds.unfinished()) {
    const resolution = await resolve(parts, refund).catch((error: unknown) => {
      parts.logger.warn('an unfinished refund is not finished yet', {
        returnId: refund.returnId,
        error: String(error),
      });
      return 'unresolved' as const;
    });
    report[resolution]++;
  }
  if (report.journaled + report.refused + report.unresolved > 0) {
    parts.logger.info('refund recovery pass', { ...report });
  }
  return report;
}

async function resolve(
  parts: RefundRecoveryParts,
  refund: RefundRecord,
): Promise<keyof RefundRecoveryReport> {
  if (refund.outcome === 'refunded') {
    parts.finish(refund, null);
    return 'journaled';
  }
  const amount: Amount = { currency: refund.ret.currency as Currency, value: refund.amount };
  try {
    const answer = await parts.vipps.refund(refund.reference, amount, refund.idempotencyKey);
    parts.finish(refund, answer);
    return 'journaled';
  } catch (error) {
    const failure = refundFailure(error);
    if (!failure.refused) throw error;
    parts.refunds.answered(refund.returnId, 'refused', refusalAnswer(failure));
    parts.logger.warn('a pending refund was refused by Vipps; nothing was refunded', {
      returnId: refund.returnId,
      message: failure.message,
    });
    return 'refused';
  }
}

/**
 * Recovery as a daemon component: a pass at start (what a crash left), then again every `retryMs` while
 * anything is unfinished; `poke` runs a pass now (the desk left a refund pending).
 */
export class RefundRecovery {
  readonly name = 'refund recovery';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly parts: RefundRecoveryParts,
    private readonly retryMs: number,
  ) {}

  start(): void {
    this.poke();
  }

  poke(): void {
    if (this.stopped || this.running) return;
    clearTimeout(this.timer);
    this.running = recoverRefunds(this.parts)
      .then((report) => {
        if (report.unresolved > 0 && !this.stopped) {
          this.timer = setTimeout(() => this.poke(), this.retryMs);
          this.timer.unref();
        }
      })
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Resolves once no pass is running. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
