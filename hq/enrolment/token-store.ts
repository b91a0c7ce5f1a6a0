import { closeSync, openSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { type EnrolRefusal, enrolmentTokenHash } from '../../contracts/enrolment.js';

// The one-time enrolment tokens, in one SQLite file shared by `hq enrol-qr` (mints) and
// `hq enrol-serve` (spends): durable across restarts, and spent with one conditional UPDATE, so two
// requests with the same token (two kiosks, two replicas of the service) cannot both get a certificate.
// Only a hash of each token is kept: a copy of the file enrols nobody.

const SCHEMA = `
CREATE TABLE IF NOT EXISTS enrolment_tokens (
  hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  certificate_serial TEXT
)`;

/** A token the service will not take; `kind` and `message` become its 4xx answer. */
export class TokenRefused extends Error {
  override readonly name = 'TokenRefused';
  constructor(
    readonly kind: EnrolRefusal['error'],
    message: string,
  ) {
    super(message);
  }
}

export class EnrolmentTokenStore {
  private constructor(private readonly db: Database.Database) {}

  /** Opens (or makes, 0600) the token file. */
  static async open(path: string): Promise<EnrolmentTokenStore> {
    // Made 0600 before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
    closeSync(openSync(path, 'a', 0o600));
    await chmod(path, 0o600);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    return new EnrolmentTokenStore(db);
  }

  mint(token: string, clientId: string, expiresAt: Date, now: Date): void {
    this.db
      .prepare('INSERT INTO enrolment_tokens (hash, client_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(enrolmentTokenHash(token), clientId, now.getTime(), expiresAt.getTime());
  }

  /** The client id a live token was minted for; TokenRefused when unknown, spent or expired. */
  clientIdOf(token: string, now: Date): string {
    const row = this.row(token);
    if (!row) {
      throw new TokenRefused(
        'unknown-token',
        "HQ's enrolment service does not know this code (made for another service, or HQ's token file was replaced); ask HQ for a new code",
      );
    }
    if (row.used_at !== null) {
      throw new TokenRefused(
        'used-token',
        `this enrolment code was already used at ${new Date(row.used_at).toISOString()}; a code enrols one kiosk, once. Ask HQ for a new code`,
      );
    }
    if (row.expires_at <= now.getTime()) {
      const expiresAt = new Date(row.expires_at);
      const minutes = Math.ceil((now.getTime() - row.expires_at) / 60_000);
      throw new TokenRefused(
        'expired-token',
        `the enrolment code expired at ${expiresAt.toISOString()} (${minutes} min ago by HQ's clock); ask HQ for a new one`,
      );
    }
    return row.client_id;
  }

  /**
   * Spends the token for the certificate with this serial: true when this call spent it, false when it
   * was spent meanwhile or has expired (the certificate must then not be handed out).
   */
  spend(token: string, certificateSerial: string, now: Date): boolean {
    const result = this.db
      .prepare(
        `UPDATE enrolment_tokens SET used_at = ?, certificate_serial = ?
         WHERE hash = ? AND used_at IS NULL AND expires_at > ?`,
      )
      .run(now.getTime(), certificateSerial, enrolmentTokenHash(token), now.getTime());
    return result.changes === 1;
  }

  close(): void {
    this.db.close();
  }

  private row(token: string) {
    return this.db
      .prepare('SELECT client_id, expires_at, used_at FROM enrolment_tokens WHERE hash = ?')
      .get(enrolmentTokenHash(token)) as
      | { client_id: string; expires_at: number; used_at: number | null }
      | undefined;
  }
}
