import type { TelemetryRecord } from '../collector/telemetry-record.js';

// One kiosk as the HQ page shows it at a glance: what the database says, brought up to the moment by
// the messages the page's server hears on the broker (the same records the collector makes of them).
// Shared by the server (hq/web) and the page (hq/page); only telemetry's own fields, never a customer's.

export interface FleetRow {
  site: string;
  device: string;
  /** From `status`; null before any arrived. */
  online: boolean | null;
  /** When HQ received that status (epoch ms). */
  since: number | null;
  version: string | null;
  screen: string | null;
  vippsReachable: boolean | null;
  scannerAttached: boolean | null;
  /** The receipt printer's condition from `health` (ready, paper-out, …); null without a printer. */
  printer: string | null;
  outboxDepth: number | null;
  degraded: boolean | null;
  lastSale: { amount: number; currency: string | null; at: number } | null;
  openAlerts: number;
}

type Json = Record<string, unknown>;

const bool = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const count = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

export function emptyRow(site: string, device: string): FleetRow {
  return {
    site,
    device,
    online: null,
    since: null,
    version: null,
    screen: null,
    vippsReachable: null,
    scannerAttached: null,
    printer: null,
    outboxDepth: null,
    degraded: null,
    lastSale: null,
    openAlerts: 0,
  };
}

/** The fields a `state` payload gives. */
export function withState(row: FleetRow, state: Json | null): FleetRow {
  return {
    ...row,
    screen: text(state?.screen),
    vippsReachable: bool(state?.vippsReachable),
    scannerAttached: bool(state?.scannerAttached),
  };
}

/** The fields a `health` payload gives. */
export function withHealth(row: FleetRow, health: Json): FleetRow {
  const printer = health.printer as Json | undefined;
  return {
    ...row,
    outboxDepth: count(health.outboxDepth),
    degraded: bool(health.degraded),
    printer: text(printer?.condition),
  };
}

/**
 * `row` after one record heard live, or undefined when the record changes nothing shown here. An
 * alert only says "read the alerts again": the collector decides what is open.
 */
export function applyRecord(row: FleetRow, record: TelemetryRecord, now: number): FleetRow | undefined {
  switch (record.kind) {
    case 'presence':
      return {
        ...row,
        online: record.state === 'online',
        since: now,
        version: record.version ?? row.version,
      };
    case 'state':
      return withState(row, record.payload);
    case 'health':
      return withHealth(row, record.payload);
    case 'event':
      if (record.type === 'checkout-completed' && record.amount !== null) {
        const at = record.at.getTime();
        if (row.lastSale && row.lastSale.at > at) return undefined;
        return { ...row, lastSale: { amount: record.amount, currency: record.currency, at } };
      }
      if (record.type === 'vipps-unreachable') return { ...row, vippsReachable: false };
      if (record.type === 'vipps-reachable') return { ...row, vippsReachable: true };
      return undefined;
    default:
      return undefined;
  }
}
