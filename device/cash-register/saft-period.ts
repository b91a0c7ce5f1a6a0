import { packageVersion } from '../../common/package-root.js';
import type { Settings } from '../config/schema.js';
import { localDateTime, nextDate, startOfLocalDate } from './formats.js';
import type { CashRegisterStore } from './journal-store.js';
import { saftFileName, saftXml } from './saft-export.js';

export type CashRegisterSettings = Settings & { cashRegister: NonNullable<Settings['cashRegister']> };

/**
 * The SAF-T Cash Register file of the local dates `from`–`to` (both included), named as Skatteetaten's
 * example is: what `vipps-kiosk saft export` writes and HQ's `saft-export` command sends. The caller
 * journals the export (13020) once the file has gone where it goes.
 */
export function saftOfPeriod(
  settings: CashRegisterSettings,
  store: CashRegisterStore,
  period: { from: string; to: string },
  createdAt: number,
): { file: string; xml: string } {
  const { from, to } = period;
  const xml = saftXml({
    company: settings.cashRegister,
    currency: settings.store.currency,
    registerId: settings.device.id,
    locationName: settings.store.name,
    softwareVersion: packageVersion(),
    from,
    to,
    createdAt,
    rows: store.between(startOfLocalDate(from), startOfLocalDate(nextDate(to))),
    priceRows: store.ofKind('price.change'),
    loginRows: store.ofKind('staff.login'),
  });
  return { file: saftFileName(settings.cashRegister.organisationNumber, createdAt), xml };
}

/** A period's date is missing, not a date, or the period ends before it starts. */
export class PeriodError extends Error {
  override readonly name = 'PeriodError';
}

/** `from` and `to` as given (YYYY-MM-DD or "today", Norwegian time), checked. */
export function periodOf(from: unknown, to: unknown, now: number): { from: string; to: string } {
  const date = (value: unknown, name: string): string => {
    if (value === undefined || value === null)
      throw new PeriodError(`${name} is required (YYYY-MM-DD or "today")`);
    const text = value === 'today' ? localDateTime(now).date : String(value);
    try {
      startOfLocalDate(text);
    } catch {
      throw new PeriodError(`${name} "${String(value)}" is not a date: expected YYYY-MM-DD or "today"`);
    }
    return text;
  };
  const period = { from: date(from, 'from'), to: date(to, 'to') };
  if (period.to < period.from) throw new PeriodError(`to ${period.to} is before from ${period.from}`);
  return period;
}
