import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';

// The POS systems paired with this kiosk (`vipps-kiosk pos pair`). A token is 256 random bits, shown once
// at pairing; only its SHA-256 is kept (a guess of 2^256 needs no slow hash), and a presented token is
// compared with every stored hash in constant time, so neither the file nor the timing gives one away.

export const PAIRINGS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS pos_pairings (
    pos_id      TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    token_hash  BLOB NOT NULL,
    paired_at   INTEGER NOT NULL
  ) STRICT;
`;

export interface Pairing {
  posId: string;
  label: string;
  pairedAt: number;
}

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest();

export class PosPairings {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {}

  /** A new pairing; the token is returned once and never stored. */
  pair(label: string): { pairing: Pairing; token: string } {
    const token = randomBytes(32).toString('hex');
    const posId = `pos-${randomBytes(4).toString('hex')}`;
    const pairedAt = this.now();
    this.db
      .prepare('INSERT INTO pos_pairings (pos_id, label, token_hash, paired_at) VALUES (?, ?, ?, ?)')
      .run(posId, label, hashOf(token), pairedAt);
    return { pairing: { posId, label, pairedAt }, token };
  }

  list(): Pairing[] {
    return (
      this.db.prepare('SELECT pos_id, label, paired_at FROM pos_pairings ORDER BY paired_at').all() as Array<{
        pos_id: string;
        label: string;
        paired_at: number;
      }>
    ).map((row) => ({ posId: row.pos_id, label: row.label, pairedAt: row.paired_at }));
  }

  /** False when no such pairing exists. */
  unpair(posId: string): boolean {
    return this.db.prepare('DELETE FROM pos_pairings WHERE pos_id = ?').run(posId).changes > 0;
  }

  /** The pairing the token belongs to, or undefined; every stored hash is compared, match or not. */
  verify(token: string): Pairing | undefined {
    const presented = hashOf(token);
    let found: Pairing | undefined;
    const rows = this.db.prepare('SELECT * FROM pos_pairings').all() as Array<{
      pos_id: string;
      label: string;
      token_hash: Buffer;
      paired_at: number;
    }>;
    for (const row of rows) {
      if (timingSafeEqual(presented, row.token_hash) && found === undefined) {
        found = { posId: row.pos_id, label: row.label, pairedAt: row.paired_at };
      }
    }
    return found;
  }
}
