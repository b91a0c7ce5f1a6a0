import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { openDurableSqlite } from '../storage/durable-sqlite.js';
import { ROW_KINDS, type RowKind } from './event-codes.js';

export const CASH_REGISTER_FILE = 'cash-register.sqlite';

const SCHEMA_VERSION = 1;

// Append-only in the file itself: triggers refuse every UPDATE and DELETE and any row number but the next,
// so the daemon cannot rewrite history by mistake. Someone who drops the triggers can; the hash chain (and
// each sale's signature) is what shows it afterwards (`vipps-kiosk cash-register verify`).
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS rows (
    nr          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    code        TEXT NOT NULL,
    data        TEXT NOT NULL,
    trans_nr    INTEGER UNIQUE,
    signature   TEXT,
    key_version INTEGER,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS rows_by_at ON rows(at);
  CREATE INDEX IF NOT EXISTS rows_by_kind ON rows(kind, nr);
  CREATE TRIGGER IF NOT EXISTS rows_never_updated BEFORE UPDATE ON rows
    BEGIN SELECT RAISE(ABORT, 'the cash-register journal is append-only: a row is never changed'); END;
  CREATE TRIGGER IF NOT EXISTS rows_never_deleted BEFORE DELETE ON rows
    BEGIN SELECT RAISE(ABORT, 'the cash-register journal is append-only: a row is never deleted'); END;
  CREATE TRIGGER IF NOT EXISTS rows_without_gaps BEFORE INSERT ON rows
    WHEN NEW.nr IS NOT (SELECT COALESCE(MAX(nr), 0) + 1 FROM rows)
    BEGIN SELECT RAISE(ABORT, 'cash-register journal rows are numbered without gaps'); END;
`;

/** The hash the first row chains to. */
export const GENESIS_HASH = '0'.repeat(64);

export interface JournalRow {
  nr: number;
  at: number;
  kind: RowKind;
  code: string;
  /** Canonical JSON (keys sorted), exactly as hashed. */
  data: string;
  transNr: number | null;
  signature: string | null;
  keyVersion: number | null;
  prevHash: string;
  hash: string;
}

/** What a signed transaction adds to its row, computed from the last signed one inside the same write. */
export interface Signed {
  transNr: number;
  signature: string;
  keyVersion: number;
}

export type Signer = (previous: { signature: string | null; transNr: number }) => Signed;

/** The journal cannot be opened or written; the message says what to do. */
export class CashRegisterJournalError extends Error {
  override readonly name = 'CashRegisterJournalError';
}

/** A row's own rules refused it (e.g. a Z for a period already closed); nothing was written. */
export class WriteRefusedError extends Error {
  override readonly name: string = 'WriteRefusedError';
}

/** A row dated before the last one: the clock went backwards. Nothing was written. */
export class ClockWentBackwardsError extends Error {
  override readonly name = 'ClockWentBackwardsError';

  constructor(
    readonly lastAt: number,
    readonly at: number,
  ) {
    super(
      `the clock went backwards: ${new Date(at).toISOString()} is before the last cash-register row ` +
        `(${new Date(lastAt).toISOString()}); check the kiosk's time (NTP)`,
    );
  }
}

/** Keys sorted at every level, so the same data always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/** SHA-256 over every column but the hash, in a fixed order, the previous row's hash included. */
export function rowHash(row: Omit<JournalRow, 'hash'>): string {
  const encoded = JSON.stringify([
    row.nr,
    row.at,
    row.kind,
    row.code,
    row.data,
    row.transNr,
    row.signature,
    row.keyVersion,
    row.prevHash,
  ]);
  return createHash('sha256').update(encoded, 'utf8').digest('hex');
}

interface RawRow {
  nr: number;
  at: number;
  kind: string;
  code: string;
  data: string;
  trans_nr: number | null;
  signature: string | null;
  key_version: number | null;
  prev_hash: string;
  hash: string;
}

const fromRaw = (raw: RawRow): JournalRow => ({
  nr: raw.nr,
  at: raw.at,
  kind: raw.kind as RowKind,
  code: raw.code,
  data: raw.data,
  transNr: raw.trans_nr,
  signature: raw.signature,
  keyVersion: raw.key_version,
  prevHash: raw.prev_hash,
  hash: raw.hash,
});

/**
 * The cash-register journal: its own SQLite file in the state directory, beside the payment journal (which
 * exists for exactly-once money; this one is what the cash-register law asks for). Each append is one
 * IMMEDIATE transaction that reads the last row and writes the next, so the daemon and a command
 * (`saft export` journals itself) can both append without breaking the chain.
 */
export class CashRegisterStore {
  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {}

  static open(path: string): CashRegisterStore {
    try {
      const db = openDurableSqlite(path, { sql: SCHEMA, version: SCHEMA_VERSION });
      db.pragma('busy_timeout = 5000');
      return new CashRegisterStore(db, path);
    } catch (error) {
      throw new CashRegisterJournalError(
        `the cash-register journal ${path} cannot be opened (${(error as Error).message}); check the disk ` +
          'and the state directory. Never delete the file: the law requires it to be kept.',
        { cause: error },
      );
    }
  }

