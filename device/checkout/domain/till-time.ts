// The wall clock of a Norwegian till: a receipt, the cash-register journal and SAF-T all give local time.

/** The time zone of a Norwegian till: transDate/transTime are local time. */
export const TILL_TIME_ZONE = 'Europe/Oslo';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TILL_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export interface LocalDateTime {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM:SS */
  time: string;
}

export function localDateTime(ms: number): LocalDateTime {
  const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}` };
}
