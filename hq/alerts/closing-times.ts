import { UsageError } from '../../common/cli/args.js';

// When each site closes, for the rule "no Z report within 15 minutes after closing time". A collector
// option, not the fleet file: the fleet file says who may do what on the broker, and opening hours
// change with the seasons, without a broker reload. `--closing-time 21:00` holds for every site,
// `--closing-time oslo-1=22:00` for one; times are HQ's wall clock (its TZ, the kiosks' Norwegian time
// in practice), as `hq watch`'s "today" is.

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const SITE = /^[A-Za-z0-9_-]{1,64}$/;

export interface ClosingTimes {
  /** For sites without their own; undefined: the rule is off for them. */
  readonly everySite: string | undefined;
  readonly bySite: ReadonlyMap<string, string>;
}

export const NO_CLOSING_TIMES: ClosingTimes = { everySite: undefined, bySite: new Map() };

/** The `--closing-time` values: `HH:MM` for every site, `SITE=HH:MM` for one; a UsageError names a bad one. */
export function parseClosingTimes(values: readonly string[]): ClosingTimes {
  let everySite: string | undefined;
  const bySite = new Map<string, string>();
  for (const value of values) {
    const [site, time] = value.includes('=') ? value.split('=', 2) : [undefined, value];
    if (time === undefined || !TIME.test(time) || (site !== undefined && !SITE.test(site)))
      throw new UsageError(
        `--closing-time "${value}" is not valid: give HH:MM (24-hour) for every site, or SITE=HH:MM for one`,
      );
    if (site === undefined) everySite = time;
    else bySite.set(site, time);
  }
  return { everySite, bySite };
}

export function closingTimeOf(times: ClosingTimes, site: string): string | undefined {
  return times.bySite.get(site) ?? times.everySite;
}

/** `HH:MM` on the local date of `day` (epoch ms), as an instant. */
function closingOn(day: Date, time: string): Date {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return new Date(day.getFullYear(), day.getMonth(), day.getDate(), hours, minutes);
}

/**
 * The latest day whose closing time plus `graceMs` has passed at `now`: that day must have its Z
 * report, made on or after its local midnight (`dayStart`). Today's once its deadline passed,
 * yesterday's until then.
 */
export function lastClosingDeadline(
  now: number,
  time: string,
  graceMs: number,
): { dayStart: Date; deadline: Date } {
  const today = new Date(now);
  today.setHours(0, 0, 0, 0);
  const deadline = new Date(closingOn(today, time).getTime() + graceMs);
  if (deadline.getTime() <= now) return { dayStart: today, deadline };
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  return { dayStart: yesterday, deadline: new Date(closingOn(yesterday, time).getTime() + graceMs) };
}
