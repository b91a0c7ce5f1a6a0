import type { Pool } from 'pg';
import type { KioskFacts } from './alert-rules.js';

// What the rules need of each kiosk, read from what the collector committed: for one kiosk when one
// of its messages arrives, for the whole fleet on the sweep. Set-based queries, one per kind of fact,
// so the sweep costs the same few statements for 10 kiosks or 1,000.

type Json = Record<string, unknown>;

/** The kinds of facts, each read by one query; a message reads only those its topic can change. */
export type FactKind = 'presence' | 'state' | 'recovered' | 'health' | 'reports';
export const ALL_FACTS: readonly FactKind[] = ['presence', 'state', 'recovered', 'health', 'reports'];

export interface KioskKey {
  site: string;
  device: string;
}

/** A kiosk's key in the maps these functions return. */
export const kioskKey = (site: string, device: string) => `${site}\u0000${device}`;

/** `$1`/`$2` null: every kiosk. */
const FOR_KIOSK = '($1::text IS NULL OR site = $1) AND ($2::text IS NULL OR device = $2)';

const QUERIES: Record<FactKind, string> = {
  // The current connection: the newest boot, its newest session, and within one session the offline
  // that ends it. A late will of an older session, arriving after the kiosk is back, does not count.
  presence: `SELECT DISTINCT ON (site, device) site, device, state, received_at
             FROM presence WHERE ${FOR_KIOSK}
             ORDER BY site, device, started_at DESC NULLS LAST, session DESC, (state = 'offline') DESC,
                      received_at DESC`,
  state: `SELECT site, device, payload FROM kiosk_states WHERE ${FOR_KIOSK}`,
  recovered: `SELECT DISTINCT ON (site, device) site, device, payload FROM events
              WHERE type = 'payments-recovered' AND ${FOR_KIOSK}
              ORDER BY site, device, at DESC`,
  // The newest samples of each kiosk, from the last hour (a kiosk silent longer is the offline rule's).
  health: `SELECT site, device, payload FROM (
             SELECT site, device, payload, row_number() OVER (PARTITION BY site, device ORDER BY received_at DESC) AS n
             FROM health_samples WHERE received_at > $3::timestamptz - interval '1 hour' AND ${FOR_KIOSK}
           ) newest WHERE n <= $4 ORDER BY site, device, n`,
  reports: `SELECT site, device, max(at) FILTER (WHERE payload->>'kind' = 'z') AS last_z
            FROM events WHERE type = 'report' AND ${FOR_KIOSK} GROUP BY site, device`,
};

interface Row {
  site: string;
  device: string;
  state?: 'online' | 'offline';
  received_at?: Date;
  payload?: Json;
  last_z?: Date | null;
}

/**
 * The facts of `kiosk` (or of every kiosk) of the kinds asked for; `now` bounds the health samples,
 * `healthSamples` is how many of the newest are read.
 */
export async function readKioskFacts(
  pool: Pool,
  kinds: readonly FactKind[],
  kiosk: KioskKey | undefined,
  now: number,
  healthSamples: number,
): Promise<Map<string, KioskFacts>> {
  const facts = new Map<string, KioskFacts>();
  const of = (site: string, device: string): KioskFacts => {
    let found = facts.get(kioskKey(site, device));
    if (!found) {
      found = { site, device };
      facts.set(kioskKey(site, device), found);
    }
    return found;
  };
  const results = await Promise.all(
    kinds.map(async (kind) => {
      const params: unknown[] = [kiosk?.site ?? null, kiosk?.device ?? null];
      if (kind === 'health') params.push(new Date(now), healthSamples);
      return { kind, rows: (await pool.query<Row>(QUERIES[kind], params)).rows };
    }),
  );
  for (const { kind, rows } of results)
    for (const row of rows) {
      const kioskFacts = of(row.site, row.device);
      if (kind === 'presence') kioskFacts.presence = { state: row.state!, since: row.received_at! };
      else if (kind === 'state') kioskFacts.state = row.payload ?? null;
      else if (kind === 'recovered') kioskFacts.recovered = row.payload;
      else if (kind === 'health') kioskFacts.health = [...(kioskFacts.health ?? []), row.payload ?? {}];
      else kioskFacts.reports = { lastZAt: row.last_z ?? null };
    }
  // A kiosk asked for whose retained state was cleared: its state rules clear too.
  if (kiosk && kinds.includes('state')) {
    const one = of(kiosk.site, kiosk.device);
    if (one.state === undefined) one.state = null;
  }
  return facts;
}
