import type { Pool } from 'pg';
import { emptyRow, type FleetRow, withHealth, withState } from './fleet-row.js';

// What the HQ page reads from the collector's database (migrations 001–002). Only telemetry's own
// figures leave here: event payloads are picked field by field, never passed on whole.

interface FleetQueryRow {
  site: string;
  device: string;
  presence: string | null;
  presence_at: Date | null;
  version: string | null;
  state: Record<string, unknown> | null;
  health: Record<string, unknown> | null;
  sale_amount: string | null;
  sale_currency: string | null;
  sale_at: Date | null;
  open_alerts: string;
}

const KIOSK_COLUMNS = `
  k.site, k.device, p.state AS presence, p.received_at AS presence_at, p.version,
  s.payload AS state, h.payload AS health,
  ls.amount AS sale_amount, ls.currency AS sale_currency, ls.at AS sale_at,
  (SELECT count(*) FROM alerts a WHERE a.site = k.site AND a.device = k.device AND a.cleared_at IS NULL)
    AS open_alerts
  FROM kiosks k
  LEFT JOIN LATERAL (SELECT state, received_at, version FROM presence
                      WHERE site = k.site AND device = k.device ORDER BY received_at DESC LIMIT 1) p ON true
  LEFT JOIN kiosk_states s ON s.site = k.site AND s.device = k.device
  LEFT JOIN LATERAL (SELECT payload FROM health_samples
                      WHERE site = k.site AND device = k.device ORDER BY received_at DESC LIMIT 1) h ON true
  LEFT JOIN LATERAL (SELECT amount, currency, at FROM events
                      WHERE site = k.site AND device = k.device AND type = 'checkout-completed'
                      ORDER BY at DESC LIMIT 1) ls ON true`;

function fleetRow(row: FleetQueryRow): FleetRow {
  let fleet = withState(emptyRow(row.site, row.device), row.state);
  if (row.health) fleet = withHealth(fleet, row.health);
  return {
    ...fleet,
    online: row.presence === null ? null : row.presence === 'online',
    since: row.presence_at?.getTime() ?? null,
    version: row.version,
    lastSale:
      row.sale_at === null
        ? null
        : { amount: Number(row.sale_amount), currency: row.sale_currency, at: row.sale_at.getTime() },
    openAlerts: Number(row.open_alerts),
  };
}

/** Every kiosk that ever said anything (a status or a state), by site and device. */
export async function loadFleet(pool: Pool): Promise<FleetRow[]> {
  const { rows } = await pool.query<FleetQueryRow>(
    `WITH kiosks AS (SELECT site, device FROM presence UNION SELECT site, device FROM kiosk_states)
     SELECT ${KIOSK_COLUMNS} ORDER BY k.site, k.device`,
  );
  return rows.map(fleetRow);
}

export interface KioskDetail {
  row: FleetRow;
  /** Presence changes and the events that change what a kiosk can do, newest first. */
  timeline: Array<{ at: number; what: string }>;
  /**
   * Columns for uPlot: seconds, event-loop delay p99 (ms), RSS (MB), outbox depth, and reconnects to the
   * broker since the daemon started (null from a kiosk too old to count them).
   */
  health: [number[], (number | null)[], (number | null)[], (number | null)[], (number | null)[]];
  sales: Array<{
    at: number;
    type: string;
    reference: string | null;
    receipt: string | null;
    amount: number | null;
    currency: string | null;
  }>;
  alerts: Array<{
    code: string;
    severity: string;
    message: string;
    source: string;
    raisedAt: number;
    clearedAt: number | null;
  }>;
}

const TIMELINE_EVENTS = [
  'vipps-unreachable',
  'vipps-reachable',
  'scanner-attached',
  'scanner-detached',
  'payments-recovered',
  'selftest-completed',
];
const SALE_EVENTS = [
  'checkout-completed',
  'checkout-declined',
  'checkout-cancelled',
  'return-completed',
  'report',
];
const LIMIT = 200;

