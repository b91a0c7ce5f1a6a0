import { hash, verify } from '@node-rs/argon2';
import type Database from 'better-sqlite3';
import { openPrivateSqlite } from '../storage/private-sqlite.js';
import { EMPLOYEE_ID } from './staff-card.js';

// The kiosk's staff: who may open staff mode, their PIN as an argon2id hash (never the PIN), and how many
// wrong PINs in a row the card has had. A lock is kept in the file, so a restart does not lift it.

export const STAFF_FILE = 'staff.sqlite';
/** Wrong PINs in a row that lock a card. */
export const PIN_ATTEMPTS = 5;
/** How long a locked card stays locked. */
export const LOCK_MS = 5 * 60_000;
export const PIN = /^\d{4,8}$/;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS employees (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  pin_hash TEXT NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  added_at INTEGER NOT NULL
) STRICT;`;

export interface Employee {
  id: string;
  name: string;
  addedAt: number;
  /** Wrong PINs in a row since the last right one (or the last lock). */
  failedAttempts: number;
  /** Epoch ms while the card is locked after five wrong PINs; null otherwise. */
  lockedUntil: number | null;
}

export type PinCheck =
  | { ok: true; employee: Employee }
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'locked'; until: number }
  /** `attemptsLeft` 0: this was the fifth, and the card is now locked until `until`. */
  | { ok: false; reason: 'wrong'; attemptsLeft: number; until: number | null };

/** A refused `staff add`/`remove`: said to whoever typed the command. */
export class StaffError extends Error {
  override readonly name = 'StaffError';
}

interface Row {
  id: string;
  name: string;
  pin_hash: string;
  failed_attempts: number;
  locked_until: number | null;
  added_at: number;
}

function employeeOf(row: Row, now: number): Employee {
  const locked = row.locked_until !== null && row.locked_until > now ? row.locked_until : null;
  return {
    id: row.id,
    name: row.name,
    addedAt: row.added_at,
    failedAttempts: row.failed_attempts,
    lockedUntil: locked,
  };
}

export class Employees {
  private constructor(private readonly db: Database.Database) {}

  static open(path: string): Employees {
    try {
      return new Employees(openPrivateSqlite(path, { sql: SCHEMA, version: 1 }));
    } catch (error) {
      throw new StaffError(
        `the staff file ${path} cannot be opened (${(error as Error).message}): check the disk and the ` +
          'state directory',
        { cause: error },
      );
    }
  }

  close(): void {
    this.db.close();
  }

  async add(employee: { id: string; name: string; pin: string }, now: number): Promise<Employee> {
    if (!EMPLOYEE_ID.test(employee.id)) {
      throw new StaffError(
        `"${employee.id}" cannot be an employee id: use 1–32 letters (a–z), digits and dashes`,
      );
    }
    const name = employee.name.trim();
    if (name === '' || name.length > 100) throw new StaffError('the name must be 1–100 characters');
    if (!PIN.test(employee.pin)) throw new StaffError('the PIN must be 4–8 digits');
    if (this.row(employee.id)) {
      throw new StaffError(
        `employee ${employee.id} already exists: remove it first to give a new name or PIN`,
      );
    }
    // @node-rs/argon2 hashes with argon2id by default (the PHC string says so: $argon2id$…).
    const pinHash = await hash(employee.pin);
    this.db
      .prepare('INSERT INTO employees (id, name, pin_hash, added_at) VALUES (?, ?, ?, ?)')
      .run(employee.id, name, pinHash, now);
    return { id: employee.id, name, addedAt: now, failedAttempts: 0, lockedUntil: null };
  }

  remove(id: string): void {
    const { changes } = this.db.prepare('DELETE FROM employees WHERE id = ?').run(id);
    if (changes === 0) throw new StaffError(`there is no employee ${id}`);
  }

  list(now: number): Employee[] {
    return (this.db.prepare('SELECT * FROM employees ORDER BY id').all() as Row[]).map((row) =>
      employeeOf(row, now),
    );
  }

  find(id: string, now: number): Employee | null {
    const row = this.row(id);
    return row ? employeeOf(row, now) : null;
  }

  /**
   * Checks a PIN typed for this employee's card. Five wrong in a row lock the card for five minutes;
   * while locked, no PIN is even checked. A right PIN clears the count.
   */
  async checkPin(id: string, pin: string, now: () => number): Promise<PinCheck> {
    const before = this.row(id);
    if (!before) return { ok: false, reason: 'unknown' };
    if (before.locked_until !== null && before.locked_until > now()) {
      return { ok: false, reason: 'locked', until: before.locked_until };
    }
    const right = PIN.test(pin) && (await verify(before.pin_hash, pin));
    // Read again after the (slow) hash: the count is the file's, not what it was before.
    const row = this.row(id);
    if (!row) return { ok: false, reason: 'unknown' };
    const at = now();
    if (right) {
      this.db.prepare('UPDATE employees SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(id);
      return { ok: true, employee: employeeOf({ ...row, failed_attempts: 0, locked_until: null }, at) };
    }
    const failed = row.failed_attempts + 1;
    const until = failed >= PIN_ATTEMPTS ? at + LOCK_MS : null;
    this.db
      .prepare('UPDATE employees SET failed_attempts = ?, locked_until = ? WHERE id = ?')
      .run(until === null ? failed : 0, until, id);
    return { ok: false, reason: 'wrong', attemptsLeft: until === null ? PIN_ATTEMPTS - failed : 0, until };
  }

  private row(id: string): Row | undefined {
    return this.db.prepare('SELECT * FROM employees WHERE id = ?').get(id) as Row | undefined;
  }
}
