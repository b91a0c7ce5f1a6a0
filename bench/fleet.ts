import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger, type Logger } from '../common/log/logger.js';
import { DEFAULT_SWEEP_SECONDS } from '../hq/alerts/alert-options.js';
import { DEFAULT_THRESHOLDS } from '../hq/alerts/alert-rules.js';
import { HqAlerts } from '../hq/alerts/hq-alerts.js';
import { Collector } from '../hq/collector/collector.js';
import type { TelemetryRecord } from '../hq/collector/telemetry-record.js';
import { type SaveOutcome, TelemetryStore } from '../hq/collector/telemetry-store.js';
import { databaseOption, openDatabase } from '../hq/database/database.js';
import { FLEET_BROKER_SETTINGS } from '../hq/fleet/mosquitto-files.js';
import { TestPostgres } from '../test/support/postgres.js';
import { Mosquitto } from '../test/telemetry/mosquitto.js';
import { SimulatedKiosk } from './fleet-kiosk.js';
import { ms, percentile, table } from './stats.js';

// HQ's fleet benchmark: N simulated kiosks (bench/fleet-kiosk.ts) against a real Mosquitto and two
// collector replicas in one shared-subscription group, alert rules on, on a real PostgreSQL (a
// throwaway cluster). The kiosks sell at a rate scaled up from a few sales an hour, send health every
// few seconds, and go through an outage (a tenth of them offline for a while, their sales kept in
// their outboxes) and a reconnect storm (all of them cut at once, all back at once). Measured: events
// stored per second, kiosk publish -> row committed (p50/p99), and lost and duplicated events.
// Everything runs in this process and the broker's and database's own: on 2 cores the kiosks' MQTT
// clients share the event loop with the collectors, so the latency is an upper bound.

export interface FleetRun {
  kiosks: number;
  seconds: number;
  /** Mean seconds between two customers at one kiosk (a few an hour in a shop, scaled up). */
  secondsPerCustomer: number;
  healthSeconds: number;
}

interface FleetFigures {
  run: FleetRun;
  published: number;
  stored: number;
  duplicatesAbsorbed: number;
  lost: number;
  duplicated: number;
  eventsPerSecond: number;
  messagesPerSecond: number;
  /** Events that went out at once (their kiosk connected), publish -> row committed. */
  p50: number;
  p99: number;
  /** Every event, those that waited out an outage in their kiosk's outbox included. */
  p99All: number;
  drainSeconds: number;
  alertChanges: number;
  /** What the collectors warned of (a database or broker hiccup makes a replica reconnect). */
  warnings: string[];
}

const SITE_SIZE = 10;

/** A store that notes when each event's row is committed: the moment `save` resolves `stored`. */
class TimedStore extends TelemetryStore {
  readonly committed = new Map<string, number>();
  handled = 0;

  override async save(record: TelemetryRecord, topic: string, raw: Buffer): Promise<SaveOutcome> {
    const outcome = await super.save(record, topic, raw);
    this.handled += 1;
    if (record.kind === 'event' && outcome === 'stored') this.committed.set(record.id, performance.now());
    return outcome;
  }
}

const pause = (msToWait: number) => new Promise((resolve) => setTimeout(resolve, msToWait));

