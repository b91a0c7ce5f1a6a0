import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, JournalUnavailableError, SqliteJournal } from '../../device/journal/sqlite-journal.js';
import { journalContract } from './journal-contract.js';

journalContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vk-journal-'));
  return {
    open: (now) => SqliteJournal.open(join(dir, JOURNAL_FILE), now),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('SQLite journal: the file', () => {
  let path: string;
  beforeEach(async () => {
    path = join(await mkdtemp(join(tmpdir(), 'vk-journal-')), 'journal.sqlite');
  });

  it('writes ahead in WAL mode with synchronous FULL, in a file only the daemon can read', async () => {
    SqliteJournal.open(path).stop();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const journal = SqliteJournal.open(path);
    // synchronous is per connection: read it through the journal's own connection.
    expect((journal as unknown as { db: Database.Database }).db.pragma('synchronous', { simple: true })).toBe(
      2,
    );
    journal.stop();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('refuses a damaged file, saying not to delete it', async () => {
    await writeFile(path, 'this is not a database, just text that happens to be here'.repeat(100));
    expect(() => SqliteJournal.open(path)).toThrow(JournalUnavailableError);
    expect(() => SqliteJournal.open(path)).toThrow(/do not delete the file/);
  });

  it('refuses a journal written by a newer version', () => {
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => SqliteJournal.open(path)).toThrow(/newer vipps-kiosk \(schema 99/);
  });
});
