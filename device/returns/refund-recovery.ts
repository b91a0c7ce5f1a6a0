import type { Amount, Currency } from '../../contracts/vipps-types.js';
import type { RefundRecord } from '../journal/refund-journal.js';
import { refundFailure } from './refund-answers.js';
import { journalRefunded, type ReturnDeskParts } from './return-desk.js';

export interface RefundRecoveryReport {
  /** Refunded and journaled at the till now. */
  journaled: number;
  /** Vipps refused them when asked again: nothing moved, nothing to journal. */
  refused: number;
  /** Vipps still did not answer, or the till's journal could not be written: tried again later. */
  unresolved: number;
}

type Parts = Pick<ReturnDeskParts, 'refunds' | 'register' | 'vipps' | 'now' | 'logger' | 'onReturned'>;

/**
 * Finishes the refunds the payment journal holds unfinished: after a crash or a lost answer, each one
 * Vipps has not answered is asked again with the same Idempotency-Key and body (Vipps repeats its answer
 * rather than refunding twice), and each refunded one gets its `return` row in the cash-register journal,
 * exactly once: CashRegister.returned checks for the return id inside its own write, so a crash between
 * the row and the payment journal's note of it leaves nothing to write twice.
 */
export async function recoverRefunds(parts: Parts): Promise<RefundRecoveryReport> {
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

async function resolve(parts: Parts, refund: RefundRecord): Promise<keyof RefundRecoveryReport> {
  if (refund.outcome === 'refunded') {
    journalRefunded(parts, refund, null);
    return 'journaled';
  }
  const amount: Amount = { currency: refund.ret.currency as Currency, value: refund.amount };
  try {
    const answer = await parts.vipps.refund(refund.reference, amount, refund.idempotencyKey);
    journalRefunded(parts, refund, answer);
    return 'journaled';
  } catch (error) {
    const failure = refundFailure(error);
    if (!failure.refused) throw error;
    parts.refunds.answered(refund.returnId, 'refused', failure.answer);
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
    private readonly parts: Parts,
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
