import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ClubUnavailableError } from '../../device/club/club.js';
import { CLUB_FILE, SqliteClub } from '../../device/club/sqlite-club.js';
import { clubContract, enrolment } from './club-contract.js';
import { storedBytes } from './stored-bytes.js';

const SEEN = Date.parse('2026-12-01T12:00:00Z');
const DAY = 86_400_000;

clubContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vk-club-'));
  return {
    open: () => new SqliteClub({ path: join(dir, CLUB_FILE) }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('SQLite club: privacy', () => {
  let dir: string;
  let club: SqliteClub | undefined;

  afterEach(async () => {
    await club?.stop();
    club = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function open(): Promise<{ club: SqliteClub; path: string }> {
    dir = await mkdtemp(join(tmpdir(), 'vk-club-'));
    const path = join(dir, CLUB_FILE);
    club = new SqliteClub({ path, now: () => SEEN });
    await club.start();
    return { club, path };
  }

  it('stores the claims and the consent exactly as given, with times and kiosk, in a file only the daemon reads', async () => {
    const { club, path } = await open();
    const consents = {
      language: 'nb',
      timeOfConsent: '2026-11-23T14:59:58Z',
      answers: [{ id: 'email', accepted: true, required: false, textDisplayedToUser: 'Tilbud på e-post' }],
    };
    await club.enrol(enrolment({ claims: { name: 'Kari Nordmann' }, consents }));
    const rows = new Database(path, { readonly: true }).prepare('SELECT * FROM members').all();
    expect(rows).toEqual([
      {
        sub: enrolment().sub,
        msisdn: '4712345678',
        claims: '{"name":"Kari Nordmann"}',
        consents: JSON.stringify(consents),
        consented_at: enrolment().consentedAt,
        enrolled_at: enrolment().enrolledAt,
        kiosk_id: 'kiosk-1',
        last_seen_at: SEEN,
      },
    ]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('forget leaves no row and no byte of the member in the file or its WAL', async () => {
    const { club, path } = await open();
    await club.enrol(enrolment({ claims: { name: 'Kari Nordmann', email: 'kari@example.no' } }));
    await club.enrol(
      enrolment({
        sub: 'c0ffee00-0000-4000-8000-000000000002',
        msisdn: '4711111111',
        claims: { name: 'Ola' },
      }),
    );
    expect(storedBytes(path)).toContain('Kari Nordmann');

    expect(await club.forget('4712345678')).toBe(true);

    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM members WHERE msisdn = '4712345678'").get()).toEqual({
      n: 0,
    });
    expect(db.prepare('SELECT count(*) AS n FROM members').get()).toEqual({ n: 1 });
    db.close();
    const bytes = storedBytes(path);
    for (const trace of ['Kari Nordmann', 'kari@example.no', '4712345678', enrolment().sub]) {
      expect(bytes).not.toContain(trace);
    }
    expect(bytes).toContain('4711111111');
  });

  it('says in words when the file cannot be opened', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-club-'));
    const broken = new SqliteClub({ path: join(dir, 'missing-dir', CLUB_FILE) });
    await expect(broken.start()).rejects.toThrow(ClubUnavailableError);
    await expect(broken.start()).rejects.toThrow(/club database .* cannot be opened .* shelf prices/);
  });
});

describe('SQLite club: retention', () => {
  let dir: string;
  let clock: number;
  const clubs: SqliteClub[] = [];

  afterEach(async () => {
    for (const club of clubs.splice(0)) await club.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function open(): Promise<{ club: SqliteClub; path: string }> {
    dir ??= await mkdtemp(join(tmpdir(), 'vk-club-'));
    const path = join(dir, CLUB_FILE);
    const club = new SqliteClub({ path, now: () => clock });
    clubs.push(club);
    await club.start();
    return { club, path };
  }

  it('forgets the members who have not used the club since the cut; a lookup or a new login is a use', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-club-'));
    clock = SEEN;
    const { club, path } = await open();
    await club.enrol(
      enrolment({ sub: 'sub-away', msisdn: '4711111111', claims: { name: 'Borte Bortesen' } }),
    );
    await club.enrol(enrolment({ sub: 'sub-regular', msisdn: '4722222222' }));
    await club.enrol(enrolment({ sub: 'sub-again', msisdn: '4733333333' }));
    clock += 300 * DAY;
    expect(await club.lookup('4722222222')).not.toBeNull();
    await club.enrol(enrolment({ sub: 'sub-again', msisdn: '4733333333' }));
    clock += 100 * DAY;

    expect(await club.forgetUnusedSince(clock - 365 * DAY)).toBe(1);

    expect(await club.lookup('4711111111')).toBeNull();
    expect(await club.lookup('4722222222')).not.toBeNull();
    expect(await club.lookup('4733333333')).not.toBeNull();
    expect(storedBytes(path)).not.toContain('Borte Bortesen');
    expect(storedBytes(path)).not.toContain('4711111111');
  });

  it('counts a member of a file from before last use was kept as last seen when they consented', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-club-'));
    const path = join(dir, CLUB_FILE);
    const v1 = new Database(path);
    v1.exec(`CREATE TABLE members (sub TEXT PRIMARY KEY, msisdn TEXT NOT NULL UNIQUE, claims TEXT NOT NULL,
      consents TEXT, consented_at INTEGER NOT NULL, enrolled_at INTEGER NOT NULL, kiosk_id TEXT NOT NULL) STRICT`);
    v1.prepare("INSERT INTO members VALUES ('sub-1', '4711111111', '{}', NULL, ?, ?, 'kiosk-1')").run(
      SEEN - 2_000,
      SEEN,
    );
    v1.pragma('user_version = 1');
    v1.close();
    clock = SEEN + 10 * DAY;
    const { club } = await open();
    expect(await club.forgetUnusedSince(SEEN)).toBe(0);
    expect(await club.forgetUnusedSince(SEEN + 1)).toBe(1);
  });
});
