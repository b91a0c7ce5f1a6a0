import pg from 'pg';
import { UsageError } from '../../common/cli/args.js';
import type { EmbeddedPostgres } from './embedded-postgres.js';
import { migrate } from './migrate.js';

// `--database URL` of the HQ programs: a PostgreSQL URL (a fleet), or `embedded:DIR` for the embedded
// PGlite (the demo, a single small site; embedded-postgres.ts says why). Either way the programs get a
// `pg` pool on a URL, with the schema brought up to date.

export const DATABASE_URL_RULE =
  'postgres://USER@HOST:PORT/DB (the password from PGPASSWORD), or embedded:DIR[?port=N] for the ' +
  'embedded database kept in DIR';

export interface HqDatabase {
  readonly pool: pg.Pool;
  /** The URL without a password, for messages and for the other HQ programs (the embedded one's). */
  readonly url: string;
  /** The migration versions this start applied (none when the schema was up to date). */
  readonly applied: readonly number[];
  close(): Promise<void>;
}

type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'embedded'; dir: string; port: number };

/** Reads `--database`; a UsageError says what is wrong with it. */
export function databaseOption(value: string | undefined): DatabaseTarget {
  if (value === undefined) throw new UsageError(`--database is required: ${DATABASE_URL_RULE}`);
  if (value.startsWith('embedded:')) {
    const [dir = '', query = ''] = value.slice('embedded:'.length).split('?', 2);
    const portText = new URLSearchParams(query).get('port') ?? '0';
    const port = Number(portText);
    if (dir === '' || !Number.isInteger(port) || port < 0 || port > 65_535)
      throw new UsageError(`--database "${value}" is not valid; expected ${DATABASE_URL_RULE}`);
    return { kind: 'embedded', dir, port };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--database "${value}" is not a URL; expected ${DATABASE_URL_RULE}`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new UsageError(
      `--database "${url.protocol}" URLs are not databases; expected ${DATABASE_URL_RULE}`,
    );
  if (url.password !== '')
    throw new UsageError(
      '--database must not contain a password (it would show in the process list and shell history); ' +
        'set PGPASSWORD instead',
    );
  return { kind: 'postgres', url: value };
}

/**
 * Connects (starting the embedded database first when asked), checks the server answers, and applies
 * the migrations it lacks (unless `migrate` is false). `pg` reads PGPASSWORD (and PGSSLMODE and friends) from the environment.
 */
export async function openDatabase(
  target: DatabaseTarget,
  options: { max?: number; migrate?: boolean } = {},
): Promise<HqDatabase> {
  let embedded: EmbeddedPostgres | undefined;
  let url: string;
  if (target.kind === 'embedded') {
    // Loaded only when asked for: PGlite is a large WebAssembly module a fleet's HQ never needs.
    const { startEmbeddedPostgres } = await import('./embedded-postgres.js');
    embedded = await startEmbeddedPostgres(target.dir, target.port);
    url = embedded.url;
  } else {
    url = target.url;
  }
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 4, connectionTimeoutMillis: 10_000 });
  // An idle connection the server closed (a restart) is an error event on the pool: the next query
  // opens a new one, and the query that meets a dead server fails where it is awaited.
  pool.on('error', () => {});
  const close = async () => {
    await pool.end().catch(() => {});
    await embedded?.close();
  };
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await close();
    throw new Error(`cannot reach the database at ${url}: ${(error as Error).message}`);
  }
  try {
    // Readers (hq watch) leave the schema to the collector: their login may not be allowed to change it.
    const applied = options.migrate === false ? [] : await migrate(pool);
    return { pool, url, applied, close };
  } catch (error) {
    await close();
    throw new Error(`cannot bring the database at ${url} up to date: ${(error as Error).message}`);
  }
}
