import { readFile } from 'node:fs/promises';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { databaseOption, openDatabase } from '../database/database.js';
import { type DayReconciliation, reconcileDay } from '../reconcile/reconcile-day.js';
import { ReportApi, type VippsKeys } from '../reconcile/report-api.js';

export const hqReconcileUsage = `vipps-kiosk hq reconcile --date YYYY-MM-DD --database URL --vipps-keys FILE
                         [--vipps-url URL] [--json]
  Matches Vipps' settlement of a ledger date (the Report API's funds ledger, read with the sales unit's
  keys) against the sales and refunds the collector stored: what matches, what Vipps settled that no
  kiosk reported, what a kiosk reported that Vipps has not settled, and amounts that disagree. FILE is
  JSON {"clientId", "clientSecret", "subscriptionKey", "merchantSerialNumber"} (readable by HQ only);
  --vipps-url defaults to https://api.vipps.no. Exits 1 when anything does not match, or when Vipps has
  not closed the date yet (its report is complete only after the day).`;

const KEY_FIELDS = ['clientId', 'clientSecret', 'subscriptionKey', 'merchantSerialNumber'] as const;

/** The sales unit keys of `--vipps-keys FILE`; a UsageError says what is missing. */
export async function readVippsKeys(file: string | undefined, baseUrl: string): Promise<VippsKeys> {
  if (file === undefined) throw new UsageError('--vipps-keys FILE is required (the sales unit keys as JSON)');
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`--vipps-keys ${file}: ${(error as Error).message}`);
  }
  const missing = KEY_FIELDS.filter((field) => typeof parsed[field] !== 'string' || parsed[field] === '');
  if (missing.length > 0) throw new UsageError(`--vipps-keys ${file} lacks ${missing.join(', ')}`);
  return { baseUrl, ...(parsed as Record<(typeof KEY_FIELDS)[number], string>) };
}

function money(minor: number): string {
  return (minor / 100).toFixed(2);
}

function reportText(day: DayReconciliation): string {
  const lines = [
    `Ledger ${day.ledgerId} (${day.currency}), ${day.date}: kiosks ${money(day.totals.reported)}, ` +
      `Vipps settled ${money(day.totals.settled)}`,
    `  matched: ${day.matched.length}`,
  ];
  for (const s of day.settledNotReported)
    lines.push(
      `  settled, no kiosk reported it: ${s.movement} ${s.reference} ${money(s.amount)} (${s.pspReferences.join(', ')})`,
    );
  for (const r of day.reportedNotSettled)
    lines.push(`  reported by ${r.kiosk}, not settled: ${r.movement} ${r.reference} ${money(r.amount)}`);
  for (const d of day.disagreeing)
    lines.push(
      `  amounts differ: ${d.movement} ${d.reference} kiosk ${money(d.reported)}, Vipps ${money(d.settled)}`,
    );
  return lines.join('\n');
}

export async function hqReconcileCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    date: { type: 'string' },
    database: { type: 'string' },
    'vipps-keys': { type: 'string' },
    'vipps-url': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const date = values.date;
  if (date === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date)))
    throw new UsageError('--date YYYY-MM-DD is required: the ledger date to reconcile');
  const keys = await readVippsKeys(values['vipps-keys'], values['vipps-url'] ?? 'https://api.vipps.no');
  const database = await openDatabase(databaseOption(values.database));
  try {
    const days = await reconcileDay(database.pool, new ReportApi(keys), date);
    process.stdout.write(
      values.json ? `${JSON.stringify(days, null, 2)}\n` : `${days.map(reportText).join('\n')}\n`,
    );
    const open = days.reduce(
      (n, day) => n + day.settledNotReported.length + day.reportedNotSettled.length + day.disagreeing.length,
      0,
    );
    if (open > 0) throw new Error(`${open} payment movement(s) on ${date} do not match; see above`);
  } finally {
    await database.close();
  }
}
