import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLUB_FILE, SqliteClub } from '../../device/club/sqlite-club.js';
import { CRM_TOKEN, CrmServer } from '../support/crm-server.js';
import { enrolment } from './club-contract.js';
import { storedBytes } from './stored-bytes.js';

// `vipps-kiosk club forget` as a field tech runs it: a real process, a real config dir, a real club file.

const MAIN = new URL('../../cli/main.ts', import.meta.url).pathname;

async function vippsKiosk(
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stdout, stderr };
}

describe('vipps-kiosk club forget', () => {
  let dir: string;
  let stateDir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-club-cli-'));
    stateDir = join(dir, 'state');
    await mkdir(stateDir);
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function configure(
    club: Record<string, unknown>,
    secrets: Record<string, unknown> = {},
  ): Promise<void> {
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({
        device: { id: 'k-1', site: 'x' },
        vipps: { merchantSerialNumber: '123456' },
        stateDir,
        club,
      }),
    );
    await writeFile(
      join(dir, 'secrets.json'),
      JSON.stringify({ vipps: { clientId: 'a', clientSecret: 'b', subscriptionKey: 'c' }, ...secrets }),
    );
    await chmod(join(dir, 'secrets.json'), 0o600);
  }

  async function members(...numbers: string[]): Promise<string> {
    const path = join(stateDir, CLUB_FILE);
    const club = new SqliteClub({ path });
    await club.start();
    for (const [i, msisdn] of numbers.entries()) {
      await club.enrol(enrolment({ sub: `sub-${i}`, msisdn, claims: { name: `Member ${i}` } }));
    }
    await club.stop();
    return path;
  }

  it('deletes the member from the SQLite club, naming the number masked; exit 0, then 1', async () => {
    await configure({ enabled: true });
    const path = await members('4712345678', '4711111111');

    // As a person types it, unquoted: the pieces are one number.
    const forgot = await vippsKiosk('club', 'forget', '+47', '12', '34', '56', '78', '--config-dir', dir);
    expect(forgot).toEqual({
      code: 0,
      stdout: `Deleted club member 47******78 and everything held about them from the club database ${path}.\n`,
      stderr: '',
    });
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT msisdn FROM members').all()).toEqual([{ msisdn: '4711111111' }]);
    db.close();
    expect(storedBytes(path)).not.toContain('Member 0');

    const again = await vippsKiosk('club', 'forget', '4712345678', '--config-dir', dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `vipps-kiosk club: no club member 47******78 in the club database ${path}; nothing deleted\n`,
    );
  });

  it('says there is nothing to forget when the club file does not exist, and does not create it', async () => {
    await configure({ enabled: false });
    const result = await vippsKiosk('club', 'forget', '4712345678', '--config-dir', dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /no club member 47\*{6}78: the club database .* does not exist; nothing deleted/,
    );
    expect(existsSync(join(stateDir, CLUB_FILE))).toBe(false);
  });

  it.each([
    [['club'], /unknown club action ""/],
    [['club', 'list'], /unknown club action "list"/],
    [['club', 'forget'], /expected the phone number of the member to forget/],
    [['club', 'forget', '4798765432', '4711111111'], /is not a phone number with country code/],
    [
      ['club', 'forget', '98765432'],
      /"98\*{4}32" is not a phone number with country code: expected 10–15 digits/,
    ],
    [['club', 'forget', '4798765432', '--dir', '/tmp'], /Unknown option '--dir'/],
  ])('%j is a usage error: exit 2 with the usage', async (args, message) => {
    const result = await vippsKiosk(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('usage: vipps-kiosk club forget <phone number> [--config-dir DIR]');
    expect(result.stderr).not.toContain('98765432');
  });

  it('forgets a member at the CRM when the club is kept there', async () => {
    const crm = new CrmServer();
    await crm.start();
    try {
      await configure({ enabled: true, store: 'http', crmUrl: crm.url }, { club: { crmToken: CRM_TOKEN } });
      crm.members.set('sub-0', {
        sub: 'sub-0',
        msisdn: '4712345678',
        claims: {},
        consents: null,
        consentedAt: '2026-11-23T15:00:00.000Z',
        enrolledAt: '2026-11-23T15:00:00.000Z',
        kioskId: 'k-1',
      });
      const forgot = await vippsKiosk('club', 'forget', '4712345678', '--config-dir', dir);
      expect(forgot.stdout).toBe(
        `Deleted club member 47******78 and everything held about them from the CRM at ${crm.url}.\n`,
      );
      expect(forgot.code).toBe(0);
      expect(crm.members.size).toBe(0);

      await crm.down();
      const down = await vippsKiosk('club', 'forget', '4712345678', '--config-dir', dir);
      expect(down.code).toBe(1);
      expect(down.stderr).toMatch(
        /vipps-kiosk club: The CRM at http:\/\/127.0.0.1:\d+ could not forget the member: ECONNREFUSED/,
      );
    } finally {
      await crm.stop();
    }
  });
});
