import type Database from 'better-sqlite3';
import { openPrivateSqlite, truncateWal } from '../storage/private-sqlite.js';
import type { Enrolment } from './club.js';

export const CRM_QUEUE_FILE = 'club-crm-queue.sqlite';

const SCHEMA_VERSION = 1;

// `id` is the order of joining, which is the order of delivery. The enrolment is kept whole (claims and
// consent) only until the CRM has it.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS enrolments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    sub        TEXT NOT NULL UNIQUE,
    msisdn     TEXT NOT NULL,
    enrolment  TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
  ) STRICT;
  CREATE INDEX IF NOT EXISTS enrolments_by_msisdn ON enrolments(msisdn);
`;

export interface QueuedEnrolment {
  readonly id: number;
  readonly enrolment: Enrolment;
  /** Delivery attempts that failed so far. */
  readonly attempts: number;
}

/**
 * Enrolments the CRM has not confirmed yet, in a SQLite file in the state directory (WAL, synchronous
 * FULL): a customer who joined while the CRM was down is delivered after a restart or a power cut too.
 */
export class CrmQueue {
  private constructor(private readonly db: Database.Database) {}

  /** Throws a plain Error saying what is wrong with the file; the caller wraps it. */
  static open(path: string): CrmQueue {
    return new CrmQueue(openPrivateSqlite(path, { sql: SCHEMA, version: SCHEMA_VERSION }));
  }

  /**
   * Commits the enrolment before anything tries to deliver it. The same `sub` again keeps the queued one
   * (the CRM treats it the same way), unless the number changed: then the newer enrolment replaces it.
   */
  add(enrolment: Enrolment): QueuedEnrolment {
    this.db
      .prepare(
        'INSERT INTO enrolments (sub, msisdn, enrolment) VALUES (?, ?, ?) ' +
          'ON CONFLICT (sub) DO UPDATE SET msisdn = excluded.msisdn, enrolment = excluded.enrolment ' +
          'WHERE msisdn <> excluded.msisdn',
      )
      .run(enrolment.sub, enrolment.msisdn, JSON.stringify(enrolment));
    return this.one('SELECT id, enrolment, attempts FROM enrolments WHERE sub = ?', enrolment.sub)!;
  }

  /** The oldest enrolment still to deliver. */
  next(): QueuedEnrolment | undefined {
    return this.one('SELECT id, enrolment, attempts FROM enrolments ORDER BY id LIMIT 1');
  }

  get(id: number): QueuedEnrolment | undefined {
    return this.one('SELECT id, enrolment, attempts FROM enrolments WHERE id = ?', id);
  }

  /** The latest enrolment queued for this number: they have joined, the CRM just does not know yet. */
  byMsisdn(msisdn: string): QueuedEnrolment | undefined {
    return this.one(
      'SELECT id, enrolment, attempts FROM enrolments WHERE msisdn = ? ORDER BY id DESC LIMIT 1',
      msisdn,
    );
  }

  /** The CRM has it, or refused it for good. False if it was no longer queued (forgotten meanwhile). */
  remove(id: number): boolean {
    const removed = this.db.prepare('DELETE FROM enrolments WHERE id = ?').run(id).changes > 0;
    if (removed) truncateWal(this.db);
    return removed;
  }

  failed(id: number, reason: string): void {
    this.db
      .prepare('UPDATE enrolments SET attempts = attempts + 1, last_error = ? WHERE id = ?')
      .run(reason, id);
  }

  /** Deletes every queued enrolment for this number; how many there were. */
  forget(msisdn: string): number {
    const removed = this.db.prepare('DELETE FROM enrolments WHERE msisdn = ?').run(msisdn).changes;
    if (removed > 0) truncateWal(this.db);
    return removed;
  }

  depth(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM enrolments').get() as { n: number }).n;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private one(sql: string, ...params: unknown[]): QueuedEnrolment | undefined {
    const row = this.db.prepare(sql).get(...params) as
      | { id: number; enrolment: string; attempts: number }
      | undefined;
    return row && { id: row.id, enrolment: JSON.parse(row.enrolment) as Enrolment, attempts: row.attempts };
  }
}
