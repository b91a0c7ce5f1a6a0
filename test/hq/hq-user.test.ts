import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run, start, waitFor } from '../support/cli-process.js';
import { describeWithPostgres, TestPostgres } from '../support/postgres.js';
import { builtPage, Visitor } from './hq-page-fixture.js';

// `vipps-kiosk hq user` and `hq serve` as an operations person runs them: real processes on a real
// PostgreSQL. The password comes from stdin, is kept only as an argon2id hash, and signs in to the page.

describeWithPostgres('hq user and hq serve', () => {
  let postgres: TestPostgres;
  let url: string;
  let built: Awaited<ReturnType<typeof builtPage>>;

  beforeAll(async () => {
    [postgres, built] = await Promise.all([TestPostgres.start(), builtPage()]);
    url = await postgres.createDatabase();
  }, 120_000);
  afterAll(async () => {
    await postgres?.dispose();
    await built?.remove();
  });

  it('adds, lists and removes users; the password from stdin, stored as argon2id', {
    timeout: 240_000,
  }, async () => {
    const short = await run(
      ['hq', 'user', 'add', '--database', url, 'anna', '--role', 'operator'],
      {},
      'short\n',
    );
    expect(short.code).toBe(2);
    expect(short.output).toContain('at least 10 characters');

    const added = await run(
      ['hq', 'user', 'add', '--database', url, 'anna', '--role', 'operator'],
      {},
      'a-long-enough-password\n',
    );
    expect(added).toMatchObject({ code: 0, output: 'added anna as operator\n' });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ password_hash: string }>('SELECT password_hash FROM users');
      expect(rows).toHaveLength(1);
      expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
      expect(rows[0]!.password_hash).not.toContain('a-long-enough-password');
    } finally {
      await client.end();
    }
    expect((await run(['hq', 'user', 'list', '--database', url])).output).toMatch(/^anna\toperator\tsince /);
    expect((await run(['hq', 'user', 'remove', '--database', url, 'anna'])).code).toBe(0);
    const again = await run(['hq', 'user', 'remove', '--database', url, 'anna']);
    expect(again.code).toBe(1);
    expect(again.output).toContain('there is no HQ user "anna"');
  });

  it('serves the page a user signs in to', { timeout: 120_000 }, async () => {
    await run(['hq', 'user', 'add', '--database', url, 'bo', '--role', 'viewer'], {}, 'bo-password-123\n');
    const serve = start(['hq', 'serve', '--database', url, '--port', '0'], {});
    try {
      const [, address] = await waitFor(serve, /HQ page on (http:\/\/127\.0\.0\.1:\d+)\//, 30_000);
      const visitor = new Visitor(address!);
      expect((await visitor.signIn('bo', 'bo-password-123')).status).toBe(303);
      // Without --broker and --command-key the buttons answer why they cannot work (after the role check).
      expect((await visitor.post('/api/kiosks/a/b/commands', { name: 'identify', args: {} })).status).toBe(
        403,
      );
      expect((await visitor.fetch('/api/reconcile?date=2026-01-01')).status).toBe(404);
    } finally {
      serve.kill('SIGTERM');
    }
  });
});
