import type { Logger } from '../../common/log/logger.js';
import { callsInWindow, msUntilCallAllowed } from '../checkout/settle-rules.js';
import type { Journal, PaymentOutcome } from './journal.js';
import type { JournalingPayments } from './journaling-payments.js';
import { type RecoveryReport, recoverPayments } from './recovery.js';

export interface RecoveryServiceOptions {
  logger: Logger;
  /** Pause between passes while something is unresolved or watched. */
  retryMs: number;
  /** See RecoveryOptions.lateWindowMs. */
  lateWindowMs: number;
  now: () => number;
}

/**
 * Resolves, in the background, the payments the kiosk is no longer following: those the journal held
 * open when the daemon started, and those a customer's session let go of since. Never the payment the
 * checkout is following right now: a pass looks only at references handed to it. Passes repeat while
 * anything is unresolved or watched; the totals feed the screen and the health check.
 */
export class RecoveryService {
  private totals: RecoveryReport | null = null;
  private readonly mine = new Set<string>();
  /** The create/capture/cancel calls recovery made per reference in the last minute (Vipps' rate limit). */
  private readonly sent = new Map<string, number[]>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly journal: Journal;
  private readonly payments: JournalingPayments;
  private readonly options: RecoveryServiceOptions;
  private readonly changeListeners = new Set<() => void>();
  private readonly settledListeners = new Set<(reference: string, outcome: PaymentOutcome) => void>();

  constructor(journal: Journal, payments: JournalingPayments, options: RecoveryServiceOptions) {
    this.journal = journal;
    this.payments = payments;
    this.options = options;
  }

  /** Takes on every payment the journal holds open from before this start. */
  start(): void {
    for (const open of this.journal.unfinished()) this.mine.add(open.reference);
    this.pass();
  }

  /** Takes on a payment the checkout let go of without knowing it settled. */
  take(reference: string): void {
    this.mine.add(reference);
    this.pass();
  }

  /** Waits for a pass in progress, so the journal is not closed under it. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Calls `listener` after every pass (the screen shows the totals). */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /**
   * Calls `listener` with each payment recovery followed to its end, once, as it leaves recovery's care
   * (the cash register journals a sale recovery captured, or voids the number of one it released).
   */
  onSettled(listener: (reference: string, outcome: PaymentOutcome) => void): () => void {
    this.settledListeners.add(listener);
    return () => this.settledListeners.delete(listener);
  }

  /** Null until a pass has found something to do. */
  report(): RecoveryReport | null {
    return this.totals;
  }

  /** Resolves once no pass is running. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private pass(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.run().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.pass();
      }
    });
  }

  private async run(): Promise<void> {
    if (this.mine.size === 0) return;
    const pass = await recoverPayments(this.journal, this.payments, this.options.logger, {
      now: this.options.now,
      lateWindowMs: this.options.lateWindowMs,
      only: (reference) => this.mine.has(reference),
      pace: {
        mayCall: (reference) => msUntilCallAllowed(this.sent.get(reference) ?? [], this.options.now()) === 0,
        called: (reference) => {
          const now = this.options.now();
          this.sent.set(reference, [...callsInWindow(this.sent.get(reference) ?? [], now), now]);
        },
      },
    });
    for (const reference of this.mine) {
      const outcome = this.journal.outcome(reference);
      if (outcome === null) continue;
      this.mine.delete(reference);
      this.sent.delete(reference);
      if (outcome !== undefined) for (const listener of this.settledListeners) listener(reference, outcome);
    }
    const before = this.totals ?? { captured: 0, cancelled: 0, closed: 0, unresolved: 0, watching: 0 };
    this.totals = {
      captured: before.captured + pass.captured,
      cancelled: before.cancelled + pass.cancelled,
      closed: before.closed + pass.closed,
      unresolved: pass.unresolved,
      watching: pass.watching,
    };
    this.options.logger.info('recovery pass', { ...this.totals });
    for (const listener of this.changeListeners) listener();
    if (this.mine.size > 0 && !this.stopped) {
      this.timer = setTimeout(() => this.pass(), this.options.retryMs);
      this.timer.unref();
    }
  }
}
