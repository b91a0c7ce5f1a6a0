import { chmodSync } from 'node:fs';
import Database from 'better-sqlite3';

export interface SqliteSchema {
  sql: string;
  version: number;
  /** Brings a file written at schema version `from` (at least 1) up to `version`, before `sql` runs. */
  migrate?: (db: Database.Database, from: number) => void;
}

/**
 * Opens one of the daemon's SQLite files in the state directory the way money data needs: readable by
 * the daemon alone, WAL, synchronous FULL (a committed write survives a power cut), a small page cache
 * (the files are small), the schema created, migrated or checked, and SQLite's own consistency check passed.
 * Throws a plain Error saying what is wrong; the caller wraps it in its own typed error.
 */
export function openDurableSqlite(
  path: string,
  schema: SqliteSchema,
  options: { foreignKeys?: boolean; secureDelete?: boolean } = {},
): Database.Database {
  const db = new Database(path);
  try {
    chmodSync(path, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    if (options.foreignKeys) db.pragma('foreign_keys = ON');
    if (options.secureDelete) db.pragma('secure_delete = ON');
    db.pragma('cache_size = -512');
    const found = db.pragma('user_version', { simple: true }) as number;
    if (found > schema.version) {
      throw new Error(
        `it was written by a newer vipps-kiosk (schema ${found}, this one knows ${schema.version})`,
      );
    }
    if (found > 0 && found < schema.version) db.transaction(() => schema.migrate?.(db, found))();
    db.exec(schema.sql);
    db.pragma(`user_version = ${schema.version}`);
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`SQLite finds it damaged: ${String(check)}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Runs `write` as commits that skip their own fsync (synchronous NORMAL): in WAL mode they are in the
 * WAL file at once, so a crash of the process loses nothing, and the next synchronous FULL commit to the
 * same file makes them durable too (its fsync covers every frame before it). Only for a write whose
 * durability a later FULL commit is sure to bring before anything depends on it after a power cut; the
 * caller says which.
 */
export function withoutOwnFsync<T>(db: Database.Database, write: () => T): T {
  db.pragma('synchronous = NORMAL');
  try {
    return write();
  } finally {
    db.pragma('synchronous = FULL');
  }
}
