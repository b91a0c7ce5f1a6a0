import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { type Logger, silentLogger } from '../../common/log/logger.js';
import { maskMsisdn } from '../../common/log/mask.js';
import type { Member } from '../checkout/domain/member.js';
import { openPrivateSqlite, truncateWal } from '../storage/private-sqlite.js';
import { DAY_MS, type RetentionRule } from '../storage/retention-sweep.js';
import { type Club, ClubUnavailableError, type Enrolment } from './club.js';

export const CLUB_FILE = 'club.sqlite';

const SCHEMA_VERSION = 2;

// One row a member and nothing elsewhere, so forgetting a member is one DELETE. `claims` and `consents`
// are JSON, exactly what the Vipps Login consent released. `last_seen_at` is when the member last used
// the club (joined, or was looked up at the kiosk), to the day: retention counts from it.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS members (
    sub          TEXT PRIMARY KEY,
    msisdn       TEXT NOT NULL UNIQUE,
    claims       TEXT NOT NULL,
    consents     TEXT,
    consented_at INTEGER NOT NULL,
    enrolled_at  INTEGER NOT NULL,
    kiosk_id     TEXT NOT NULL,
    last_seen_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS members_by_last_seen ON members(last_seen_at);
`;

/** Version 1 had no last use: a member counts as last seen when they last consented. */
function migrate(db: Database.Database): void {
  db.exec('ALTER TABLE members ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0');
  db.exec('UPDATE members SET last_seen_at = max(enrolled_at, consented_at)');
}

/** A lookup writes the last use only when it is older than this, so a regular does not cost a write a visit. */
const LAST_SEEN_PRECISION_MS = DAY_MS;

export interface SqliteClubOptions {
  /** The club file, normally `{stateDir}/club.sqlite`. */
  path: string;
  logger?: Logger;
  now?: () => number;
}

/**
 * The embedded club: members in a SQLite file in the state directory, keyed by Vipps `sub`.
 *
 * Enrolling is idempotent per `sub`: the same `sub` with the same number changes nothing and answers the
 * member as they joined. A `sub` that comes back with another number (they changed phone number; Vipps has
 * just verified the new one) keeps its membership and join time, and takes the new number with the claims
 * and consent of this newer login. A number that Vipps verifies for a *new* `sub` has been given to someone
 * else by the operator: the previous holder's row is deleted, since nobody can be recognised by it any more
 * (they can join again with their new number).
 */
export class SqliteClub implements Club {
  private db: Database.Database | undefined;
  private readonly logger: Logger;
  private readonly now: () => number;

  constructor(private readonly options: SqliteClubOptions) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<void> {
    if (this.db) return;
    try {
      this.db = openPrivateSqlite(this.options.path, { sql: SCHEMA, version: SCHEMA_VERSION, migrate });
    } catch (error) {
      throw new ClubUnavailableError(
        `The club database ${this.options.path} cannot be opened (${(error as Error).message}); customers ` +
          'pay at shelf prices until it can. Check the disk and the state directory.',
        { cause: error },
      );
    }
  }

  async stop(): Promise<void> {
    this.db?.close();
    this.db = undefined;
  }

  async lookup(msisdn: string): Promise<Member | null> {
    return this.use((db) => {
      const row = db.prepare('SELECT sub, msisdn, enrolled_at FROM members WHERE msisdn = ?').get(msisdn) as
        | MemberRow
        | undefined;
      if (!row) return null;
      const now = this.now();
      db.prepare('UPDATE members SET last_seen_at = ? WHERE sub = ? AND last_seen_at < ?').run(
        now,
        row.sub,
        now - LAST_SEEN_PRECISION_MS,
      );
      return memberOf(row);
    });
  }

  async enrol(enrolment: Enrolment): Promise<Member> {
    return this.use((db) =>
      db.transaction((): Member => {
        const existing = db
          .prepare('SELECT sub, msisdn, enrolled_at FROM members WHERE sub = ?')
          .get(enrolment.sub) as MemberRow | undefined;
        const now = this.now();
        if (existing?.msisdn === enrolment.msisdn) {
          db.prepare('UPDATE members SET last_seen_at = ? WHERE sub = ?').run(now, existing.sub);
          return memberOf(existing);
        }
        const displaced = db
          .prepare('DELETE FROM members WHERE msisdn = ? AND sub <> ?')
          .run(enrolment.msisdn, enrolment.sub).changes;
        if (displaced > 0) {
          this.logger.warn(
            'a new Vipps user joined with a number that belonged to a member; the old member is removed',
            {
              msisdn: maskMsisdn(enrolment.msisdn),
            },
          );
        }
        const claims = JSON.stringify(enrolment.claims);
        const consents = enrolment.consents ? JSON.stringify(enrolment.consents) : null;
        if (existing) {
          db.prepare(
            'UPDATE members SET msisdn = ?, claims = ?, consents = ?, consented_at = ?, last_seen_at = ? ' +
              'WHERE sub = ?',
          ).run(enrolment.msisdn, claims, consents, enrolment.consentedAt, now, enrolment.sub);
          return { sub: existing.sub, msisdn: enrolment.msisdn, since: existing.enrolled_at };
        }
        db.prepare(
          'INSERT INTO members (sub, msisdn, claims, consents, consented_at, enrolled_at, kiosk_id, last_seen_at) ' +
            'VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(
          enrolment.sub,
          enrolment.msisdn,
          claims,
          consents,
          enrolment.consentedAt,
          enrolment.enrolledAt,
          enrolment.kioskId,
          now,
        );
        return { sub: enrolment.sub, msisdn: enrolment.msisdn, since: enrolment.enrolledAt };
      })(),
    );
  }

  async forget(msisdn: string): Promise<boolean> {
    return this.use((db) => {
      const deleted = db.prepare('DELETE FROM members WHERE msisdn = ?').run(msisdn).changes > 0;
      if (deleted) truncateWal(db);
      return deleted;
    });
  }

  /**
   * Retention: deletes the members who have not used the club since `before` (epoch ms); how many. As
   * `forget`, nothing of them is left in the file.
   */
  async forgetUnusedSince(before: number): Promise<number> {
    return this.use((db) => {
      const deleted = db.prepare('DELETE FROM members WHERE last_seen_at < ?').run(before).changes;
      if (deleted > 0) truncateWal(db);
      return deleted;
    });
  }

  /** A SQLite failure (disk, lock) is the store not answering: the customer pays at shelf prices. */
  private use<T>(work: (db: Database.Database) => T): T {
    if (!this.db) throw new ClubUnavailableError('the club database is not open (start() was not called)');
    try {
      return work(this.db);
    } catch (error) {
      throw new ClubUnavailableError(
        `The club database ${this.options.path} did not answer (${(error as Error).message})`,
        { cause: error },
      );
    }
  }
}

interface MemberRow {
  sub: string;
  msisdn: string;
  enrolled_at: number;
}

function memberOf(row: MemberRow): Member {
  return { sub: row.sub, msisdn: row.msisdn, since: row.enrolled_at };
}

/**
 * The club's part of the daemon's retention: members of the SQLite club unused for `club.memberRetentionDays`
 * are deleted. It opens the file itself when there is one, so a store that switched its club off (or
 * moved it to a CRM) does not keep its old members for ever.
 */
export function memberRetention(path: string, retentionDays: number, logger?: Logger): RetentionRule {
  return {
    what: 'club members deleted (unused)',
    apply: async (now) => {
      if (!existsSync(path)) return 0;
      const club = new SqliteClub({ path, logger });
      await club.start();
      try {
        return await club.forgetUnusedSince(now - retentionDays * DAY_MS);
      } finally {
        await club.stop();
      }
    },
  };
}
