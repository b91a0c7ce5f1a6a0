import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { packageRoot } from '../../common/package-root.js';

// HQ's schema, versioned in the repo as hq/database/migrations/NNN_name.sql and applied at start by
// every program that opens the database. Forward only: a released migration is never edited, a change
// is a new file.

/** Any constant the fleet's other users of the database do not take: "vk-hq-migrate" as a number. */
const MIGRATION_LOCK = 0x766b_6871;

const FILE = /^(\d{3})_[a-z0-9_]+\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function migrationsDir(): string {
  return join(packageRoot(), 'hq', 'database', 'migrations');
}

/** The migrations in `dir`, by version; two files with one number are a mistake caught here. */
export async function readMigrations(dir = migrationsDir()): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const match = FILE.exec(name);
    if (!match) continue;
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version))
      throw new Error(`two migrations numbered ${match[1]} in ${dir}`);
    migrations.push({ version, name, sql: await readFile(join(dir, name), 'utf8') });
  }
  return migrations;
}

/**
 * Applies the migrations the database has not seen, in one transaction that first takes a
 * transaction-scoped advisory lock: replicas starting together queue on it, and each after the first
 * finds the work done. (A transaction lock rather than a session one: the embedded PGlite serves every
 * connection from one backend session, where a session lock would not keep a second connection out,
 * but it never interleaves another connection into an open transaction.) Returns the versions applied.
 */
export async function migrate(pool: Pool, migrations?: readonly Migration[]): Promise<number[]> {
  const all = migrations ?? (await readMigrations());
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (row) => row.version,
      ),
    );
    const applied: number[] = [];
    for (const migration of all) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
