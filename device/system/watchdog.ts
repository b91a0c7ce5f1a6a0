import type { Logger } from '../../common/log/logger.js';
import type { ServiceNotifier } from './sd-notify.js';

/** One part the kiosk cannot work without: healthy, or a sentence saying what is wrong. */
export type HealthCheck = () => { healthy: true } | { healthy: false; reason: string };

export interface WatchdogOptions {
  notifier: ServiceNotifier;
  logger: Logger;
  /** From WatchdogSec=; pings go out at half of it, as sd_watchdog_enabled(3) advises. */
  intervalMs: number;
}

/**
 * Pings systemd's service watchdog only while every registered check passes. A daemon whose event
 * loop still turns but whose checkout machine has died, or whose scanner loop has stopped reading,
 * is then restarted by systemd, instead of being kept alive by a timer that pings regardless.
 */
export class ServiceWatchdog {
  private readonly checks = new Map<string, HealthCheck>();
  private readonly options: WatchdogOptions;
  private timer: NodeJS.Timeout | undefined;
  private failing = '';

  constructor(options: WatchdogOptions) {
    this.options = options;
  }

  /** Adds a check by name; the next ping waits for it to pass too. */
  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), Math.max(1, Math.floor(this.options.intervalMs / 2)));
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round: every check, then a ping if all passed. Returns the failures (empty when it pinged). */
  async tick(): Promise<string[]> {
    const failures = [...this.checks].flatMap(([name, check]) => {
      const verdict = safely(check);
      return verdict.healthy ? [] : [`${name}: ${verdict.reason}`];
    });
    const failing = failures.join('; ');
    if (failing !== this.failing) {
      // Said once per change, so a sick kiosk does not flood the journal every few seconds.
      if (failing) this.options.logger.error('withholding the watchdog ping', { failing });
      else if (this.failing) this.options.logger.info('healthy again; watchdog pings resumed');
      this.failing = failing;
      await this.options.notifier.status(failing ? `unhealthy: ${failing}` : 'serving').catch(() => {});
    }
    if (failures.length === 0) {
      await this.options.notifier.watchdog().catch((error: unknown) => {
        this.options.logger.warn('watchdog ping not delivered', { error: String(error) });
      });
    }
    return failures;
  }
}

/** A check that throws is a failing check, never a crash of the watchdog itself. */
function safely(check: HealthCheck): ReturnType<HealthCheck> {
  try {
    return check();
  } catch (error) {
    return { healthy: false, reason: `the check itself failed: ${String(error)}` };
  }
}
