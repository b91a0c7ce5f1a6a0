import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type {
  PaymentRequest,
  Transaction,
  TransactionDeclineReason,
  TransactionStatus,
} from '../../contracts/terminal-api.js';
import { FINAL_STATUSES } from '../../contracts/terminal-api.js';
import { withoutOwnFsync } from '../storage/durable-sqlite.js';

// The POS's transactions, by the POS's own id: what makes its POST idempotent (the body's hash), what it
// finds again after its own crash (GET by id), and what ties its id to the Vipps reference the payment
// journal knows, so a kiosk restart can tell the POS how its payment ended. Written before the machine
// is told (the row exists before any push can go out) and its reference before the create is journaled.
// No customer is kept here: only the masked phone number the POS may see anyway.

export const TRANSACTIONS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS pos_transactions (
    pos_transaction_id TEXT PRIMARY KEY,
    request_hash       TEXT NOT NULL,
    amount             INTEGER NOT NULL,
    currency           TEXT NOT NULL,
    lines              TEXT NOT NULL,
    status             TEXT NOT NULL,
    reference          TEXT,
    decline_reason     TEXT,
    masked_phone       TEXT,
    has_customer       INTEGER NOT NULL,
    refunded           INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS pos_transactions_by_reference ON pos_transactions(reference);
`;

interface Row {
  pos_transaction_id: string;
  request_hash: string;
  amount: number;
  currency: string;
  lines: string;
  status: TransactionStatus;
  reference: string | null;
  decline_reason: TransactionDeclineReason | null;
  masked_phone: string | null;
  has_customer: number;
  refunded: number;
  updated_at: number;
}

/** The hash a repeat is compared by: the parsed body with its keys sorted, so key order does not matter. */
export function requestHash(request: object): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const FINAL_LIST = FINAL_STATUSES.map((status) => `'${status}'`).join(', ');

export interface TransactionChange {
  status?: TransactionStatus;
  reference?: string;
  declineReason?: TransactionDeclineReason;
  maskedPhone?: string | null;
  /** The customer is known (their QR or number reached the kiosk), even when no number can be shown. */
  customerKnown?: boolean;
  refunded?: number;
}

export class PosTransactions {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {}

  get(posTransactionId: string): { transaction: Transaction; requestHash: string } | undefined {
    const row = this.db
      .prepare('SELECT * FROM pos_transactions WHERE pos_transaction_id = ?')
      .get(posTransactionId) as Row | undefined;
    return row && { transaction: toTransaction(row), requestHash: row.request_hash };
  }

  /** The transaction paid by this Vipps payment (its reference is the kiosk's own, one per transaction). */
  byReference(reference: string): Transaction | undefined {
    const row = this.db.prepare('SELECT * FROM pos_transactions WHERE reference = ?').get(reference) as
      | Row
      | undefined;
    return row && toTransaction(row);
  }

  /**
   * A new transaction, before the checkout is told of it. Its commit skips its own fsync, one less on the
   * way from the POS's request to the push: no create goes out before the transaction's reference is
   * written (`update`, from `recordingReferences`), a FULL commit to the same file that makes this row
   * durable with it. A power cut before then loses a transaction nothing was charged for: the POS's GET
   * says 404 and sending it again charges once.
   */
  insert(request: PaymentRequest, status: TransactionStatus, maskedPhone: string | null): Transaction {
    const insert = this.db.prepare(
      'INSERT INTO pos_transactions (pos_transaction_id, request_hash, amount, currency, lines, status, ' +
        'masked_phone, has_customer, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    withoutOwnFsync(this.db, () =>
      insert.run(
        request.posTransactionId,
        requestHash(request),
        request.amount.value,
        request.amount.currency,
        JSON.stringify(request.lines),
        status,
        maskedPhone,
        request.customer === undefined ? 0 : 1,
        this.now(),
        this.now(),
      ),
    );
    return this.get(request.posTransactionId)!.transaction;
  }

  /** Changes a transaction; a final one keeps its status (only its refunds move on). */
  update(posTransactionId: string, change: TransactionChange): Transaction {
    const current = this.get(posTransactionId);
    if (current === undefined) throw new Error(`no POS transaction ${posTransactionId}`);
    const final = FINAL_STATUSES.includes(current.transaction.status);
    this.db
      .prepare(
        'UPDATE pos_transactions SET status = ?, reference = COALESCE(?, reference), ' +
          'decline_reason = COALESCE(?, decline_reason), masked_phone = ?, has_customer = MAX(has_customer, ?), ' +
          'refunded = ?, updated_at = ? ' +
          'WHERE pos_transaction_id = ?',
      )
      .run(
        final ? current.transaction.status : (change.status ?? current.transaction.status),
        change.reference ?? null,
        final ? null : (change.declineReason ?? null),
        change.maskedPhone === undefined
          ? (current.transaction.customer?.maskedPhoneNumber ?? null)
          : change.maskedPhone,
        change.customerKnown ? 1 : 0,
        change.refunded ?? current.transaction.refunded,
        this.now(),
        posTransactionId,
      );
    return this.get(posTransactionId)!.transaction;
  }

  /** The transaction a payment runs for now (at most one): neither final nor left `unknown` by a restart. */
  running(): Transaction | undefined {
    const row = this.db
      .prepare(
        `SELECT * FROM pos_transactions WHERE status NOT IN (${FINAL_LIST}, 'unknown') ORDER BY created_at DESC LIMIT 1`,
      )
      .get() as Row | undefined;
    return row && toTransaction(row);
  }

  /** Not final: after a restart, what the payment journal must tell the outcome of. */
  open(): Transaction[] {
    return (
      this.db
        .prepare(`SELECT * FROM pos_transactions WHERE status NOT IN (${FINAL_LIST}) ORDER BY created_at`)
        .all() as Row[]
    ).map(toTransaction);
  }
}

function toTransaction(row: Row): Transaction {
  return {
    posTransactionId: row.pos_transaction_id,
    status: row.status,
    amount: { value: row.amount, currency: row.currency as Transaction['amount']['currency'] },
    reference: row.reference,
    lines: JSON.parse(row.lines) as Transaction['lines'],
    ...(row.decline_reason === null ? {} : { declineReason: row.decline_reason }),
    customer:
      row.has_customer === 1 || row.masked_phone !== null ? { maskedPhoneNumber: row.masked_phone } : null,
    refunded: row.refunded,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
