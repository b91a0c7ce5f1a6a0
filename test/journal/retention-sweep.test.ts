import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { CLUB_FILE, memberRetention, SqliteClub } from '../../device/club/sqlite-club.js';
import { JOURNAL_FILE, journalRetention, SqliteJournal } from '../../device/journal/sqlite-journal.js';
import { DAY_MS, RetentionSweep } from '../../device/storage/retention-sweep.js';
import { enrolment } from '../club/club-contract.js';
import { storedBytes } from '../club/stored-bytes.js';
import { journalRequest } from '../support/journal-fixtures.js';

// The daemon's retention as main.ts wires it, on fake time: at start, then once a day.

const START = Date.parse('2026-01-01T03:00:00Z');
const SETTLED = 'k-1-0000000001-1';
const UNSETTLED = 'k-1-0000000002-1';

describe('retention sweep', () => {
  let dir: string;
  let journal: SqliteJournal;
  let sweep: RetentionSweep | undefined;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: START });
    dir = await mkdtemp(join(tmpdir(), 'vk-retention-'));
    journal = SqliteJournal.open(join(dir, JOURNAL_FILE));
    journal.paymentRequested(journalRequest(SETTLED), `${SETTLED}-create`);
    journal.close(SETTLED, 'captured');
    journal.paymentRequested(journalRequest(UNSETTLED), `${UNSETTLED}-create`);
    const club = new SqliteClub({ path: join(dir, CLUB_FILE) });
    await club.start();
    await club.enrol(enrolment({ msisdn: '4711111111', claims: { name: 'Borte Bortesen' } }));
    await club.stop();
  });

  afterEach(async () => {
    await sweep?.stop();
    sweep = undefined;
    journal.stop();
    vi.useRealTimers();
    await rm(dir, { recursive: true, force: true });
  });

  function started(): Promise<void> {
    sweep = new RetentionSweep(
      [...journalRetention(journal, 90), memberRetention(join(dir, CLUB_FILE), 365)],
      { logger: silentLogger, now: Date.now },
    );
    return sweep.start();
  }

  const members = () => {
    const db = new Database(join(dir, CLUB_FILE), { readonly: true });
    const n = (db.prepare('SELECT count(*) AS n FROM members').get() as { n: number }).n;
    db.close();
    return n;
  };

  it('deletes a settled payment once its period is over, at the daily sweep, and never the unsettled one', async () => {
    vi.setSystemTime(START + 89 * DAY_MS + 3_600_000);
    await started();
    expect(journal.outcome(SETTLED)).toBe('captured');

    await vi.advanceTimersByTimeAsync(DAY_MS);
    expect(journal.outcome(SETTLED)).toBeUndefined();
    expect(journal.unfinished().map((open) => open.reference)).toEqual([UNSETTLED]);

    await vi.advanceTimersByTimeAsync(3 * DAY_MS);
    await sweep?.stop();
    vi.setSystemTime(START + 3 * 365 * DAY_MS);
    await started();
    expect(journal.unfinished().map((open) => open.reference)).toEqual([UNSETTLED]);
    expect(members()).toBe(0);
  });

  it('sweeps at start: a kiosk that was off past the period deletes at once; a member unused for a year goes', async () => {
    vi.setSystemTime(START + 366 * DAY_MS);
    await started();
    expect(journal.outcome(SETTLED)).toBeUndefined();
    expect(journal.outcome(UNSETTLED)).toBeNull();
    expect(members()).toBe(0);
    expect(storedBytes(join(dir, CLUB_FILE))).not.toContain('Borte Bortesen');
  });

  it('keeps a member who was recognised within the year', async () => {
    vi.setSystemTime(START + 200 * DAY_MS);
    const club = new SqliteClub({ path: join(dir, CLUB_FILE) });
    await club.start();
    expect(await club.lookup('4711111111')).not.toBeNull();
    await club.stop();
    vi.setSystemTime(START + 564 * DAY_MS);
    await started();
    expect(members()).toBe(1);
    await vi.advanceTimersByTimeAsync(DAY_MS);
    expect(members()).toBe(1);
    await vi.advanceTimersByTimeAsync(DAY_MS);
    expect(members()).toBe(0);
  });
});
