import type { Pool } from 'pg';
import { formatAge } from '../fleet-view.js';
import { alignedTable } from '../terminal-text.js';

// The alerts open now, from the collector's database, for `hq watch --database`.

export interface OpenAlert {
  site: string;
  device: string;
  code: string;
  severity: string;
  message: string;
  raisedAt: number;
}

export async function readOpenAlerts(pool: Pool): Promise<OpenAlert[]> {
  const { rows } = await pool.query<{
    site: string;
    device: string;
    code: string;
    severity: string;
    message: string;
    raised_at: Date;
  }>(
    `SELECT site, device, code, severity, message, raised_at FROM alerts WHERE cleared_at IS NULL
     ORDER BY severity = 'critical' DESC, raised_at, site, device, code`,
  );
  return rows.map((row) => ({ ...row, raisedAt: row.raised_at.getTime() }));
}

/** The open alerts as an aligned table under a heading; nothing when none is open. */
export function formatOpenAlerts(alerts: readonly OpenAlert[], now: number): string {
  if (alerts.length === 0) return '';
  const cells = alerts.map((alert) => [
    alert.site,
    alert.device,
    alert.severity,
    alert.code,
    formatAge(alert.raisedAt, now),
    alert.message,
  ]);
  return `Open alerts:\n${alignedTable(['SITE', 'DEVICE', 'SEVERITY', 'CODE', 'SINCE', 'WHAT'], cells, new Set())}`;
}
