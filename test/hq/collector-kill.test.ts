import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { start, waitFor } from '../support/cli-process.js';
import { within } from '../support/deadline.js';
import { describeWithPostgres, TestPostgres } from '../support/postgres.js';
import { describeWithMosquitto } from '../telemetry/mosquitto.js';
import { COLLECTORS, KIOSK, publish, sale, startCollectorFleet } from './collector-fleet.js';
import type { FleetBroker } from './fleet-broker.js';

// `vipps-kiosk hq collect` as it runs at HQ, two replicas in one group as real processes: one is
// killed (SIGKILL, no goodbye) while the kiosk keeps selling, and a replacement starts with its
// identity. Every sale is then a row, once: what the killed replica had not acknowledged, and what the
// broker queued for its session meanwhile, reach the replacement.

type Child = ReturnType<typeof start>;

describeWithMosquitto('hq collect, a replica killed mid-stream', () => {
  describeWithPostgres('with PostgreSQL', () => {
    let fleet: FleetBroker;
    let postgres: TestPostgres;
    const children: Child[] = [];

    beforeAll(async () => {
      [fleet, postgres] = await Promise.all([startCollectorFleet(), TestPostgres.start()]);
    }, 120_000);
    afterAll(async () => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await fleet?.dispose();
      await postgres?.dispose();
    });

    async function replica(identity: string, database: string): Promise<Child> {
      const child = start(
        [
          'hq',
          'collect',
          '--broker',
          fleet.broker.url,
          '--username',
          identity,
          '--database',
          database,
          '--group',
          'hq',
        ],
        { VK_HQ_PASSWORD: fleet.password(identity) },
      );
      children.push(child);
      await waitFor(child, /INFO .*\[hq-collect\] collecting/, 60_000);
      return child;
    }

    it('loses nothing and stores nothing twice once a replacement starts', async () => {
      const database = await postgres.createDatabase();
      const pool = new pg.Pool({ connectionString: database });
      pool.on('error', () => {});
      try {
        const doomed = await replica(COLLECTORS[0], database);
        await replica(COLLECTORS[1], database);
        const kiosk = await fleet.connect(KIOSK.id);
        const sales = Array.from({ length: 150 }, (_, i) => sale(1_000 + i));
        const exited = new Promise((resolve) => doomed.once('exit', resolve));
        for (const [i, event] of sales.entries()) {
          // Not awaited at the kill: the broker has messages in flight to the replica as it dies.
          if (i === 50) doomed.kill('SIGKILL');
          await publish(kiosk, 'events/checkout-completed', event);
        }
        await within(exited, 10_000, 'the killed replica exiting');
        const rows = async () =>
          Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
        // The killed replica's share since its death waits in its session on the broker.
        await expect.poll(rows, { timeout: 30_000 }).toBeGreaterThanOrEqual(sales.length / 2 - 1);
        expect(await rows()).toBeLessThan(sales.length);

        await replica(COLLECTORS[0], database);
        await expect.poll(rows, { timeout: 60_000 }).toBe(sales.length);
        const stored = await pool.query<{ id: string; amount: string }>(
          'SELECT id, amount FROM events ORDER BY id',
        );
        expect(stored.rows).toEqual(
          sales
            .map((s) => ({ id: s.id, amount: String(s.payload.amount) }))
            .sort((a, b) => (a.id < b.id ? -1 : 1)),
        );
      } finally {
        await pool.end();
      }
    }, 240_000);
  });
});
