import type { Logger } from '../../common/log/logger.js';
import type { CashRegister } from './cash-register.js';
import { localDateTime, localInstant, nextDate, startOfLocalDate } from './formats.js';
import type { CashRegisterStore } from './journal-store.js';
import type { JournaledReport, ReportKind } from './reports.js';

export interface ReportDeskParts {
  register: CashRegister;
  store: CashRegisterStore;
  /** `cashRegister.closingTime` ("HH:MM", Norwegian time); absent, no automatic Z report. */
  closingTime: string | undefined;
  now: () => number;
  /** Each report made here, once journaled (the daemon sends it to HQ). */
  onReport(report: JournaledReport): void;
  logger: Logger;
}

/** The first closing time strictly after `after` (a day whose wall clock skips that time is passed over). */
export function nextClosing(after: number, closingTime: string): number {
  let date = localDateTime(after).date;
  for (;;) {
    try {
      const at = localInstant(date, closingTime);
      if (at > after) return at;
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
    date = nextDate(date);
  }
}

/** The last closing time at or before `at`. */
function previousClosing(at: number, closingTime: string): number {
  let candidate = nextClosing(at - 2 * 86_400_000, closingTime);
  for (;;) {
    const next = nextClosing(candidate, closingTime);
    if (next > at) return candidate;
    candidate = next;
  }
}

/**
 * Where the daemon's X and Z reports are made: for HQ's `report` command and, at the closing time, the
 * Z report staff forgot. Staff closed the day when a Z report was made that local date and nothing was
 * sold after it; otherwise the closing time makes one. A day whose closing time passed while the kiosk
 * was off is closed when it starts again. A day without sales still gets its Z report: an empty Z is a Z.
 */
export class ReportDesk {
  readonly name = 'automatic Z report';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly parts: ReportDeskParts) {}

  make(kind: ReportKind): JournaledReport {
    const report = this.parts.register.report(kind);
    this.parts.onReport(report);
    return report;
  }

  start(): void {
    const { closingTime, now } = this.parts;
    if (closingTime === undefined) return;
    this.closeIfForgotten(previousClosing(now(), closingTime));
    this.schedule(closingTime);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(closingTime: string): void {
    const at = nextClosing(this.parts.now(), closingTime);
    this.timer = setTimeout(() => {
      this.closeIfForgotten(at);
      this.schedule(closingTime);
    }, at - this.parts.now());
  }

  private closeIfForgotten(closing: number): void {
    const { store } = this.parts;
    const last = store.lastOfKind('report.z');
    const closedByStaff =
      last !== undefined &&
      last.at >= startOfLocalDate(localDateTime(closing).date) &&
      !store.after(last.nr).some((row) => row.kind === 'sale');
    if (closedByStaff) return;
    try {
      const report = this.make('z');
      this.parts.logger.info('automatic Z report at closing time', { number: String(report.number) });
    } catch (error) {
      // A full disk or a clock that went backwards: staff and the log see why; the next closing tries again.
      this.parts.logger.error(`no automatic Z report: ${(error as Error).message}`);
    }
  }
}
