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
    club = new SqliteClub({ path });
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
