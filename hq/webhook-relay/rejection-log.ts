import type { Logger } from '../../common/log/logger.js';

/**
 * Refused deliveries, logged as one summary line per interval instead of one line per request: the
 * relay faces the internet, and a line per forged request would let anyone flood HQ's journal (and
 * bury the lines that matter). The summary says how many were refused, why, from how many addresses,
 * and which address sent the most.
 */
export class RejectionLog {
  static readonly INTERVAL_MS = 60_000;
  /** Addresses counted per interval; beyond it further senders are counted as "others". */
  static readonly MAX_SENDERS = 10_000;
  private byReason = new Map<string, number>();
  private bySender = new Map<string, number>();
  private otherSenders = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = RejectionLog.INTERVAL_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the interval and writes what is left. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }

  record(reason: string, sender: string): void {
    this.byReason.set(reason, (this.byReason.get(reason) ?? 0) + 1);
    const known = this.bySender.get(sender);
    if (known !== undefined || this.bySender.size < RejectionLog.MAX_SENDERS)
      this.bySender.set(sender, (known ?? 0) + 1);
    else this.otherSenders += 1;
  }

  /** One warning with the counts since the last one; nothing when nothing was refused. */
  flush(): void {
    if (this.byReason.size === 0) return;
    const total = [...this.byReason.values()].reduce((sum, n) => sum + n, 0);
    const [busiest, busiestCount] = [...this.bySender].reduce((a, b) => (b[1] > a[1] ? b : a));
    this.logger.warn(`webhook deliveries refused in the last ${Math.round(this.intervalMs / 1000)} s`, {
      refused: total,
      ...Object.fromEntries(this.byReason),
      senders: this.otherSenders > 0 ? `more than ${this.bySender.size}` : this.bySender.size,
      busiest: `${busiest} (${busiestCount})`,
    });
    this.byReason = new Map();
    this.bySender = new Map();
    this.otherSenders = 0;
  }
}
