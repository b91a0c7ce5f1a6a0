import type { Payments } from '../checkout/ports.js';
import type { Logger } from '../log/logger.js';
import type { Journal } from './journal.js';
import { type RecoveryReport, recoverPayments } from './recovery.js';

/**
 * Runs recovery when the daemon starts and, while Vipps cannot be asked about some payment, again
 * every `retryMs` until all are resolved. Keeps the totals for the screen and the health check.
 */
export class RecoveryService {
  private totals: RecoveryReport | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly journal: Journal;
  private readonly payments: Payments;
  private readonly options: { logger: Logger; retryMs: number; onChange: () => void };

  constructor(
    journal: Journal,
    payments: Payments,
    options: { logger: Logger; retryMs: number; onChange: () => void },
  ) {
    this.journal = journal;
    this.payments = payments;
    this.options = options;
  }

  start(): void {
    this.running = this.run();
  }

  /** Waits for a pass in progress, so the journal is not closed under it. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Null until the first pass has finished, and while it found nothing to recover. */
  report(): RecoveryReport | null {
    return this.totals;
  }

  /** Resolves once the pass started by `start()` (and no later retry) has finished. */
  firstPass(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    const pass = await recoverPayments(this.journal, this.payments, this.options.logger);
    const found = pass.captured + pass.cancelled + pass.closed + pass.unresolved;
    if (found > 0 || this.totals) {
      const before = this.totals ?? { captured: 0, cancelled: 0, closed: 0, unresolved: 0 };
      this.totals = {
        captured: before.captured + pass.captured,
        cancelled: before.cancelled + pass.cancelled,
        closed: before.closed + pass.closed,
        unresolved: pass.unresolved,
      };
      this.options.logger.info('recovery pass', { ...this.totals });
      this.options.onChange();
    }
    if (pass.unresolved > 0 && !this.stopped) {
      this.timer = setTimeout(() => {
        this.running = this.run();
      }, this.options.retryMs);
      this.timer.unref();
    }
  }
}
