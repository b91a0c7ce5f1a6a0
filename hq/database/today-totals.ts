import type { Pool } from 'pg';
import { formatAge, formatMoney } from '../fleet-view.js';
import { alignedTable } from '../terminal-text.js';

// Today's figures per kiosk as the collector stored them, for `hq watch --database`: what was sold
// before the watcher started too, not only what it saw arrive.

export interface KioskTotals {
  site: string;
  device: string;
  sales: number;
  /** Minor units, VAT included; in `currency`, or 'mixed' when a kiosk sold in more than one. */
  amount: number;
  currency: string | null;
  declines: number;
  cancels: number;
  /** Epoch ms of the last sale today (the kiosk's clock). */
  lastSaleAt: number | null;
}

/** Midnight at the start of `now`'s day, in this machine's time zone (HQ's day). */
export function startOfDay(now: number): Date {
  const day = new Date(now);
  day.setHours(0, 0, 0, 0);
  return day;
}

interface TotalsRow {
  site: string;
  device: string;
  sales: string;
  amount: string;
  currencies: string[] | null;
  declines: string;
  cancels: string;
  last_sale_at: Date | null;
}

/** Per kiosk that had any checkout today, by site and device. */
export async function readTodayTotals(pool: Pool, now: number): Promise<KioskTotals[]> {
  const { rows } = await pool.query<TotalsRow>(
    `SELECT site, device,
            count(*) FILTER (WHERE type = 'checkout-completed') AS sales,
            coalesce(sum(amount) FILTER (WHERE type = 'checkout-completed'), 0) AS amount,
            array_agg(DISTINCT currency) FILTER (WHERE type = 'checkout-completed') AS currencies,
            count(*) FILTER (WHERE type = 'checkout-declined') AS declines,
            count(*) FILTER (WHERE type = 'checkout-cancelled') AS cancels,
            max(at) FILTER (WHERE type = 'checkout-completed') AS last_sale_at
       FROM events
      WHERE at >= $1 AND type IN ('checkout-completed', 'checkout-declined', 'checkout-cancelled')
      GROUP BY site, device
      ORDER BY site, device`,
    [startOfDay(now)],
  );
  return rows.map((row) => {
    const currencies = (row.currencies ?? []).filter((c) => c !== null);
    return {
      site: row.site,
      device: row.device,
      sales: Number(row.sales),
      amount: Number(row.amount),
      currency: currencies.length > 1 ? 'mixed' : (currencies[0] ?? null),
      declines: Number(row.declines),
      cancels: Number(row.cancels),
      lastSaleAt: row.last_sale_at?.getTime() ?? null,
    };
  });
}

const HEADERS = ['SITE', 'DEVICE', 'SALES', 'AMOUNT', 'DECLINED', 'CANCELLED', 'LAST SALE'] as const;
const RIGHT = new Set<string>(['SALES', 'AMOUNT', 'DECLINED', 'CANCELLED']);

function amountText(row: KioskTotals): string {
  if (row.sales === 0) return '-';
  if (row.currency === 'mixed' || row.currency === null)
    return `${(row.amount / 100).toFixed(2)} (mixed currencies)`;
  return formatMoney(row.amount, row.currency);
}

/** The totals as an aligned table under a heading that says which day; ends with a newline. */
export function formatTodayTotals(rows: readonly KioskTotals[], now: number): string {
  const day = startOfDay(now).toLocaleDateString('sv-SE'); // YYYY-MM-DD
  const heading = `Today (${day}) in the database:\n`;
  if (rows.length === 0) return `${heading}No checkouts stored yet today.\n`;
  const cells = rows.map((row) => [
    row.site,
    row.device,
    String(row.sales),
    amountText(row),
    String(row.declines),
    String(row.cancels),
    row.lastSaleAt === null ? '-' : formatAge(row.lastSaleAt, now),
  ]);
  return `${heading}${alignedTable(HEADERS, cells, RIGHT)}`;
}
