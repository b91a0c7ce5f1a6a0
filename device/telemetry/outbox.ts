import type Database from 'better-sqlite3';
import { maskMsisdn } from '../../common/log/mask.js';
import { openPrivateSqlite, truncateWal } from '../storage/private-sqlite.js';
import { newEventId } from './event-id.js';

export const OUTBOX_FILE = 'telemetry-outbox.sqlite';

const SCHEMA_VERSION = 1;

// `seq` is the order of enqueueing, which is the order of publishing; `id` is what HQ de-duplicates by
// (a redelivery after a lost PUBACK carries the same id).
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    type       TEXT NOT NULL,
    class      TEXT NOT NULL CHECK (class IN ('money', 'info')),
    payload    TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS events_info ON events(seq) WHERE class = 'info';
`;

/**
 * `money`: a sale, a capture, a cancel, a recovery — HQ's books depend on it, it is never dropped.
 * `info`: health samples, scanner attach/detach, errors — the oldest go first when the outbox is full.
 */
export type EventClass = 'money' | 'info';

export interface NewEvent {
  type: string;
  class: EventClass;
  payload: Record<string, unknown>;
}

export interface OutboxEvent extends NewEvent {
  seq: number;
  id: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

export interface OutboxLimits {
  /** Above this many events, `info` events are dropped oldest first. */
  maxEvents: number;
  /** From this depth on the kiosk reports itself degraded (HQ is not hearing from it). */
  degradedAt: number;
}

export const DEFAULT_OUTBOX_LIMITS: OutboxLimits = { maxEvents: 10_000, degradedAt: 1_000 };

/**
 * The port the publisher drains (publisher.ts, outbox-drain.ts) and the contract suite checks
 * (test/telemetry/outbox-contract.ts): an event is kept, in order, from `enqueue` until `ack`.
 */
export interface Outbox {
  /**
   * Keeps the event (durably, before this returns) and gives it its id and place in the order. Over the
   * limit the oldest `info` events make room; `money` events are never dropped.
   */
  enqueue(event: NewEvent): OutboxEvent;
  /** Up to `limit` events in publishing order, after `afterSeq` (the last one already in flight). */
  next(limit: number, afterSeq?: number): OutboxEvent[];
  /** The broker has the event (PUBACK): it is HQ's now. Acking an unknown id is a no-op and answers false. */
  ack(id: string): boolean;
  depth(): number;
  /** The device should report itself degraded: HQ is behind on this kiosk's events. */
  overThreshold(): boolean;
  /** `info` events dropped since this outbox was opened (for the health sample). */
  dropped(): number;
  stop(): void;
}

/** The outbox cannot be used: events would be lost, so the caller must not pretend to have sent them. */
export class OutboxUnavailableError extends Error {
  override readonly name = 'OutboxUnavailableError';

  constructor(path: string, cause: unknown) {
    super(
      `The telemetry outbox ${path} cannot be opened (${(cause as Error).message}). Sale events for HQ cannot ` +
        'be kept. Check the disk and the state directory; do not delete the file, it may hold events HQ has ' +
        'not received yet.',
      { cause },
    );
  }
}

/**
 * The durable outbox: an event is committed to a SQLite file in the state directory (WAL, synchronous
 * FULL, so it survives a power cut) before anything tries to publish it, and removed only when the
 * broker has acknowledged it (PUBACK). MQTT.js' own stores are in memory and lost on restart, and its
 * offline queue is unbounded (anchors §B5); this is the store that counts.
 */
export class SqliteOutbox implements Outbox {
  private readonly db: Database.Database;
  private droppedCount = 0;

  private constructor(
    db: Database.Database,
    private readonly limits: OutboxLimits,
    private readonly now: () => number,
  ) {
    this.db = db;
  }

  static open(
    path: string,
    limits: OutboxLimits = DEFAULT_OUTBOX_LIMITS,
    now: () => number = Date.now,
  ): SqliteOutbox {
    if (!(limits.maxEvents > 0 && limits.degradedAt > 0))
      throw new RangeError('outbox limits must be positive numbers of events');
    let db: Database.Database;
    try {
      // secure_delete although the payload guard keeps customers out: should one slip through, `forget`
      // must be able to take it out of the file's bytes too.
      db = openPrivateSqlite(path, { sql: SCHEMA, version: SCHEMA_VERSION });
    } catch (error) {
      throw new OutboxUnavailableError(path, error);
    }
    return new SqliteOutbox(db, limits, now);
  }

  /**
   * Commits the event and returns it with its id. When the outbox is over its limit, the oldest `info`
   * events are deleted in the same transaction; `money` events stay whatever the depth.
   */
  enqueue(event: NewEvent): OutboxEvent {
    const createdAt = this.now();
    const id = newEventId(createdAt);
    const payload = JSON.stringify(event.payload);
    let seq = 0;
    let dropped = 0;
    this.db.transaction(() => {
      seq = Number(
        this.db
          .prepare('INSERT INTO events (id, type, class, payload, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(id, event.type, event.class, payload, createdAt).lastInsertRowid,
      );
      const excess = this.depth() - this.limits.maxEvents;
      if (excess > 0) {
        dropped = this.db
          .prepare(
            "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE class = 'info' ORDER BY seq LIMIT ?)",
          )
          .run(excess).changes;
      }
    })();
    this.droppedCount += dropped;
    return { ...event, seq, id, createdAt };
  }

  /** Up to `limit` events in publishing order, after `afterSeq` (the last one already in flight). */
  next(limit: number, afterSeq = 0): OutboxEvent[] {
    const rows = this.db
      .prepare(
        'SELECT seq, id, type, class, payload, created_at FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
      )
      .all(afterSeq, limit) as Array<{
      seq: number;
      id: string;
      type: string;
      class: EventClass;
      payload: string;
      created_at: number;
    }>;
    return rows.map((row) => ({
      seq: row.seq,
      id: row.id,
      type: row.type,
      class: row.class,
      payload: JSON.parse(row.payload) as Record<string, unknown>,
      createdAt: row.created_at,
    }));
  }

  /** The broker has the event (PUBACK): it is HQ's now. Acking an unknown id is a no-op. */
  ack(id: string): boolean {
    return this.db.prepare('DELETE FROM events WHERE id = ?').run(id).changes > 0;
  }

  depth(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  }

  /** The device should report itself degraded: HQ is behind on this kiosk's events. */
  overThreshold(): boolean {
    return this.depth() >= this.limits.degradedAt;
  }

  /** `info` events dropped since this outbox was opened (for the health sample). */
  dropped(): number {
    return this.droppedCount;
  }

  /**
   * `vipps-kiosk club forget`: the payload guard keeps customers out of telemetry, so this should find
   * nothing; should an event hold the number anyway (a string, spaced or not, or a JSON number), it is
   * masked in place rather than deleted, since a money event is HQ's books. How many events held it.
   */
  forget(msisdn: string): number {
    const spelled = new RegExp(`(?<!\\d)\\+?${[...msisdn].join('[\\s-]?')}(?!\\d)`, 'g');
    const scrub = (value: unknown): unknown => {
      if (typeof value === 'string') return value.replace(spelled, maskMsisdn(msisdn));
      if (typeof value === 'number') return String(value) === msisdn ? maskMsisdn(msisdn) : value;
      if (Array.isArray(value)) return value.map(scrub);
      if (value !== null && typeof value === 'object')
        return Object.fromEntries(
          Object.entries(value).map(([key, inner]) => [String(scrub(key)), scrub(inner)]),
        );
      return value;
    };
    const update = this.db.prepare('UPDATE events SET payload = ? WHERE seq = ?');
    const cleaned = this.db.transaction(() => {
      const events = this.db.prepare('SELECT seq, payload FROM events').all() as Array<{
        seq: number;
        payload: string;
      }>;
      let count = 0;
      for (const event of events) {
        const payload = JSON.stringify(scrub(JSON.parse(event.payload)));
        if (payload === event.payload) continue;
        update.run(payload, event.seq);
        count++;
      }
      return count;
    })();
    if (cleaned > 0) truncateWal(this.db);
    return cleaned;
  }

  stop(): void {
    if (this.db.open) this.db.close();
  }
}
