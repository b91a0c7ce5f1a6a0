import type pg from 'pg';
import {
  type Movement,
  type Reconciliation,
  type ReportedMoney,
  reconcile,
  type SettledMoney,
} from './reconcile.js';
import type { ReportApi } from './report-api.js';

// One ledger date reconciled: Vipps' funds ledger for the date against the money events the collector
// stored. A sale a second before midnight may land on the next ledger date at Vipps, so a settled entry
// is matched against the kiosk's event for its reference whenever that event was sent; only what the
// kiosks reported *on* the date can be "reported but not settled".

/** The ledger date is the sales unit's local date (the guide: midnight to midnight where the merchant is). */
const LEDGER_ZONES: Record<string, string> = {
  NOK: 'Europe/Oslo',
  DKK: 'Europe/Copenhagen',
  EUR: 'Europe/Helsinki',
};

/** The kiosk events that move money, and which way. */
const MONEY_EVENTS: Record<string, Movement> = {
  'checkout-completed': 'capture',
  'return-completed': 'refund',
};

export interface DayReconciliation extends Reconciliation {
  date: string;
  ledgerId: string;
  currency: string;
}

export class LedgerNotClosedError extends Error {
  constructor(readonly date: string) {
    super(
      `Vipps has not closed ledger date ${date} yet: its report is complete only after that day; try again later`,
    );
    this.name = 'LedgerNotClosedError';
  }
}

export async function reconcileDay(
  pool: pg.Pool,
  api: ReportApi,
  date: string,
): Promise<DayReconciliation[]> {
  const results: DayReconciliation[] = [];
  for (const ledger of await api.ledgers()) {
    const funds = await api.fundsOn(ledger.ledgerId, date);
    if (funds === null) throw new LedgerNotClosedError(date);
    const settled: SettledMoney[] = funds
      .filter((entry) => entry.entryType === 'capture' || entry.entryType === 'refund')
      .map((entry) => ({
        reference: entry.reference,
        movement: entry.entryType as Movement,
        amount: entry.amount,
        currency: entry.currency,
        pspReferences: [entry.pspReference],
      }));
    const zone = LEDGER_ZONES[ledger.currency] ?? 'Europe/Oslo';
    const { rows } = await pool.query<{
      site: string;
      device: string;
      type: string;
      reference: string;
      amount: string;
      currency: string;
    }>(
      `SELECT site, device, type, reference, amount, currency FROM events
        WHERE type = ANY($1) AND reference IS NOT NULL AND currency = $2
          AND ((at AT TIME ZONE $3)::date = $4::date OR reference = ANY($5))`,
      [Object.keys(MONEY_EVENTS), ledger.currency, zone, date, settled.map((s) => s.reference)],
    );
    const reported: ReportedMoney[] = rows.map((row) => ({
      reference: row.reference,
      movement: MONEY_EVENTS[row.type] ?? 'capture',
      // bigint columns come back as text from `pg`; minor units fit a double exactly.
      amount: Number(row.amount),
      currency: row.currency,
      kiosk: `${row.site}/${row.device}`,
    }));
    results.push({
      date,
      ledgerId: ledger.ledgerId,
      currency: ledger.currency,
      ...reconcile(reported, settled),
    });
  }
  return results;
}
