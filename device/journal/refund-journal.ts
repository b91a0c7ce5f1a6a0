import type Database from 'better-sqlite3';
import type { JournaledReturn } from '../checkout/domain/return-row.js';

// The payment journal's record of refunds: each is on disk, with its Idempotency-Key and the whole
// return, before the refund call goes out, so after a crash the kiosk knows every refund it may have
// asked for and can ask again with the same key (Vipps then refunds once). Kept in the payment journal's
// file beside the payments, in a table of its own: settled payments are deleted after their retention,
// but a sale's refunds are what later returns of it are measured against, so they stay. No customer is
// named here.

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS refunds (
    return_id       TEXT PRIMARY KEY,
    reference       TEXT NOT NULL,
    receipt_number  TEXT NOT NULL,
    amount          INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    return_data     TEXT NOT NULL,
    requested_at    INTEGER NOT NULL,
    outcome         TEXT,
    answer          TEXT,
    answered_at     INTEGER,
    registered_at   INTEGER
  ) STRICT;
  CREATE INDEX IF NOT EXISTS refunds_by_receipt ON refunds(receipt_number);
  CREATE INDEX IF NOT EXISTS refunds_open ON refunds(return_id) WHERE registered_at IS NULL;
`;

/** Vipps refunded it, or refused it (nothing moved); null while no answer has been seen. */
export type RefundOutcome = 'refunded' | 'refused';

export interface RefundRecord {
  returnId: string;
  reference: string;
  receiptNumber: string;
  /** Positive minor units: what goes back to the customer. */
  amount: number;
  idempotencyKey: string;
  /** The return as the cash register will journal it once Vipps has refunded it. */
  ret: JournaledReturn;
  requestedAt: number;
  outcome: RefundOutcome | null;
  /** What Vipps answered: its pspReference, or the refusal's status, code and traceId. */
  answer: Record<string, unknown> | null;
  /**
   * When nothing was left to do: its `return` row written to the cash-register journal, or Vipps refused
   * it (no row is due). Null until then.
   */
  registeredAt: number | null;
}

interface RawRefund {
  return_id: string;
  reference: string;
  receipt_number: string;
  amount: number;
  idempotency_key: string;
  return_data: string;
  requested_at: number;
  outcome: RefundOutcome | null;
  answer: string | null;
  registered_at: number | null;
}

const fromRaw = (raw: RawRefund): RefundRecord => ({
  returnId: raw.return_id,
  reference: raw.reference,
  receiptNumber: raw.receipt_number,
  amount: raw.amount,
  idempotencyKey: raw.idempotency_key,
  ret: JSON.parse(raw.return_data) as JournaledReturn,
  requestedAt: raw.requested_at,
  outcome: raw.outcome,
  answer: raw.answer === null ? null : (JSON.parse(raw.answer) as Record<string, unknown>),
  registeredAt: raw.registered_at,
});

/** Refunds in the payment journal's SQLite file (the same durable settings as its payments). */
export class RefundJournal {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {
    db.exec(SCHEMA);
  }

  /** Before the refund call: the return, its key and amount. */
  requested(refund: Pick<RefundRecord, 'returnId' | 'idempotencyKey' | 'ret' | 'amount'>): void {
    this.db
      .prepare(
        'INSERT INTO refunds (return_id, reference, receipt_number, amount, idempotency_key, return_data, ' +
          'requested_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        refund.returnId,
        refund.ret.reference,
        refund.ret.returnOf,
        refund.amount,
        refund.idempotencyKey,
        JSON.stringify(refund.ret),
        this.now(),
      );
  }

  /**
   * Vipps' answer. A refused refund is finished (nothing moved, nothing to journal at the till); a
   * refunded one waits for its cash-register row. The return's pspReference and time come from the answer.
   */
  answered(returnId: string, outcome: RefundOutcome, answer: Record<string, unknown>, ret?: JournaledReturn) {
    const at = this.now();
    this.db
      .prepare(
        'UPDATE refunds SET outcome = ?, answer = ?, answered_at = ?, ' +
          'return_data = COALESCE(?, return_data), registered_at = ? WHERE return_id = ? AND outcome IS NULL',
      )
      .run(
        outcome,
        JSON.stringify(answer),
        at,
        ret ? JSON.stringify(ret) : null,
        outcome === 'refused' ? at : null,
        returnId,
      );
  }

  /** Its `return` row is in the cash-register journal: nothing is left to do for it. */
  registered(returnId: string): void {
    this.db
      .prepare('UPDATE refunds SET registered_at = ? WHERE return_id = ? AND registered_at IS NULL')
      .run(this.now(), returnId);
  }

  /** Every refund of a sale, in the order asked for. */
  of(receiptNumber: string): RefundRecord[] {
    return (
      this.db
        .prepare('SELECT * FROM refunds WHERE receipt_number = ? ORDER BY requested_at, rowid')
        .all(receiptNumber) as RawRefund[]
    ).map(fromRaw);
  }

  /** Not answered yet, or refunded without its cash-register row: what recovery finishes. */
  unfinished(): RefundRecord[] {
    return (
      this.db
        .prepare('SELECT * FROM refunds WHERE registered_at IS NULL ORDER BY requested_at, rowid')
        .all() as RawRefund[]
    ).map(fromRaw);
  }

  get(returnId: string): RefundRecord | undefined {
    const raw = this.db.prepare('SELECT * FROM refunds WHERE return_id = ?').get(returnId) as
      | RawRefund
      | undefined;
    return raw && fromRaw(raw);
  }
}
