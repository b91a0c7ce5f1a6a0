import type Database from 'better-sqlite3';
import { openDurableSqlite, type SqliteSchema } from './durable-sqlite.js';

/**
 * A durable SQLite file that holds personal data (members, enrolments waiting for the CRM, the customer
 * of a payment not settled yet). A plain DELETE or UPDATE leaves the old record's bytes in free space,
 * free pages and the WAL, where anyone with the file could read a "forgotten" customer back;
 * secure_delete overwrites them with zeros.
 */
export function openPrivateSqlite(
  path: string,
  schema: SqliteSchema,
  options: { foreignKeys?: boolean } = {},
): Database.Database {
  return openDurableSqlite(path, schema, { ...options, secureDelete: true });
}

/**
 * After personal data was deleted: the WAL still holds the page images from before the delete, so fold
 * it into the database and truncate it. Another process reading the file at that moment can keep the WAL
 * from being truncated; the next checkpoint does it then.
 */
export function truncateWal(db: Database.Database): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/**
 * For a file written before secure_delete was on: rebuilds it from its live rows alone, so no deleted or
 * overwritten record survives in free space. It rewrites the whole file and needs it to itself, so it is
 * for a one-time migration at start, not for every delete (secure_delete covers those).
 */
export function rebuildWithoutFreeSpace(db: Database.Database): void {
  db.exec('VACUUM');
  truncateWal(db);
}