  /** For commands that only read: never creates the file. */
  static openExisting(path: string): CashRegisterStore {
    if (!existsSync(path)) {
      throw new CashRegisterJournalError(
        `no cash-register journal at ${path}: is --state-dir the kiosk's state directory, and has the kiosk ` +
          'run with cashRegister configured?',
      );
    }
    return CashRegisterStore.open(path);
  }

  /**
   * Appends one row chained to the last. Refuses a row dated before the last (ClockWentBackwardsError,
   * nothing written) and turns a full disk into a CashRegisterJournalError that says so. `data` may be a
   * function: it runs inside the write's transaction, so what it reads (a Z report's period) is exactly
   * what precedes the row, whoever else writes the file; what it throws leaves nothing written.
   */
  append(
    at: number,
    kind: RowKind,
    data: Record<string, unknown> | ((at: number) => Record<string, unknown>),
    signer?: Signer,
  ): JournalRow {
    const write = this.db.transaction((): JournalRow => {
      const last = this.db.prepare('SELECT nr, at, hash FROM rows ORDER BY nr DESC LIMIT 1').get() as
        | { nr: number; at: number; hash: string }
        | undefined;
      if (last && at < last.at) throw new ClockWentBackwardsError(last.at, at);
      let signed: Signed | null = null;
      if (signer) {
        const previous = this.db
          .prepare('SELECT trans_nr, signature FROM rows WHERE trans_nr IS NOT NULL ORDER BY nr DESC LIMIT 1')
          .get() as { trans_nr: number; signature: string } | undefined;
        signed = signer({ signature: previous?.signature ?? null, transNr: previous?.trans_nr ?? 0 });
      }
      const unhashed: Omit<JournalRow, 'hash'> = {
        nr: (last?.nr ?? 0) + 1,
        at,
        kind,
        code: ROW_KINDS[kind].code,
        data: canonicalJson(typeof data === 'function' ? data(at) : data),
        transNr: signed?.transNr ?? null,
        signature: signed?.signature ?? null,
        keyVersion: signed?.keyVersion ?? null,
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      const row = { ...unhashed, hash: rowHash(unhashed) };
      this.db
        .prepare(
          'INSERT INTO rows (nr, at, kind, code, data, trans_nr, signature, key_version, prev_hash, hash) ' +
            'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          row.nr,
          row.at,
          row.kind,
          row.code,
          row.data,
          row.transNr,
          row.signature,
          row.keyVersion,
          row.prevHash,
          row.hash,
        );
      return row;
    });
    try {
      return write.immediate();
    } catch (error) {
      if (error instanceof ClockWentBackwardsError || error instanceof WriteRefusedError) throw error;
      const code = (error as { code?: string }).code;
      const why =
        code === 'SQLITE_FULL'
          ? 'the disk is full'
          : code === 'SQLITE_BUSY'
            ? 'another program holds the file'
            : (error as Error).message;
      throw new CashRegisterJournalError(
        `could not write "${kind}" to the cash-register journal ${this.path}: ${why}. ` +
          (code === 'SQLITE_FULL'
            ? 'Free space in the state directory; nothing in the journal is lost. '
            : ''),
        { cause: error },
      );
    }
  }

  last(): JournalRow | undefined {
    const raw = this.db.prepare('SELECT * FROM rows ORDER BY nr DESC LIMIT 1').get() as RawRow | undefined;
    return raw && fromRaw(raw);
  }

  /** Every row in order (`cash-register verify` walks them all). */
  *all(): Generator<JournalRow> {
    for (const raw of this.db.prepare('SELECT * FROM rows ORDER BY nr').iterate() as Iterable<RawRow>) {
      yield fromRaw(raw);
    }
  }

  /** Rows whose time is in [from, to), in order. */
  between(from: number, to: number): JournalRow[] {
    return (
      this.db.prepare('SELECT * FROM rows WHERE at >= ? AND at < ? ORDER BY nr').all(from, to) as RawRow[]
    ).map(fromRaw);
  }

  /** Rows after row `nr`, in order. */
  after(nr: number): JournalRow[] {
    return (this.db.prepare('SELECT * FROM rows WHERE nr > ? ORDER BY nr').all(nr) as RawRow[]).map(fromRaw);
  }

  /** The last row of a kind, if any. */
  lastOfKind(kind: RowKind): JournalRow | undefined {
    const raw = this.db.prepare('SELECT * FROM rows WHERE kind = ? ORDER BY nr DESC LIMIT 1').get(kind) as
      | RawRow
      | undefined;
    return raw && fromRaw(raw);
  }

  ofKind(kind: RowKind): JournalRow[] {
    return (this.db.prepare('SELECT * FROM rows WHERE kind = ? ORDER BY nr').all(kind) as RawRow[]).map(
      fromRaw,
    );
  }

  /** Rows of a kind whose data has `field` equal to `value` (a sale by its receipt number), in order. */
  ofKindWhere(kind: RowKind, field: string, value: string): JournalRow[] {
    return (
      this.db
        .prepare('SELECT * FROM rows WHERE kind = ? AND data ->> ? = ? ORDER BY nr')
        .all(kind, `$.${field}`, value) as RawRow[]
    ).map(fromRaw);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
