import type Database from 'better-sqlite3';
import type { CreatePaymentRequest } from '../../contracts/vipps-types.js';
import { openDurableSqlite } from '../storage/durable-sqlite.js';
import type { Journal, JournalStep, PaymentOutcome, StepKind, UnfinishedPayment } from './journal.js';

export const JOURNAL_FILE = 'journal.sqlite';

const SCHEMA_VERSION = 1;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS payments (
    reference      TEXT PRIMARY KEY,
    receipt_number TEXT NOT NULL,
    request        TEXT NOT NULL,
    opened_at      INTEGER NOT NULL,
    closed_at      INTEGER,
    outcome        TEXT
  ) STRICT;
  CREATE TABLE IF NOT EXISTS steps (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    reference       TEXT NOT NULL REFERENCES payments(reference),
    kind            TEXT NOT NULL,
    idempotency_key TEXT,
    data            TEXT NOT NULL,
    at              INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS payments_open ON payments(reference) WHERE closed_at IS NULL;
  CREATE INDEX IF NOT EXISTS steps_by_payment ON steps(reference, id);
`;

/** The journal cannot be used: the kiosk must not take payments it could not recover. */
export class JournalUnavailableError extends Error {
  override readonly name = 'JournalUnavailableError';

  constructor(path: string, cause: unknown) {
    super(
      `The payment journal ${path} cannot be opened (${(cause as Error).message}); the kiosk takes no payments ` +
        'without it. Check the disk and the state directory; do not delete the file, it may hold unfinished payments.',
      { cause },
    );
  }
}

/**
 * The journal in a SQLite file in the state directory: WAL, and synchronous FULL so a committed step
 * survives a power cut. Every write is one transaction; better-sqlite3 runs it synchronously, so when a
 * method returns the step is on disk.
 */
export class SqliteJournal implements Journal {
  private readonly db: Database.Database;
  private readonly now: () => number;

  private constructor(db: Database.Database, now: () => number) {
    this.db = db;
    this.now = now;
  }

  static open(path: string, now: () => number = Date.now): SqliteJournal {
    let db: Database.Database;
    try {
      db = openDurableSqlite(path, { sql: SCHEMA, version: SCHEMA_VERSION }, { foreignKeys: true });
    } catch (error) {
      throw new JournalUnavailableError(path, error);
    }
    return new SqliteJournal(db, now);
  }

  paymentRequested(request: CreatePaymentRequest, idempotencyKey: string): void {
    const at = this.now();
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO payments (reference, receipt_number, request, opened_at) VALUES (?, ?, ?, ?) ' +
            'ON CONFLICT (reference) DO NOTHING',
        )
        .run(request.reference, request.receipt.bottomLine.receiptNumber ?? '', JSON.stringify(request), at);
      this.insertStep(request.reference, 'create-requested', {}, idempotencyKey, at);
    })();
  }

  step(reference: string, kind: StepKind, data: Record<string, unknown>, idempotencyKey?: string): void {
    this.insertStep(reference, kind, data, idempotencyKey ?? null, this.now());
  }

  close(reference: string, outcome: PaymentOutcome): void {
    this.db
      .prepare('UPDATE payments SET closed_at = ?, outcome = ? WHERE reference = ? AND closed_at IS NULL')
      .run(this.now(), outcome, reference);
  }

  unfinished(): UnfinishedPayment[] {
    const open = this.db
      .prepare(
        'SELECT reference, receipt_number, request FROM payments WHERE closed_at IS NULL ORDER BY opened_at',
      )
      .all() as Array<{ reference: string; receipt_number: string; request: string }>;
    const steps = this.db.prepare(
      'SELECT kind, idempotency_key, data, at FROM steps WHERE reference = ? ORDER BY id',
    );
    return open.map((row) => ({
      reference: row.reference,
      receiptNumber: row.receipt_number,
      request: JSON.parse(row.request) as CreatePaymentRequest,
      steps: (
        steps.all(row.reference) as Array<{
          kind: StepKind;
          idempotency_key: string | null;
          data: string;
          at: number;
        }>
      ).map(
        (step): JournalStep => ({
          kind: step.kind,
          idempotencyKey: step.idempotency_key,
          data: JSON.parse(step.data) as Record<string, unknown>,
          at: step.at,
        }),
      ),
    }));
  }

  outcome(reference: string): PaymentOutcome | null | undefined {
    const row = this.db.prepare('SELECT outcome FROM payments WHERE reference = ?').get(reference) as
      | { outcome: PaymentOutcome | null }
      | undefined;
    return row ? row.outcome : undefined;
  }

  stop(): void {
    if (this.db.open) this.db.close();
  }

  private insertStep(
    reference: string,
    kind: StepKind,
    data: Record<string, unknown>,
    idempotencyKey: string | null,
    at: number,
  ): void {
    this.db
      .prepare('INSERT INTO steps (reference, kind, idempotency_key, data, at) VALUES (?, ?, ?, ?, ?)')
      .run(reference, kind, idempotencyKey, JSON.stringify(data), at);
  }
}
