// The text forms SAF-T Cash Register and Skatteetaten's signature rules expect: amounts with a point and
// exactly two decimals (no thousands separator), dates YYYY-MM-DD and times HH:MM:SS on the wall clock of
// the till (Norway), so what is signed is what the XML file and a receipt show. The
// till's wall clock itself lives with the checkout's domain, where the sales receipt is made.

import { localDateTime, TILL_TIME_ZONE } from '../checkout/domain/till-time.js';

export { type LocalDateTime, localDateTime, TILL_TIME_ZONE } from '../checkout/domain/till-time.js';

/** Minor units (øre) as "1250.00", "-16.40", "0.05". */
export function amountText(minor: number): string {
  if (!Number.isSafeInteger(minor))
    throw new RangeError(`amount ${minor} is not a whole number of minor units`);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * The first millisecond of a local date (YYYY-MM-DD) in Norway, so a period chosen by date covers the
 * till's own day.
 */
export function startOfLocalDate(date: string): number {
  return localInstant(date, '00:00');
}

/**
 * The instant a Norwegian wall clock shows `time` (HH:MM) on `date`, found by stepping from the same
 * reading in UTC by the zone's offset (one or two hours). A time that does not exist that day (the hour
 * skipped when summer time starts) is refused.
 */
export function localInstant(date: string, time: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new RangeError(`"${date}" is not a date of the form YYYY-MM-DD`);
  }
  const utc = Date.parse(`${date}T${time}:00Z`);
  for (const offsetHours of [0, 1, 2, -1]) {
    const candidate = utc - offsetHours * 3_600_000;
    const local = localDateTime(candidate);
    if (local.date === date && local.time === `${time}:00`) return candidate;
  }
  throw new RangeError(`${date} ${time} does not exist in ${TILL_TIME_ZONE}`);
}

/** The local date after `date`. */
export function nextDate(date: string): string {
  const next = new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000);
  return next.toISOString().slice(0, 10);
}
