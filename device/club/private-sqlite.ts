import type Database from 'better-sqlite3';
import { openDurableSqlite } from '../storage/durable-sqlite.js';

/**
 * A durable SQLite file that holds personal data (members, enrolments waiting for the CRM). A plain
 * DELETE leaves the row's bytes in free pages and in the WAL, where anyone with the file could read a
 * "forgotten" customer back; secure_delete overwrites them with zeros.
 */
export function openPrivateSqlite(path: string, schema: { sql: string; version: number }): Database.Database {
  const db = openDurableSqlite(path, schema);
  db.pragma('secure_delete = ON');
  return db;
}

/**
 * After personal data was deleted: the WAL still holds the page images from before the delete, so fold
 * it into the database and truncate it. Another process reading the file at that moment can keep the WAL
 * from being truncated; the next checkpoint does it then.
 */
export function truncateWal(db: Database.Database): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}
