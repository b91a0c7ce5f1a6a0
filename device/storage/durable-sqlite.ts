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
