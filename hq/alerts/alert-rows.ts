import type { Pool } from 'pg';
import type { AlertSeverity, HqAlertPayload, HqAlertSource } from '../../contracts/telemetry.js';
import { type KioskKey, kioskKey } from './kiosk-facts.js';

// The `alerts` table (migration 002): each raise and clear is one statement whose RETURNING row says
// whether this replica made the change. The database decides which replica that is: a raise is an
// INSERT the partial unique index `alerts_one_open` turns into nothing when the alert is open already,
// a clear an UPDATE of the open row that the second replica finds cleared once the first committed.
// Only a statement that returns a row is published, so each change goes out once.

interface AlertRow {
  site: string;
  device: string;
  code: string;
  source: HqAlertSource;
  severity: AlertSeverity;
  message: string;
  raised_at: Date;
  cleared_at: Date | null;
}

const COLUMNS = 'site, device, code, source, severity, message, raised_at, cleared_at';

function payload(row: AlertRow | undefined): HqAlertPayload | undefined {
  if (!row) return undefined;
  return {
    site: row.site,
    device: row.device,
    code: row.code,
    source: row.source,
    severity: row.severity,
    message: row.message,
    raisedAt: row.raised_at.toISOString(),
    clearedAt: row.cleared_at?.toISOString() ?? null,
  };
}

export interface RaisedAlert {
  code: string;
  source: HqAlertSource;
  severity: AlertSeverity;
  message: string;
  raisedAt: Date;
}

/** Opens the alert unless one of its kiosk and code is open (or this very raise is stored); the row if this did. */
export async function raiseAlert(
  pool: Pool,
  kiosk: KioskKey,
  alert: RaisedAlert,
): Promise<HqAlertPayload | undefined> {
  const result = await pool.query<AlertRow>(
    `INSERT INTO alerts (site, device, code, source, severity, message, raised_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    [kiosk.site, kiosk.device, alert.code, alert.source, alert.severity, alert.message, alert.raisedAt],
  );
  return payload(result.rows[0]);
}

/** Clears the open alert of `code` raised by `source`; the row if this did. */
export async function clearAlert(
  pool: Pool,
  kiosk: KioskKey,
  code: string,
  source: HqAlertSource,
  clearedAt: Date,
): Promise<HqAlertPayload | undefined> {
  const result = await pool.query<AlertRow>(
    `UPDATE alerts SET cleared_at = greatest($5, raised_at)
     WHERE site = $1 AND device = $2 AND code = $3 AND source = $4 AND cleared_at IS NULL
     RETURNING ${COLUMNS}`,
    [kiosk.site, kiosk.device, code, source, clearedAt],
  );
  return payload(result.rows[0]);
}

/**
 * A kiosk's clear of the alert it raised at `raisedAt`. Stored even when the raise has not arrived:
 * two replicas may take a kiosk's raise and clear at once, and the clear must win, so it is an upsert
 * on the raise's key, and the late raise then finds its row and does nothing.
 */
export async function clearKioskAlert(
  pool: Pool,
  kiosk: KioskKey,
  alert: RaisedAlert,
  clearedAt: Date,
): Promise<HqAlertPayload | undefined> {
  const result = await pool.query<AlertRow>(
    `INSERT INTO alerts (site, device, code, source, severity, message, raised_at, cleared_at)
     VALUES ($1, $2, $3, 'kiosk', $4, $5, $6, greatest($7::timestamptz, $6::timestamptz))
     ON CONFLICT (site, device, code, raised_at) DO UPDATE SET cleared_at = excluded.cleared_at
       WHERE alerts.cleared_at IS NULL
     RETURNING ${COLUMNS}`,
    [kiosk.site, kiosk.device, alert.code, alert.severity, alert.message, alert.raisedAt, clearedAt],
  );
  return payload(result.rows[0]);
}

/** The codes of the open alerts `source` raised, per kiosk (`site\0device`); of one kiosk when given. */
export async function openAlertCodes(
  pool: Pool,
  source: HqAlertSource,
  kiosk: KioskKey | undefined,
): Promise<Map<string, Set<string>>> {
  const result = await pool.query<{ site: string; device: string; code: string }>(
    `SELECT site, device, code FROM alerts
     WHERE cleared_at IS NULL AND source = $1 AND ($2::text IS NULL OR site = $2) AND ($3::text IS NULL OR device = $3)`,
    [source, kiosk?.site ?? null, kiosk?.device ?? null],
  );
  const open = new Map<string, Set<string>>();
  for (const row of result.rows) {
    const key = kioskKey(row.site, row.device);
    const codes = open.get(key) ?? new Set<string>();
    codes.add(row.code);
    open.set(key, codes);
  }
  return open;
}
