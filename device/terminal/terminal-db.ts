import type Database from 'better-sqlite3';
import { openDurableSqlite } from '../storage/durable-sqlite.js';
import { ENROLMENTS_SCHEMA, PosEnrolments } from './pos-enrolments.js';
import { PAIRINGS_SCHEMA, PosPairings } from './pos-pairings.js';
import { PosTransactions, TRANSACTIONS_SCHEMA } from './pos-transactions.js';

// One SQLite file in the state directory for attended mode: the paired POS systems, the POS's
// transactions and the club enrolments it started. `pos pair` writes it while the daemon may be running;
// SQLite's WAL lets both at once.

export const TERMINAL_DB_FILE = 'terminal.db';

export interface TerminalDb {
  pairings: PosPairings;
  transactions: PosTransactions;
  enrolments: PosEnrolments;
  close(): void;
}

export function openTerminalDb(path: string, now: () => number): TerminalDb {
  let db: Database.Database;
  try {
    db = openDurableSqlite(path, {
      sql: PAIRINGS_SCHEMA + TRANSACTIONS_SCHEMA + ENROLMENTS_SCHEMA,
      version: 1,
    });
  } catch (cause) {
    throw new Error(
      `The terminal's database ${path} cannot be opened (${(cause as Error).message}); attended mode cannot run`,
      { cause },
    );
  }
  return {
    pairings: new PosPairings(db, now),
    transactions: new PosTransactions(db, now),
    enrolments: new PosEnrolments(db, now),
    close: () => db.close(),
  };
}
