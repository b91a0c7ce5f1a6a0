import type { Logger } from '../../common/log/logger.js';

export const DAY_MS = 86_400_000;

/** One store's retention rule: removes what is older than its period as of `now`, and says how much. */
export interface RetentionRule {
  /** For the log: what the count is ("settled payments deleted"). */
  readonly what: string;
  apply(now: number): number | Promise<number>;
}

export interface RetentionSweepOptions {
  logger: Logger;
  now: () => number;
  /** Between sweeps after the one at start: a day. */
  intervalMs?: number;
}

/**
 * The daemon's retention: every rule applied at start and then once a day. A rule that fails is logged
 * and tried again at the next sweep; it neither stops the kiosk from selling nor the other rules.
 */
export class RetentionSweep {
  readonly name = 'retention';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly rules: readonly RetentionRule[],
    private readonly options: RetentionSweepOptions,
  ) {}

  async start(): Promise<void> {
    await this.sweep();
    this.timer = setInterval(() => {
      this.running ??= this.sweep().finally(() => {
        this.running = undefined;
      });
    }, this.options.intervalMs ?? DAY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async sweep(): Promise<void> {
    const now = this.options.now();
    for (const rule of this.rules) {
      try {
        const removed = await rule.apply(now);
        if (removed > 0) this.options.logger.info('retention', { [rule.what]: removed });
      } catch (error) {
        this.options.logger.error('retention could not be applied; tried again at the next sweep', {
          rule: rule.what,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
}
