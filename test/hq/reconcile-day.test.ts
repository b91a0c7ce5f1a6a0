// `hq reconcile` end to end: payments made and settled at the sandbox, the kiosks' events stored by the
// collector's store in a real PostgreSQL, and the Report API read back with the sales unit's keys.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { telemetryRecord } from '../../hq/collector/telemetry-record.js';
import { TelemetryStore } from '../../hq/collector/telemetry-store.js';
import { type HqDatabase, openDatabase } from '../../hq/database/database.js';
import { reconcileDay } from '../../hq/reconcile/reconcile-day.js';
import { ReportApi, type VippsKeys } from '../../hq/reconcile/report-api.js';
import { type RunningSandbox, SandboxClock, startSandbox } from '../../sandbox/index.js';
import { nok, VippsTestClient, validPayment } from '../sandbox/helpers.js';
import { run } from '../support/cli-process.js';
import { describeWithPostgres, TestPostgres } from '../support/postgres.js';
import { builtPage, startHqPage, VIEWER, Visitor } from './hq-page-fixture.js';

const DAY = '2026-12-07';
let postgres: TestPostgres;
let database: HqDatabase;
let databaseUrl: string;
let sandbox: RunningSandbox;
let vipps: VippsTestClient;
let keys: VippsKeys;
let dir: string;

describeWithPostgres('hq reconcile', () => {
  beforeAll(async () => {
    postgres = await TestPostgres.start();
    databaseUrl = await postgres.createDatabase();
    database = await openDatabase({ kind: 'postgres', url: databaseUrl });
    // 10:00 in Oslo, frozen: the ledger date closes only when the test moves the clock.
    sandbox = await startSandbox({ clock: new SandboxClock(Date.parse(`${DAY}T09:00:00Z`), () => 0) });
    vipps = new VippsTestClient(sandbox);
    await vipps.authenticate();
    const { credentials } = sandbox;
    keys = { baseUrl: sandbox.url, ...credentials };
    dir = await mkdtemp(join(tmpdir(), 'vk-reconcile-'));
  }, 60_000);

  afterAll(async () => {
    await database?.close();
    await sandbox?.close();
    await postgres?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function captured(value: number): Promise<string> {
    const reference = await vipps.authorized(validPayment());
    expect((await vipps.modify(reference, 'capture', { modificationAmount: nok(value) })).status).toBe(200);
    return reference;
  }

  let serial = 0;
  async function kioskReported(reference: string, amount: number): Promise<void> {
    serial += 1;
    const topic = 'vk/v1/oslo-1/kiosk-07/events/checkout-completed';
    const envelope = {
      id: `01jfz${String(serial).padStart(21, '0')}`,
      type: 'checkout-completed',
      class: 'money',
      at: `${DAY}T10:0${serial}:00.000Z`,
      payload: {
        reference,
        receiptNumber: String(serial),
        amount,
        currency: 'NOK',
        items: 1,
        vat: [],
        memberSavings: 0,
      },
    };
    const raw = Buffer.from(JSON.stringify(envelope));
    expect(await new TelemetryStore(database.pool).save(telemetryRecord(topic, raw), topic, raw)).toBe(
      'stored',
    );
  }

  it('matches what the kiosks reported, and finds a settled payment no kiosk reported and a sale Vipps never settled', async () => {
    const first = await captured(24_900);
    const second = await captured(10_000);
    const unreported = await captured(7_700);
    await kioskReported(first, 24_900);
    await kioskReported(second, 10_000);
    await kioskReported('kiosk07-never-at-vipps-1', 5_000);

    const api = new ReportApi(keys);
    await expect(reconcileDay(database.pool, api, DAY)).rejects.toThrow(/not closed ledger date 2026-12-07/);
    expect((await vipps.control('POST', '/clock', { advanceMs: 15 * 3_600_000 })).status).toBe(200);

    const [day] = await reconcileDay(database.pool, new ReportApi(keys), DAY);
    expect(day?.matched.map((m) => m.reference).sort()).toEqual([first, second].sort());
    expect(day?.settledNotReported.map((s) => [s.reference, s.amount])).toEqual([[unreported, 7_700]]);
    expect(day?.reportedNotSettled.map((r) => [r.reference, r.kiosk])).toEqual([
      ['kiosk07-never-at-vipps-1', 'oslo-1/kiosk-07'],
    ]);
    expect(day?.totals).toEqual({ reported: 39_900, settled: 42_600 });

    const keyFile = join(dir, 'keys.json');
    const { clientId, clientSecret, subscriptionKey, merchantSerialNumber } = keys;
    await writeFile(
      keyFile,
      JSON.stringify({ clientId, clientSecret, subscriptionKey, merchantSerialNumber }),
    );
    const cli = await run([
      'hq',
      'reconcile',
      '--date',
      DAY,
      '--database',
      databaseUrl,
      '--vipps-keys',
      keyFile,
      '--vipps-url',
      sandbox.url,
    ]);
    expect(cli.code).toBe(1);
    expect(cli.output).toContain(`settled, no kiosk reported it: capture ${unreported} 77.00`);
    expect(cli.output).toContain(
      'reported by oslo-1/kiosk-07, not settled: capture kiosk07-never-at-vipps-1 50.00',
    );
    expect(cli.output).toContain('2 payment movement(s) on 2026-12-07 do not match');
    expect(cli.output).not.toContain(clientSecret);

    // The HQ page's reconciliation view asks its server the same question, behind a sign-in.
    const page = await builtPage();
    const hq = await startHqPage(databaseUrl, page.dir, {
      server: { reconcile: (date) => reconcileDay(database.pool, new ReportApi(keys), date) },
    });
    try {
      const visitor = new Visitor(hq.url);
      expect((await visitor.fetch(`/api/reconcile?date=${DAY}`)).status).toBe(401);
      expect((await visitor.signIn(VIEWER.name, VIEWER.password)).status).toBe(303);
      const answer = await visitor.fetch(`/api/reconcile?date=${DAY}`);
      expect(answer.status).toBe(200);
      const [shown] = (await answer.json()) as (typeof day)[];
      expect(shown?.settledNotReported.map((s) => [s.reference, s.amount])).toEqual([[unreported, 7_700]]);
      expect(shown?.reportedNotSettled.map((r) => r.reference)).toEqual(['kiosk07-never-at-vipps-1']);
      expect(shown?.totals).toEqual({ reported: 39_900, settled: 42_600 });
    } finally {
      await hq.stop();
      await page.remove();
    }
  }, 90_000);
});
