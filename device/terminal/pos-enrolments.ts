import type Database from 'better-sqlite3';
import type { Enrolment, EnrolmentRequest, EnrolmentStatus } from '../../contracts/terminal-api.js';
import { requestHash } from './pos-transactions.js';

// The club enrolments the POS started, by the POS's own id: what makes its POST idempotent (the body's
// hash) and what it finds again after its own crash or the kiosk's. Only the masked number is kept: the
// full one is the club's business, not the terminal's.

export const ENROLMENTS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS pos_enrolments (
    enrolment_id    TEXT PRIMARY KEY,
    request_hash    TEXT NOT NULL,
    masked_phone    TEXT NOT NULL,
    status          TEXT NOT NULL,
    binding_message TEXT,
    member_since    INTEGER,
    already_member  INTEGER NOT NULL DEFAULT 0,
    aborted_by      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
  ) STRICT;
`;

interface Row {
  enrolment_id: string;
  request_hash: string;
  masked_phone: string;
  status: EnrolmentStatus;
  binding_message: string | null;
  member_since: number | null;
  already_member: number;
  aborted_by: Enrolment['abortedBy'] | null;
  updated_at: number;
}

export interface EnrolmentChange {
  status?: EnrolmentStatus;
  bindingMessage?: string;
  memberSince?: number;
  alreadyMember?: boolean;
  abortedBy?: NonNullable<Enrolment['abortedBy']>;
}

export class PosEnrolments {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {}

  get(enrolmentId: string): { enrolment: Enrolment; requestHash: string } | undefined {
    const row = this.db.prepare('SELECT * FROM pos_enrolments WHERE enrolment_id = ?').get(enrolmentId) as
      | Row
      | undefined;
    return row && { enrolment: toEnrolment(row), requestHash: row.request_hash };
  }

  /** A new enrolment, waiting for the customer, before the checkout is told of it. */
  insert(request: EnrolmentRequest, maskedPhone: string): Enrolment {
    this.db
      .prepare(
        'INSERT INTO pos_enrolments (enrolment_id, request_hash, masked_phone, status, created_at, updated_at) ' +
          "VALUES (?, ?, ?, 'waiting-for-customer', ?, ?)",
      )
      .run(request.enrolmentId, requestHash(request), maskedPhone, this.now(), this.now());
    return this.get(request.enrolmentId)!.enrolment;
  }

  /** Changes an enrolment that is still waiting; a final one stays as it ended. */
  update(enrolmentId: string, change: EnrolmentChange): Enrolment {
    this.db
      .prepare(
        'UPDATE pos_enrolments SET status = COALESCE(?, status), binding_message = COALESCE(?, binding_message), ' +
          'member_since = COALESCE(?, member_since), already_member = MAX(already_member, ?), ' +
          "aborted_by = COALESCE(?, aborted_by), updated_at = ? WHERE enrolment_id = ? AND status = 'waiting-for-customer'",
      )
      .run(
        change.status ?? null,
        change.bindingMessage ?? null,
        change.memberSince ?? null,
        change.alreadyMember ? 1 : 0,
        change.abortedBy ?? null,
        this.now(),
        enrolmentId,
      );
    const current = this.get(enrolmentId);
    if (current === undefined) throw new Error(`no POS enrolment ${enrolmentId}`);
    return current.enrolment;
  }

  /** The enrolment waiting for its customer now (at most one), if any. */
  running(): Enrolment | undefined {
    const row = this.db
      .prepare(
        "SELECT * FROM pos_enrolments WHERE status = 'waiting-for-customer' ORDER BY created_at DESC LIMIT 1",
      )
      .get() as Row | undefined;
    return row && toEnrolment(row);
  }
}

function toEnrolment(row: Row): Enrolment {
  const waiting = row.status === 'waiting-for-customer';
  return {
    enrolmentId: row.enrolment_id,
    status: row.status,
    maskedPhoneNumber: row.masked_phone,
    ...(waiting && row.binding_message !== null ? { bindingMessage: row.binding_message } : {}),
    ...(row.status === 'joined' && row.member_since !== null
      ? { memberSince: new Date(row.member_since).toISOString() }
      : {}),
    ...(row.already_member === 1 ? { alreadyMember: true } : {}),
    ...(row.status === 'aborted' && row.aborted_by !== null ? { abortedBy: row.aborted_by } : {}),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