async function runFleet(broker: Mosquitto, postgres: TestPostgres, run: FleetRun): Promise<FleetFigures> {
  const url = await postgres.createDatabase();
  const warnings: string[] = [];
  const logger: Logger = createLogger(
    { level: 'warn', journal: false, write: (line) => warnings.push(line.trim()) },
    'bench-collector',
  );
  const published = new Map<string, number>();
  const live = new Set<string>();
  const stores: TimedStore[] = [];
  const collectors: Collector[] = [];
  const databases: Awaited<ReturnType<typeof openDatabase>>[] = [];
  const rules: HqAlerts[] = [];
  const kiosks = Array.from(
    { length: run.kiosks },
    (_, i) =>
      new SimulatedKiosk(
        `site-${Math.floor(i / SITE_SIZE)}`,
        `kiosk-${i % SITE_SIZE}`,
        broker,
        (id, at, sentAtOnce) => {
          published.set(id, at);
          if (sentAtOnce) live.add(id);
        },
      ),
  );
  try {
    // Each replica as its own `hq collect` would be: its own connection pool (4, the default).
    for (const replica of [1, 2]) {
      const database = await openDatabase(databaseOption(url));
      databases.push(database);
      const store = new TimedStore(database.pool);
      const alerts = new HqAlerts({
        pool: database.pool,
        thresholds: DEFAULT_THRESHOLDS,
        now: Date.now,
        logger,
        sweepEveryMs: DEFAULT_SWEEP_SECONDS * 1_000,
      });
      const collector = new Collector({
        broker: { url: broker.url, username: broker.username, password: broker.password },
        clientId: `hq-collector-bench-${run.kiosks}-${replica}`,
        group: 'bench',
        store,
        logger,
        alerts,
      });
      await collector.start();
      stores.push(store);
      collectors.push(collector);
      rules.push(alerts);
    }
    // Kiosks come online in batches, as a fleet does after a broker restart.
    for (let i = 0; i < kiosks.length; i += 50)
      await Promise.all(kiosks.slice(i, i + 50).map((k) => k.connect()));

    const started = performance.now();
    const tickMs = 100;
    const customerChance = tickMs / 1000 / run.secondsPerCustomer;
    const healthEvery = Math.round((run.healthSeconds * 1000) / tickMs);
    const outageAt = Math.round((run.seconds * 1000 * 0.3) / tickMs);
    const outageEnd = Math.round((run.seconds * 1000 * 0.45) / tickMs);
    const stormAt = Math.round((run.seconds * 1000 * 0.7) / tickMs);
    const ticks = Math.round((run.seconds * 1000) / tickMs);
    const outage = kiosks.filter((_, i) => i % 10 === 3);
    let reconnecting: Promise<unknown> = Promise.resolve();
    for (let tick = 0; tick < ticks; tick++) {
      const due = started + (tick + 1) * tickMs;
      kiosks.forEach((kiosk, i) => {
        if (Math.random() < customerChance) kiosk.checkout(Math.random());
        if ((tick + i) % healthEvery === 0) kiosk.health(Math.round((performance.now() - started) / 1000));
      });
      if (tick === outageAt) for (const kiosk of outage) kiosk.drop();
      // Back one by one over a second, as their networks return.
      if (tick === outageEnd)
        reconnecting = Promise.all(
          outage.map((kiosk, i) => pause((i * 1000) / outage.length).then(() => kiosk.connect())),
        );
      if (tick === stormAt) {
        await reconnecting;
        for (const kiosk of kiosks) kiosk.drop();
        // The storm: every kiosk back at once.
        reconnecting = Promise.all(kiosks.map((kiosk) => pause(500).then(() => kiosk.connect())));
      }
      const wait = due - performance.now();
      if (wait > 0) await pause(wait);
    }
    const generated = performance.now();
    await reconnecting;
    // Every event in a row: each outbox emptied, each id stored.
    const stored = () => stores.reduce((sum, s) => sum + s.committed.size, 0);
    const deadline = performance.now() + 90_000;
    while ((stored() < published.size || kiosks.some((k) => k.waiting > 0)) && performance.now() < deadline)
      await pause(50);
    const drained = performance.now();

    const latencies: number[] = [];
    const liveLatencies: number[] = [];
    for (const store of stores)
      for (const [id, at] of store.committed) {
        const sent = published.get(id);
        if (sent === undefined) continue;
        latencies.push(at - sent);
        if (live.has(id)) liveLatencies.push(at - sent);
      }
    const database = databases[0]!;
    const ids = await database.pool.query<{ id: string }>('SELECT id FROM events');
    const inDatabase = new Set(ids.rows.map((row) => row.id));
    const lost = [...published.keys()].filter((id) => !inDatabase.has(id)).length;
    const rows = await database.pool.query<{ rows: string; distinct: string }>(
      'SELECT count(*) AS rows, count(DISTINCT (site, device, id)) AS distinct FROM events',
    );
    const duplicated = Number(rows.rows[0]!.rows) - Number(rows.rows[0]!.distinct);
    const seconds = (drained - started) / 1000;
    const handled = stores.reduce((sum, s) => sum + s.handled, 0);
    return {
      run,
      published: published.size,
      stored: stored(),
      duplicatesAbsorbed: collectors.reduce((sum, c) => sum + c.counts.duplicate, 0),
      lost,
      duplicated,
      eventsPerSecond: stored() / seconds,
      messagesPerSecond: handled / seconds,
      p50: percentile(liveLatencies, 50),
      p99: percentile(liveLatencies, 99),
      p99All: percentile(latencies, 99),
      drainSeconds: (drained - generated) / 1000,
      alertChanges: rules.reduce((sum, r) => sum + r.counts.raised + r.counts.cleared, 0),
      warnings,
    };
  } finally {
    await Promise.all(kiosks.map((kiosk) => kiosk.stop()));
    await Promise.all(collectors.map((collector) => collector.stop()));
    await Promise.all(databases.map((database) => database.close()));
  }
}

