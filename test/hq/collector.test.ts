import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Logger, silentLogger } from '../../common/log/logger.js';
import { Collector } from '../../hq/collector/collector.js';
import { TelemetryStore } from '../../hq/collector/telemetry-store.js';
import { databaseOption, type HqDatabase, openDatabase } from '../../hq/database/database.js';
import { migrate } from '../../hq/database/migrate.js';
import { startOfDay } from '../../hq/database/today-totals.js';
import { run } from '../support/cli-process.js';
import { describeWithPostgres, TestPostgres } from '../support/postgres.js';
import { describeWithMosquitto } from '../telemetry/mosquitto.js';
import { COLLECTORS, KIOSK, publish, sale, startCollectorFleet, WATCH } from './collector-fleet.js';
import type { FleetBroker } from './fleet-broker.js';

// The collector against a real Mosquitto (the fleet's generated broker files) and a real PostgreSQL
// (a throwaway cluster), and once against the embedded PGlite: each event is one row however often it
// arrives, and two replicas of one group split the stream between them without a duplicate.

async function count(pool: pg.Pool, sql: string): Promise<number> {
  return Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`)).rows[0]!.n);
}

describeWithMosquitto('hq collect', () => {
  describeWithPostgres('into PostgreSQL and the embedded PGlite', () => {
    let fleet: FleetBroker;
    let postgres: TestPostgres;
    let kiosk: MqttClient;
    let embeddedDir: string;
    const running: Collector[] = [];
    const databases: HqDatabase[] = [];

    beforeAll(async () => {
      [fleet, postgres] = await Promise.all([startCollectorFleet(), TestPostgres.start()]);
      kiosk = await fleet.connect(KIOSK.id);
      embeddedDir = await mkdtemp(join(tmpdir(), 'vk-embedded-db-'));
    }, 120_000);
    afterAll(async () => {
      await Promise.all(running.map((collector) => collector.stop()));
      await Promise.all(databases.map((database) => database.close()));
      await fleet?.dispose();
      await postgres?.dispose();
      if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
    });

    async function database(url: string): Promise<HqDatabase> {
      const opened = await openDatabase(databaseOption(url));
      databases.push(opened);
      return opened;
    }

    async function collector(
      db: HqDatabase,
      identity: string,
      group?: string,
      logger: Logger = silentLogger,
    ): Promise<Collector> {
      const started = new Collector({
        broker: { url: fleet.broker.url, username: identity, password: fleet.password(identity) },
        clientId: identity,
        group,
        store: new TelemetryStore(db.pool),
        logger,
      });
      await started.start();
      running.push(started);
      return started;
    }

    async function stop(collector: Collector): Promise<void> {
      await collector.stop();
      running.splice(running.indexOf(collector), 1);
    }

    /** Sends everything a kiosk sends in a day's first minutes, a sale twice, and junk; all kept once. */
    async function storesOnce(db: HqDatabase): Promise<void> {
      const bootId = `boot${Math.random().toString(36).slice(2, 10)}`;
      const status = {
        state: 'online',
        version: '0.1.0',
        bootId,
        startedAt: new Date().toISOString(),
        session: 1,
      };
      const first = sale(4_990);
      const last = sale(1_250);
      await publish(kiosk, 'status', status);
      await publish(kiosk, 'status', status); // the retained status again, as a new subscriber gets it
      await publish(kiosk, 'state', { screen: 'attract', machineState: 'idle', vippsReachable: true });
      await publish(kiosk, 'health', { uptimeSeconds: 60, rssMb: 80, outboxDepth: 0, degraded: false });
      await publish(kiosk, 'events/checkout-completed', first);
      await publish(kiosk, 'events/checkout-completed', first); // again after a lost PUBACK
      await publish(kiosk, 'events/checkout-declined', '{not json');
      await publish(kiosk, 'events/checkout-completed', last);
      // One collector takes the kiosk's messages in order: once the last sale is in, all before it are.
      await expect.poll(() => count(db.pool, `events WHERE id = '${last.id}'`), { timeout: 15_000 }).toBe(1);
      const sales = await db.pool.query<{ id: string; amount: string; reference: string; currency: string }>(
        `SELECT id, amount, reference, currency FROM events
         WHERE site = $1 AND device = $2 AND id = ANY($3) ORDER BY amount`,
        [KIOSK.site, KIOSK.device, [first.id, last.id]],
      );
      expect(sales.rows).toEqual([
        { id: last.id, amount: '1250', reference: last.payload.reference, currency: 'NOK' },
        { id: first.id, amount: '4990', reference: first.payload.reference, currency: 'NOK' },
      ]);
      expect(await count(db.pool, `presence WHERE boot_id = '${bootId}'`)).toBe(1);
      expect(await count(db.pool, 'health_samples')).toBe(1);
      const state = await db.pool.query('SELECT payload FROM kiosk_states');
      expect(state.rows).toEqual([
        { payload: { screen: 'attract', machineState: 'idle', vippsReachable: true } },
      ]);
      const unreadable = await db.pool.query('SELECT topic, problem, payload FROM unreadable_messages');
      expect(unreadable.rows).toEqual([
        {
          topic: `vk/v1/${KIOSK.site}/${KIOSK.device}/events/checkout-declined`,
          problem: 'event is not a JSON object',
          payload: '{not json',
        },
      ]);
    }

    it('stores each event once in PostgreSQL, with presence, health, state and what it could not read', async () => {
      const db = await database(await postgres.createDatabase());
      expect(db.applied).toEqual([1, 2, 3]);
      const one = await collector(db, COLLECTORS[0]);
      await storesOnce(db);
      expect(one.counts).toEqual({ stored: 5, duplicate: 2, unreadable: 1, ignored: 0 });
      await stop(one);
    });

    it('does the same in the embedded PGlite, which keeps it across a restart', async () => {
      const url = `embedded:${embeddedDir}`;
      const db = await database(url);
      expect(db.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(db.applied).toEqual([1, 2, 3]);
      const one = await collector(db, COLLECTORS[0]);
      await storesOnce(db);
      await stop(one);
      await db.close();
      databases.splice(databases.indexOf(db), 1);

      const again = await database(url);
      expect(again.applied).toEqual([]);
      expect(await count(again.pool, 'events')).toBe(2);
    }, 180_000);

    it("hq watch --database shows today's totals as stored, sales from before it started included", async () => {
      const db = await database(await postgres.createDatabase());
      const one = await collector(db, COLLECTORS[0]);
      const yesterday = sale(99_900, new Date(startOfDay(Date.now()).getTime() - 3_600_000));
      const decline = { id: '01decline0000000000000001', type: 'checkout-declined', class: 'money' };
      const last = sale(1_250);
      await publish(kiosk, 'events/checkout-completed', yesterday);
      await publish(kiosk, 'events/checkout-completed', sale(4_990));
      await publish(kiosk, 'events/checkout-declined', {
        ...decline,
        at: new Date().toISOString(),
        payload: { reference: null, reason: 'rejected', amount: 3_000 },
      });
      await publish(kiosk, 'events/checkout-completed', last);
      await expect.poll(() => count(db.pool, `events WHERE id = '${last.id}'`), { timeout: 15_000 }).toBe(1);
      await stop(one);

      const watched = await run(
        [
          'hq',
          'watch',
          '--broker',
          fleet.broker.url,
          '--username',
          WATCH,
          '--once',
          '1',
          '--database',
          db.url,
        ],
        { VK_HQ_PASSWORD: fleet.password(WATCH) },
      );
      expect(watched.code, watched.output).toBe(0);
      const day = startOfDay(Date.now()).toLocaleDateString('sv-SE');
      const today = watched.output.slice(watched.output.indexOf(`Today (${day}) in the database:`));
      const lines = today.trimEnd().split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[1]).toMatch(/^SITE\s+DEVICE\s+SALES\s+AMOUNT\s+DECLINED\s+CANCELLED\s+LAST SALE$/);
      expect(lines[2]).toMatch(/^oslo-1\s+kiosk-07\s+2\s+62,40\u00a0kr\s+1\s+0\s+\d+ s ago$/);
    }, 40_000);

    it('a write the database refuses is not acknowledged: the broker sends it again once it can be stored', async () => {
      const db = await database(await postgres.createDatabase());
      const warnings: string[] = [];
      const logger: Logger = {
        ...silentLogger,
        warn: (message) => warnings.push(message),
        child: () => logger,
      };
      const one = await collector(db, COLLECTORS[0], undefined, logger);
      // The table gone for a while, as in a botched maintenance: PostgreSQL answers 42P01, not a data problem.
      await db.pool.query('ALTER TABLE events RENAME TO events_away');
      const first = sale(2_500);
      await publish(kiosk, 'events/checkout-completed', first);
      await expect
        .poll(() => warnings, { timeout: 15_000 })
        .toContain('an MQTT message could not be handled; reconnecting to have it again');
      await db.pool.query('ALTER TABLE events_away RENAME TO events');
      await expect.poll(() => count(db.pool, `events WHERE id = '${first.id}'`), { timeout: 20_000 }).toBe(1);
      expect(one.counts.stored).toBe(1);
      await stop(one);
    }, 40_000);

    it('keeps a message the database refuses as data among the unreadable ones, and goes on', async () => {
      const db = await database(await postgres.createDatabase());
      const one = await collector(db, COLLECTORS[0]);
      // JSON allows \u0000 in a string; PostgreSQL's jsonb does not (22P05): retrying would never help.
      const poisoned = sale(100);
      const text = JSON.stringify(poisoned).replace('"receiptNumber":"', '"receiptNumber":"\\u0000');
      const next = sale(200);
      await publish(kiosk, 'events/checkout-completed', text);
      await publish(kiosk, 'events/checkout-completed', next);
      await expect.poll(() => count(db.pool, `events WHERE id = '${next.id}'`), { timeout: 15_000 }).toBe(1);
      expect(await count(db.pool, `events WHERE id = '${poisoned.id}'`)).toBe(0);
      const kept = await db.pool.query<{ problem: string; payload: string }>(
        'SELECT problem, payload FROM unreadable_messages',
      );
      expect(kept.rows).toHaveLength(1);
      expect(kept.rows[0]!.problem).toMatch(/^the database refused it: /);
      expect(kept.rows[0]!.payload).toBe(text);
      expect(one.counts).toMatchObject({ stored: 1, unreadable: 1 });
      await stop(one);
    });

    it('two replicas in one group share the stream: every event once, each replica a part', async () => {
      const db = await database(await postgres.createDatabase());
      const replicas = [await collector(db, COLLECTORS[0], 'hq'), await collector(db, COLLECTORS[1], 'hq')];
      // An odd number, then each sale again (as a kiosk does after a lost PUBACK): Mosquitto deals the
      // group's messages out in turn, so each copy goes to the replica that did not store the original.
      const sales = Array.from({ length: 61 }, (_, i) => sale(100 + i));
      for (const event of [...sales, ...sales]) await publish(kiosk, 'events/checkout-completed', event);
      const handled = () => replicas.reduce((sum, r) => sum + r.counts.stored + r.counts.duplicate, 0);
      await expect.poll(handled, { timeout: 15_000 }).toBe(sales.length * 2);
      expect(await count(db.pool, 'events')).toBe(sales.length);
      expect(replicas.reduce((sum, r) => sum + r.counts.stored, 0)).toBe(sales.length);
      for (const replica of replicas) expect(replica.counts.stored).toBeGreaterThan(0);
      const ids = await db.pool.query<{ id: string }>('SELECT id FROM events ORDER BY id');
      expect(ids.rows.map((row) => row.id)).toEqual(sales.map((s) => s.id).sort());
      await Promise.all(replicas.map(stop));
    });
  });
});

describeWithPostgres('HQ database migrations', () => {
  let postgres: TestPostgres;
  beforeAll(async () => {
    postgres = await TestPostgres.start();
  }, 120_000);
  afterAll(async () => {
    await postgres?.dispose();
  });

  it('two replicas starting at once apply each migration once', async () => {
    const url = await postgres.createDatabase();
    const pools = [new pg.Pool({ connectionString: url }), new pg.Pool({ connectionString: url })];
    for (const pool of pools) pool.on('error', () => {});
    try {
      const applied = await Promise.all(pools.map((pool) => migrate(pool)));
      expect(applied.flat()).toEqual([1, 2, 3]);
      const rows = await pools[0]!.query('SELECT version, name FROM schema_migrations ORDER BY version');
      expect(rows.rows).toEqual([
        { version: 1, name: '001_telemetry.sql' },
        { version: 2, name: '002_alerts.sql' },
        { version: 3, name: '003_users.sql' },
      ]);
      expect(await migrate(pools[1]!)).toEqual([]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });
});
