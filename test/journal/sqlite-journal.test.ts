import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { JournalUnavailableError, SqliteJournal } from '../../device/journal/sqlite-journal.js';
import { journalRequest } from '../support/journal-fixtures.js';

describe('SQLite journal', () => {
  let path: string;
  beforeEach(async () => {
    path = join(await mkdtemp(join(tmpdir(), 'vk-journal-')), 'journal.sqlite');
  });

  it('keeps every open payment with its request and steps across a reopen, and forgets closed ones', () => {
    let clock = 1_000;
    const journal = SqliteJournal.open(path, () => clock++);
    journal.paymentRequested(journalRequest('k-1-0000000001-1'), 'k-1-0000000001-1-create');
    journal.step('k-1-0000000001-1', 'create-answered', { created: true });
    journal.paymentRequested(journalRequest('k-1-0000000002-1', 100), 'k-1-0000000002-1-create');
    journal.step('k-1-0000000002-1', 'capture-requested', { amount: 100 }, 'k-1-0000000002-1-capture-1');
    journal.close('k-1-0000000001-1', 'captured');
    journal.stop();

    const reopened = SqliteJournal.open(path);
    expect(reopened.outcome('k-1-0000000001-1')).toBe('captured');
    expect(reopened.outcome('k-1-0000000002-1')).toBeNull();
    expect(reopened.outcome('never-seen-1')).toBeUndefined();
    expect(reopened.unfinished()).toEqual([
      {
        reference: 'k-1-0000000002-1',
        receiptNumber: '0000000002',
        request: journalRequest('k-1-0000000002-1', 100),
        steps: [
          { kind: 'create-requested', idempotencyKey: 'k-1-0000000002-1-create', data: {}, at: 1002 },
          {
            kind: 'capture-requested',
            idempotencyKey: 'k-1-0000000002-1-capture-1',
            data: { amount: 100 },
            at: 1003,
          },
        ],
      },
    ]);
    reopened.stop();
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

  it('keeps the first request when the same reference is requested again (a retry)', () => {
    const journal = SqliteJournal.open(path);
    journal.paymentRequested(journalRequest('k-1-0000000001-1'), 'key');
    journal.paymentRequested(journalRequest('k-1-0000000001-1', 9999), 'key');
    const [open] = journal.unfinished();
    expect(open?.request.amount.value).toBe(4990);
    expect(open?.steps.map((s) => s.kind)).toEqual(['create-requested', 'create-requested']);
    journal.stop();
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
