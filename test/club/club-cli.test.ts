import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CRM_QUEUE_FILE } from '../../device/club/crm-queue.js';
import { CLUB_FILE, SqliteClub } from '../../device/club/sqlite-club.js';
import { JOURNAL_FILE, SqliteJournal } from '../../device/journal/sqlite-journal.js';
import { OUTBOX_FILE, SqliteOutbox } from '../../device/telemetry/outbox.js';
import { CRM_TOKEN, CrmServer } from '../support/crm-server.js';
import { journalRequest } from '../support/journal-fixtures.js';
import { enrolment } from './club-contract.js';
import { storedBytes } from './stored-bytes.js';

// `vipps-kiosk club forget` as a field tech runs it: a real process, a real config dir, a real club file.

const PHONE = '4798765432';

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
      stdout: [
        'Forgetting 47******78:',
        `  the club database ${path}: 1 members deleted`,
        `  payment journal ${join(stateDir, JOURNAL_FILE)}: does not exist here, nothing to do`,
        `  telemetry outbox ${join(stateDir, OUTBOX_FILE)}: does not exist here, nothing to do`,
        `  CRM enrolment queue ${join(stateDir, CRM_QUEUE_FILE)}: does not exist here, nothing to do`,
        '',
      ].join('\n'),
      stderr: '',
    });
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT msisdn FROM members').all()).toEqual([{ msisdn: '4711111111' }]);
    db.close();
    expect(storedBytes(path)).not.toContain('Member 0');

    const again = await vippsKiosk('club', 'forget', '4712345678', '--config-dir', dir);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain(`  the club database ${path}: 0 members deleted\n`);
    expect(again.stderr).toBe(
      'vipps-kiosk club: nothing held about 47******78 in any store; nothing deleted\n',
    );
  });

  it('says there is nothing to forget when no store exists, and creates none', async () => {
    await configure({ enabled: false });
    const result = await vippsKiosk('club', 'forget', '4712345678', '--config-dir', dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/the club database .* does not exist here, nothing to do/);
    expect(result.stderr).toBe(
      'vipps-kiosk club: nothing held about 47******78 in any store; nothing deleted\n',
    );
    for (const file of [CLUB_FILE, JOURNAL_FILE, OUTBOX_FILE, CRM_QUEUE_FILE])
      expect(existsSync(join(stateDir, file))).toBe(false);
  });

  it('takes the number out of the payment journal and the outbox too, and says what it must keep until settled', async () => {
    await configure({ enabled: true });
    const club = await members(PHONE, '4711111111');
    const journalPath = join(stateDir, JOURNAL_FILE);
    const journal = SqliteJournal.open(journalPath);
    const paid = 'k-1-0000000001-1';
    const paying = 'k-1-0000000002-1';
    journal.paymentRequested({ ...journalRequest(paid), customer: { phoneNumber: PHONE } }, `${paid}-create`);
    journal.step(paid, 'create-answered', { created: true });
    journal.close(paid, 'captured');
    journal.paymentRequested(
      { ...journalRequest(paying), customer: { phoneNumber: PHONE } },
      `${paying}-create`,
    );
    journal.stop();
    // A payload the guard would refuse, written past it: forget is the backstop.
    const outboxPath = join(stateDir, OUTBOX_FILE);
    const outbox = SqliteOutbox.open(outboxPath);
    outbox.enqueue({
      type: 'sale-completed',
      class: 'money',
      payload: { note: `paid by +47 ${PHONE.slice(2)}` },
    });
    outbox.enqueue({ type: 'health', class: 'info', payload: { uptime: 4 } });
    outbox.stop();

    const forgot = await vippsKiosk('club', 'forget', PHONE, '--config-dir', dir);

    expect(forgot.stderr).toBe('');
    expect(forgot.code).toBe(0);
    expect(forgot.stdout).toBe(
      [
        'Forgetting 47******32:',
        `  the club database ${club}: 1 members deleted`,
        `  payment journal ${journalPath}: 0 settled payments redacted`,
        `  telemetry outbox ${outboxPath}: 1 events cleaned`,
        `  CRM enrolment queue ${join(stateDir, CRM_QUEUE_FILE)}: does not exist here, nothing to do`,
        'Still held: 1 payment not settled yet names 47******32 in the payment journal. Recovery may have to ' +
          'repeat the request to Vipps, so it stays until Vipps has settled the payment; the journal removes ' +
          'the number then by itself, without another forget.',
        '',
      ].join('\n'),
    );
    expect(storedBytes(club)).not.toContain(PHONE);
    expect(storedBytes(outboxPath)).not.toContain(PHONE.slice(2));
    // The settled payment holds the number nowhere in the file; the open one still does, until settled.
    const reopened = SqliteJournal.open(journalPath);
    expect(reopened.unfinished().map((open) => open.reference)).toEqual([paying]);
    reopened.close(paying, 'cancelled');
    reopened.stop();
    expect(storedBytes(journalPath)).not.toContain(PHONE);
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
      expect(forgot.stdout).toContain(`Forgetting 47******78:\n  the CRM at ${crm.url}: 1 members deleted\n`);
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