export async function benchFleet(runs: readonly FleetRun[]): Promise<{ lines: string; lost: number }> {
  const [broker, postgres] = await Promise.all([Mosquitto.start(), TestPostgres.start()]);
  try {
    // As the fleet's generated config has them (hq/fleet/mosquitto-files.ts): no Nagle delay on small
    // packets, and a collector's queue deep enough for a reconnect storm.
    await broker.stop();
    await appendFile(join(broker.dir, 'mosquitto.conf'), `${FLEET_BROKER_SETTINGS.join('\n')}\n`);
    await broker.run();
    const figures: FleetFigures[] = [];
    for (const run of runs) figures.push(await runFleet(broker, postgres, run));
    const rows = [
      [
        'kiosks',
        'seconds',
        'events',
        'stored/s',
        'messages/s',
        'p50',
        'p99',
        'p99 all',
        'lost',
        'duplicated',
        'resends absorbed',
        'drain',
      ],
      ...figures.map((f) => [
        String(f.run.kiosks),
        String(f.run.seconds),
        String(f.published),
        f.eventsPerSecond.toFixed(0),
        f.messagesPerSecond.toFixed(0),
        ms(f.p50),
        ms(f.p99),
        ms(f.p99All),
        String(f.lost),
        String(f.duplicated),
        String(f.duplicatesAbsorbed),
        `${f.drainSeconds.toFixed(1)} s`,
      ]),
    ];
    // Mosquitto says when it drops a client's queued messages (its max_queued_messages): a loss to name.
    const dropped = broker
      .log()
      .split('\n')
      .filter((line) => /dropp/i.test(line));
    return {
      lost: figures.reduce((sum, f) => sum + f.lost, 0),
      lines: [
        table(rows),
        '',
        'stored/s: event rows committed per second over the run and its drain; messages/s: every message the two',
        'replicas handled (events, status, state, health), alert rules included; p50/p99: kiosk publish -> row committed',
        'for the events sent at once (storm included); p99 all: with those that waited out the outage in their outbox;',
        'lost: events published that have no row; duplicated: rows beyond one per event;',
        'resends absorbed: copies (outbox resends, retained status/state again) that changed nothing; drain: from the',
        'last sale to every outbox empty.',
        `Mosquitto's log: ${dropped.length === 0 ? 'no message dropped' : `${dropped.length} lines of dropped messages, e.g. ${dropped[0]}`}.`,
        ...figures.map(
          (f) =>
            `${f.run.kiosks} kiosks: a customer every ${f.run.secondsPerCustomer} s per kiosk, health every ${f.run.healthSeconds} s; ` +
            `a tenth offline for ${(f.run.seconds * 0.15).toFixed(0)} s, then all cut and back at once; ${f.alertChanges} alert changes; ` +
            `${f.warnings.length} collector warnings${f.warnings.length > 0 ? `, e.g. ${f.warnings[0]}` : ''}.`,
        ),
      ].join('\n'),
    };
  } finally {
    await broker.dispose();
    await postgres.dispose();
  }
}

export const FLEET_RUNS: readonly FleetRun[] = [
  // A kiosk sends health every 60 s at the least and sells a few times an hour: scaled up 10–100 times.
  { kiosks: 100, seconds: 40, secondsPerCustomer: 5, healthSeconds: 5 },
  { kiosks: 1000, seconds: 20, secondsPerCustomer: 30, healthSeconds: 30 },
];

if (process.argv[1]?.endsWith('fleet.ts')) {
  const result = await benchFleet(FLEET_RUNS);
  process.stdout.write(`${result.lines}\n`);
  process.exit(0);
}
