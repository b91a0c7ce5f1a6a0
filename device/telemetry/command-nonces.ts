import type Database from 'better-sqlite3';
import { COMMAND_CLOCK_SKEW_MS } from '../../contracts/hq-command.js';
import { openDurableSqlite } from '../storage/durable-sqlite.js';

export const COMMAND_NONCES_FILE = 'hq-command-nonces.sqlite';

const SCHEMA_VERSION = 1;

// One row per HQ command carried out (or tried), kept until its expiry has passed by more than the
// clock-skew allowance: after that the command is refused as expired anyway. Only commands whose
// signature checked out are written, so nobody without HQ's key can fill the table.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS seen (
    nonce          TEXT NOT NULL PRIMARY KEY,
    transaction_id TEXT NOT NULL UNIQUE,
    expires_at     INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS seen_expiry ON seen(expires_at);
`;

/** The state directory's memory of HQ commands: a replay is refused even after a restart. */
export class CommandNonces {
  private constructor(private readonly db: Database.Database) {}

  /** Throws a plain Error (see openDurableSqlite) when the file cannot be used. */
  static open(path: string): CommandNonces {
    return new CommandNonces(openDurableSqlite(path, { sql: SCHEMA, version: SCHEMA_VERSION }));
  }

  /**
   * Remembers the command, durably before it returns; false when its nonce or its transaction id was
   * seen before (a replay). Forgets the commands that can no longer be carried out in the same step.
   */
  firstSight(nonce: string, transactionId: string, expiresAt: number, now: number): boolean {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM seen WHERE expires_at < ?').run(now - COMMAND_CLOCK_SKEW_MS);
      return (
        this.db
          .prepare('INSERT OR IGNORE INTO seen (nonce, transaction_id, expires_at) VALUES (?, ?, ?)')
          .run(nonce, transactionId, expiresAt).changes === 1
      );
    })();
  }

  /** Commands remembered now (for tests and diagnostics). */
  size(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM seen').get() as { n: number }).n;
  }

  stop(): void {
    if (this.db.open) this.db.close();
  }
}
