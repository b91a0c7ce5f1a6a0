import type Database from 'better-sqlite3';
import type { CreatePaymentRequest } from '../../contracts/vipps-types.js';
import { openPrivateSqlite, rebuildWithoutFreeSpace, truncateWal } from '../storage/private-sqlite.js';
import { DAY_MS, type RetentionRule } from '../storage/retention-sweep.js';
import type { Journal, JournalStep, PaymentOutcome, StepKind, UnfinishedPayment } from './journal.js';
import { type SettledRequest, settledRequest } from './redaction.js';
import { RefundJournal } from './refund-journal.js';

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
 * One payment of a receipt number, as the cash register reads it back: its outcome (null while open), the
 * request as the journal keeps it once settled (redaction.ts), when it was settled, and Vipps' own id of it
 * when an answer carried one.
 */
export interface ReceiptPayment {
  reference: string;
  outcome: PaymentOutcome | null;
  request: SettledRequest;
  settledAt: number | null;
  pspReference: string | null;
}

/** What `forgetCustomer` found of one customer in the journal. */
export interface ForgottenInJournal {
  /** Settled payments that still named them (written by a version before redaction), redacted now. */
  redacted: number;
  /** Payments not settled yet that name them: kept whole, since recovery may have to repeat the create. */
  unsettled: number;
}

/**
 * The journal in a SQLite file in the state directory: WAL, and synchronous FULL so a committed step
 * survives a power cut. Every write is one transaction; better-sqlite3 runs it synchronously, so when a
 * method returns the step is on disk.
 *
 * The customer (phone number or personal QR token) is in a payment's row only while the payment is open:
 * the transaction that settles it also replaces the request with what the money needs (redaction.ts).
 * The file is opened with secure_delete and its WAL truncated after each redaction or purge, so the
 * customer is not left in free space either.
 */
export class SqliteJournal implements Journal {
  private readonly db: Database.Database;
  private readonly now: () => number;
  /** Returns' refunds, in the same file (refund-journal.ts). */
  readonly refunds: RefundJournal;

  private constructor(db: Database.Database, now: () => number) {
    this.db = db;
    this.now = now;
    this.refunds = new RefundJournal(db, now);
  }

  static open(path: string, now: () => number = Date.now): SqliteJournal {
    let db: Database.Database;
    try {
      db = openPrivateSqlite(path, { sql: SCHEMA, version: SCHEMA_VERSION }, { foreignKeys: true });
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

  /** Settles the payment and, in the same transaction, forgets its customer. */
  close(reference: string, outcome: PaymentOutcome): void {
    const closed = this.db.transaction(() => {
      const changed = this.db
        .prepare('UPDATE payments SET closed_at = ?, outcome = ? WHERE reference = ? AND closed_at IS NULL')
        .run(this.now(), outcome, reference).changes;
      if (changed > 0) this.redact(reference);
      return changed > 0;
    })();
    if (closed) truncateWal(this.db);
  }

  /**
   * Redacts every settled payment that still names its customer: those a version before redaction
   * settled. Their old records may also be in the file's free space (that version did not use
   * secure_delete), so when there were any the file is rebuilt from its live rows. Run at start and daily.
   */
  redactSettled(): number {
    const references = this.db
      .prepare(
        "SELECT reference FROM payments WHERE closed_at IS NOT NULL AND json_type(request, '$.customer') IS NOT NULL",
      )
      .pluck()
      .all() as string[];
    if (references.length === 0) return 0;
    this.db.transaction(() => {
      for (const reference of references) this.redact(reference);
    })();
    rebuildWithoutFreeSpace(this.db);
    return references.length;
  }

  /**
   * Deletes the settled payments closed before `before` (epoch ms), with their steps; how many. An
   * unsettled payment is never deleted, however old: recovery still has to settle it.
   */
  purgeSettledBefore(before: number): number {
    const purged = this.db.transaction(() => {
      const old = 'SELECT reference FROM payments WHERE closed_at IS NOT NULL AND closed_at < ?';
      this.db.prepare(`DELETE FROM steps WHERE reference IN (${old})`).run(before);
      return this.db.prepare(`DELETE FROM payments WHERE reference IN (${old})`).run(before).changes;
    })();
    if (purged > 0) truncateWal(this.db);
    return purged;
  }

  /**
   * `vipps-kiosk club forget`: redacts any settled payment that still names this number, and counts the
   * unsettled ones that do (they are redacted by the transaction that settles them). A payment named by
   * personal QR cannot be matched to a number; it too is redacted when settled.
   */
  forgetCustomer(msisdn: string): ForgottenInJournal {
    const count = (settled: boolean) =>
      (
        this.db
          .prepare(
            `SELECT count(*) AS n FROM payments WHERE closed_at IS ${settled ? 'NOT ' : ''}NULL ` +
              "AND request ->> '$.customer.phoneNumber' = ?",
          )
          .get(msisdn) as { n: number }
      ).n;
    const redacted = count(true);
    if (redacted > 0) this.redactSettled();
    return { redacted, unsettled: count(false) };
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

  /**
   * Every payment (each attempt) made with this receipt number, oldest first: the cash register accounts
   * for a number by what its payments came to. Only what the money needs is returned, never the customer.
   */
  receiptPayments(receiptNumber: string): ReceiptPayment[] {
    const rows = this.db
      .prepare(
        "SELECT reference, request, closed_at, outcome, (SELECT data ->> '$.pspReference' FROM steps " +
          "WHERE steps.reference = payments.reference AND data ->> '$.pspReference' IS NOT NULL " +
          'ORDER BY id DESC LIMIT 1) AS psp FROM payments WHERE receipt_number = ? ORDER BY opened_at',
      )
      .all(receiptNumber) as Array<{
      reference: string;
      request: string;
      closed_at: number | null;
      outcome: PaymentOutcome | null;
      psp: string | null;
    }>;
    return rows.map((row) => ({
      reference: row.reference,
      outcome: row.outcome,
      request: settledRequest(JSON.parse(row.request) as CreatePaymentRequest),
      settledAt: row.closed_at,
      pspReference: row.psp,
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

  private redact(reference: string): void {
    const { request } = this.db
      .prepare('SELECT request FROM payments WHERE reference = ?')
      .get(reference) as {
      request: string;
    };
    this.db
      .prepare('UPDATE payments SET request = ? WHERE reference = ?')
      .run(JSON.stringify(settledRequest(JSON.parse(request) as CreatePaymentRequest)), reference);
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

/**
 * The journal's part of the daemon's retention: settled payments an earlier version left with their
 * customer are redacted (at the first start after an upgrade), and settled payments older than
 * `journal.retentionDays` deleted.
 */
export function journalRetention(journal: SqliteJournal, retentionDays: number): RetentionRule[] {
  return [
    { what: 'settled payments redacted', apply: () => journal.redactSettled() },
    {
      what: 'settled payments deleted',
      apply: (now) => journal.purgeSettledBefore(now - retentionDays * DAY_MS),
    },
  ];
}
