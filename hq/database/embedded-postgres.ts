import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// The demo's and a single small site's database: PGlite (PostgreSQL compiled to WebAssembly, kept in a
// folder) served on loopback over the PostgreSQL wire protocol by pglite-socket. Why this and not, say,
// SQLite behind an interface: the collector, `hq watch` and the HQ page then talk `pg` to a URL and run
// the very SQL and migrations a fleet runs on a real PostgreSQL, so there is one code path to test and
// a site that outgrows it moves to PostgreSQL by changing the URL (pg_dump works against it too).
// Its limits, which a fleet should not live with: one process owns the folder, every connection shares
// one backend (queries are queued, transactions never interleave), and any client on loopback gets in
// without a password.

/** Connections the server takes at once: the collector's pool, `hq watch`, the page. */
const MAX_CONNECTIONS = 16;

export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`: what the other HQ programs are given. */
  readonly url: string;
  readonly dir: string;
  close(): Promise<void>;
}

/** Opens (or creates) the database in `dir` and serves it on 127.0.0.1:`port` (0: any free port). */
export async function startEmbeddedPostgres(dir: string, port = 0): Promise<EmbeddedPostgres> {
  const dataDir = resolve(dir);
  await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: MAX_CONNECTIONS });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw new Error(
      `cannot serve the embedded database on 127.0.0.1:${port}: ${(error as Error).message}` +
        (port !== 0 ? ' (is another collector already serving it?)' : ''),
    );
  }
  // getServerConn() is "host:port" once listening, with the port the system chose for 0.
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  return {
    url,
    dir: dataDir,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