/** One kiosk over the `hours` before `now`; undefined when HQ never heard of it. */
export async function loadKiosk(
  pool: Pool,
  site: string,
  device: string,
  now: number,
  hours = 24,
): Promise<KioskDetail | undefined> {
  const { rows } = await pool.query<FleetQueryRow>(
    `WITH kiosks AS (SELECT $1::text AS site, $2::text AS device) SELECT ${KIOSK_COLUMNS}
      WHERE EXISTS (SELECT 1 FROM presence WHERE site = $1 AND device = $2)
         OR EXISTS (SELECT 1 FROM kiosk_states WHERE site = $1 AND device = $2)`,
    [site, device],
  );
  if (!rows[0]) return undefined;
  const from = new Date(now - hours * 3_600_000);
  const kiosk = [site, device, from];
  const [presence, events, health, sales, alerts] = await Promise.all([
    pool.query<{ state: string; received_at: Date }>(
      `SELECT state, received_at FROM presence
        WHERE site = $1 AND device = $2 AND received_at >= $3 ORDER BY received_at`,
      kiosk,
    ),
    pool.query<{ type: string; at: Date }>(
      `SELECT type, at FROM events WHERE site = $1 AND device = $2 AND at >= $3 AND type = ANY($4)
        ORDER BY at DESC LIMIT ${LIMIT}`,
      [...kiosk, TIMELINE_EVENTS],
    ),
    pool.query<{
      received_at: Date;
      p99: number | null;
      rss: number | null;
      outbox: number | null;
      reconnects: number | null;
    }>(
      `SELECT received_at, (payload->'eventLoopDelayMs'->>'p99')::float8 AS p99,
              (payload->>'rssMb')::float8 AS rss, (payload->>'outboxDepth')::float8 AS outbox,
              (payload->>'mqttReconnects')::float8 AS reconnects
         FROM health_samples WHERE site = $1 AND device = $2 AND received_at >= $3
        ORDER BY received_at LIMIT 5000`,
      kiosk,
    ),
    pool.query<{
      type: string;
      at: Date;
      reference: string | null;
      amount: string | null;
      currency: string | null;
      receipt: string | null;
    }>(
      `SELECT type, at, reference, amount, currency,
              coalesce(payload->>'receiptNumber', payload->>'returnNumber', payload->>'number') AS receipt
         FROM events WHERE site = $1 AND device = $2 AND at >= $3 AND type = ANY($4)
        ORDER BY at DESC LIMIT ${LIMIT}`,
      [...kiosk, SALE_EVENTS],
    ),
    pool.query<{
      code: string;
      severity: string;
      message: string;
      source: string;
      raised_at: Date;
      cleared_at: Date | null;
    }>(
      `SELECT code, severity, message, source, raised_at, cleared_at FROM alerts
        WHERE site = $1 AND device = $2 AND (cleared_at IS NULL OR raised_at >= $3)
        ORDER BY cleared_at IS NULL DESC, raised_at DESC LIMIT ${LIMIT}`,
      kiosk,
    ),
  ]);
  const timeline = [
    ...presence.rows.map((p) => ({ at: p.received_at.getTime(), what: p.state })),
    ...events.rows.map((e) => ({ at: e.at.getTime(), what: e.type })),
  ].sort((a, b) => b.at - a.at);
  const seconds = (d: Date) => d.getTime() / 1000;
  return {
    row: fleetRow(rows[0]),
    timeline,
    health: [
      health.rows.map((h) => seconds(h.received_at)),
      health.rows.map((h) => h.p99),
      health.rows.map((h) => h.rss),
      health.rows.map((h) => h.outbox),
      health.rows.map((h) => h.reconnects),
    ],
    sales: sales.rows.map((s) => ({
      at: s.at.getTime(),
      type: s.type,
      reference: s.reference,
      receipt: s.receipt,
      amount: s.amount === null ? null : Number(s.amount),
      currency: s.currency,
    })),
    alerts: alerts.rows.map((a) => ({
      code: a.code,
      severity: a.severity,
      message: a.message,
      source: a.source,
      raisedAt: a.raised_at.getTime(),
      clearedAt: a.cleared_at?.getTime() ?? null,
    })),
  };
}

export type FleetAlert = KioskDetail['alerts'][number] & { site: string; device: string };

/** Open alerts of the fleet, newest first. */
export async function openAlerts(pool: Pool): Promise<FleetAlert[]> {
  const { rows } = await pool.query<{
    site: string;
    device: string;
    code: string;
    severity: string;
    message: string;
    source: string;
    raised_at: Date;
  }>(
    `SELECT site, device, code, severity, message, source, raised_at FROM alerts
      WHERE cleared_at IS NULL ORDER BY raised_at DESC LIMIT ${LIMIT}`,
  );
  return rows.map((a) => ({
    site: a.site,
    device: a.device,
    code: a.code,
    severity: a.severity,
    message: a.message,
    source: a.source,
    raisedAt: a.raised_at.getTime(),
    clearedAt: null,
  }));
}
