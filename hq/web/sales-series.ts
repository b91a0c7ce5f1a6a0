import type { Pool } from 'pg';

// Sales per hour or per day, per kiosk, over a period of HQ's local days: the figures of the HQ page's
// charts, with each kiosk's Z reports of the period beside them. Both are shown because they answer
// different questions: the sum of the sales HQ collected, and what the kiosk's cash register closed
// (a Z report covers the sales since the one before it, which need not start on the period's first day).

export type Bucket = 'hour' | 'day';

export interface KioskSales {
  site: string;
  device: string;
  /** Per bucket of `SalesSeries.buckets`: the amount sold (minor units) and the number of sales. */
  amounts: number[];
  counts: number[];
  sales: { count: number; amount: number };
  zReports: { count: number; amount: number; numbers: number[] };
}

export interface SalesSeries {
  by: Bucket;
  from: string;
  to: string;
  timeZone: string;
  /** Start of each bucket that had a sale anywhere, in epoch seconds (uPlot's x axis). */
  buckets: number[];
  kiosks: KioskSales[];
}

/** Sales in the local days `from`..`to` (YYYY-MM-DD, both included) in `timeZone`. */
export async function salesSeries(
  pool: Pool,
  by: Bucket,
  from: string,
  to: string,
  timeZone: string,
): Promise<SalesSeries> {
  // Local midnights in `timeZone`: $from and the day after $to.
  const period = (f: string, t: string, z: string) =>
    `at >= (${f}::date)::timestamp AT TIME ZONE ${z} AND at < (${t}::date + 1)::timestamp AT TIME ZONE ${z}`;
  const [sold, reports] = await Promise.all([
    pool.query<{ site: string; device: string; bucket: Date; count: string; amount: string }>(
      `SELECT site, device, date_trunc($1, at, $4) AS bucket, count(*) AS count, sum(amount) AS amount
         FROM events WHERE type = 'checkout-completed' AND ${period('$2', '$3', '$4')}
        GROUP BY site, device, bucket ORDER BY site, device, bucket`,
      [by, from, to, timeZone],
    ),
    pool.query<{ site: string; device: string; number: number; amount: string }>(
      `SELECT site, device, (payload->>'number')::int AS number,
              (payload->'sales'->>'amount')::bigint AS amount
         FROM events WHERE type = 'report' AND payload->>'kind' = 'z' AND ${period('$1', '$2', '$3')}
        ORDER BY site, device, number`,
      [from, to, timeZone],
    ),
  ]);
  const buckets = [...new Set(sold.rows.map((r) => r.bucket.getTime() / 1000))].sort((a, b) => a - b);
  const index = new Map(buckets.map((b, i) => [b, i]));
  const kiosks = new Map<string, KioskSales>();
  const kiosk = (site: string, device: string): KioskSales => {
    const key = `${site}/${device}`;
    let entry = kiosks.get(key);
    if (!entry) {
      entry = {
        site,
        device,
        amounts: buckets.map(() => 0),
        counts: buckets.map(() => 0),
        sales: { count: 0, amount: 0 },
        zReports: { count: 0, amount: 0, numbers: [] },
      };
      kiosks.set(key, entry);
    }
    return entry;
  };
  for (const row of sold.rows) {
    const entry = kiosk(row.site, row.device);
    const i = index.get(row.bucket.getTime() / 1000) ?? 0;
    entry.amounts[i] = Number(row.amount);
    entry.counts[i] = Number(row.count);
    entry.sales.count += Number(row.count);
    entry.sales.amount += Number(row.amount);
  }
  for (const row of reports.rows) {
    const entry = kiosk(row.site, row.device);
    entry.zReports.count += 1;
    entry.zReports.amount += Number(row.amount);
    entry.zReports.numbers.push(row.number);
  }
  const ordered = [...kiosks.values()].sort((a, b) =>
    a.site === b.site ? (a.device < b.device ? -1 : 1) : a.site < b.site ? -1 : 1,
  );
  return { by, from, to, timeZone, buckets, kiosks: ordered };
}
