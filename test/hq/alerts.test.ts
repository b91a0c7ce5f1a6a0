import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import type {
  CashRegisterReport,
  EventEnvelope,
  EventType,
  HealthPayload,
  HqAlertPayload,
  StatePayload,
  StatusPayload,
} from '../../contracts/telemetry.js';
import { HQ_ALERTS_TOPIC } from '../../contracts/topics.js';
import { type AlertThresholds, DEFAULT_THRESHOLDS } from '../../hq/alerts/alert-rules.js';
import { parseClosingTimes } from '../../hq/alerts/closing-times.js';
import { HqAlerts } from '../../hq/alerts/hq-alerts.js';
import { formatOpenAlerts, readOpenAlerts } from '../../hq/alerts/open-alerts.js';
import { Collector } from '../../hq/collector/collector.js';
import { TelemetryStore } from '../../hq/collector/telemetry-store.js';
import { databaseOption, type HqDatabase, openDatabase } from '../../hq/database/database.js';
import { describeWithPostgres, TestPostgres } from '../support/postgres.js';
import { classify } from '../telemetry/asyncapi-document.js';
import { describeWithMosquitto } from '../telemetry/mosquitto.js';
import { COLLECTORS, KIOSK, publish, startCollectorFleet, WATCH } from './collector-fleet.js';
import type { FleetBroker } from './fleet-broker.js';

// HQ's alert rules in the collector, against a real Mosquitto (the fleet's generated broker files) and
// a real PostgreSQL: each rule raises and clears a row of `alerts` from what a kiosk publishes, on
// HQ's injected clock (the sweep is called, not waited for); the kiosks' own alerts raise and clear
// rows; two replicas make one row and one publication of each change; every publication on
// vk/v1/hq/alerts is the document's `hq-alert` message, and only the collector may publish there.

const MINUTE = 60_000;
const AT = () => new Date().toISOString();
let sequence = 0;
const eventId = () => `01alrt${String(++sequence).padStart(20, '0')}`;

function envelope<T extends EventType>(type: T, payload: EventEnvelope<T>['payload'], at = AT()) {
  const classes: Record<string, 'money' | 'info'> = { report: 'money', 'payments-recovered': 'money' };
  return { id: eventId(), type, class: classes[type] ?? 'info', at, payload } as EventEnvelope<T>;
}

const BOOT = { version: '0.1.0', bootId: '01kamz3x2q7h4d9t6w8y0bcdef', startedAt: AT() };
const status = (state: 'online' | 'offline', session: number): StatusPayload => ({ ...BOOT, state, session });

const STATE: StatePayload = {
  screen: 'attract',
  machineState: 'idle',
  vippsReachable: true,
  basketItems: 0,
  recovery: null,
  leds: { status: 'green', blink: false },
  scannerAttached: true,
};

function health(outboxDepth: number, printer?: HealthPayload['printer']): HealthPayload {
  return {
    uptimeSeconds: 600,
    rssMb: 80,
    heapMb: 20,
    eventLoopDelayMs: { p50: 0.2, p99: 2 },
    load: [0.1, 0.1, 0.1],
    socTemperatureC: 48,
    stateDirFreeMb: 2048,
    outboxDepth,
    degraded: false,
    mqttReconnects: 0,
    scansRead: 0,
    vipps: { calls: 0, failures: 0, p50Ms: null, p95Ms: null },
    ...(printer ? { printer } : {}),
  };
}

const NONE = { count: 0, amount: 0 };
function report(kind: 'x' | 'z', at: string): CashRegisterReport {
  return {
    kind,
    number: 1,
    at,
    period: { previousZ: null, from: null, fromRow: 1, toRow: 2 },
    receipts: 0,
    sales: { amount: 0, netAmount: 0 },
    payments: [],
    vat: [],
    returns: NONE,
    discounts: NONE,
    copies: NONE,
    training: NONE,
    priceLookups: NONE,
    voids: NONE,
    notPrinted: NONE,
    grandTotal: { salesAmount: 0, returnsAmount: 0, netAmount: 0 },
  };
}

const VIPPS_5080 = {
  code: 'vipps-5080',
  severity: 'critical' as const,
  message: 'Vipps error 5080: the sales unit is not approved for push payments. Ask Vipps MobilePay.',
  since: '2026-11-23T14:03:00.118Z',
};

interface AlertRow {
  code: string;
  source: string;
  severity: string;
  cleared: boolean;
}

describeWithMosquitto('HQ alerts', () => {
  describeWithPostgres('raised and cleared by the collector', () => {
    let fleet: FleetBroker;
    let postgres: TestPostgres;
    let kiosk: MqttClient;
    let pager: MqttClient;
    let published: HqAlertPayload[];
    let db: HqDatabase;
    let clock: number;
    const running: Collector[] = [];

    beforeAll(async () => {
      [fleet, postgres] = await Promise.all([startCollectorFleet(), TestPostgres.start()]);
      kiosk = await fleet.connect(KIOSK.id);
      // What a chain's paging would do: read the alert topic (the watch role reads vk/v1/#).
      pager = await fleet.connect(WATCH, { clientId: WATCH, clean: true });
      pager.on('message', (topic, payload) => {
        const alert = JSON.parse(payload.toString()) as HqAlertPayload;
        // Every publication is the document's message on the document's channel.
        expect(classify(topic, alert).message.name).toBe('hq-alert');
        published.push(alert);
      });
      await pager.subscribeAsync(HQ_ALERTS_TOPIC, { qos: 1 });
    }, 120_000);
    afterAll(async () => {
      await fleet?.dispose();
      await postgres?.dispose();
    });
    beforeEach(async () => {
      db = await openDatabase(databaseOption(await postgres.createDatabase()));
      published = [];
      clock = Date.now();
    });
    afterEach(async () => {
      await Promise.all(running.splice(0).map((collector) => collector.stop()));
      await db.close();
    });

    async function collector(
      identity: string,
      group: string | undefined,
      thresholds: Partial<AlertThresholds> = {},
    ): Promise<{ rules: HqAlerts; collector: Collector }> {
      const rules = new HqAlerts({
        pool: db.pool,
        thresholds: { ...DEFAULT_THRESHOLDS, ...thresholds },
        now: () => clock,
        logger: silentLogger,
        // The timer's sweep is out of the way: the tests call sweep() on their own clock.
        sweepEveryMs: 3_600_000,
      });
      const started = new Collector({
        broker: { url: fleet.broker.url, username: identity, password: fleet.password(identity) },
        clientId: identity,
        group,
        store: new TelemetryStore(db.pool),
        logger: silentLogger,
        alerts: rules,
      });
      await started.start();
      running.push(started);
      return { rules, collector: started };
    }

    async function alerts(): Promise<AlertRow[]> {
      const rows = await db.pool.query<AlertRow>(
        `SELECT code, source, severity, cleared_at IS NOT NULL AS cleared FROM alerts ORDER BY code, raised_at`,
      );
      return rows.rows;
    }

    async function count(sql: string): Promise<number> {
      return Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`)).rows[0]!.n);
    }

    /**
     * Publishes as the kiosk, then waits until the collector has handled it, rules included: a
     * collector acknowledges a message only after its rules ran, and one collector takes a kiosk's
     * messages in order, so once a selftest event sent after it is stored, this one is done.
     */
    async function send(rest: string, body: unknown): Promise<void> {
      await publish(kiosk, rest, body);
      const barrier = envelope('selftest-completed', { result: 'pass', checks: [] });
      await publish(kiosk, 'events/selftest-completed', barrier);
      await expect.poll(() => count(`events WHERE id = '${barrier.id}'`), { timeout: 15_000 }).toBe(1);
    }

    const POLL = { timeout: 15_000 };
    const changes = () => published.map((a) => `${a.code} ${a.clearedAt === null ? 'raised' : 'cleared'}`);

    it('a kiosk offline longer than the threshold: raised by the sweep, cleared when it is back', async () => {
      const { rules } = await collector(COLLECTORS[0], undefined, { offlineMinutes: 10 });
      await send('status', status('online', 1));
      await send('status', status('offline', 1)); // its last will
      clock += 9 * MINUTE;
      await rules.sweep();
      expect(await alerts()).toEqual([]);
      clock += 2 * MINUTE;
      await rules.sweep();
      await rules.sweep();
      expect(await alerts()).toEqual([
        { code: 'hq-offline', source: 'hq', severity: 'critical', cleared: false },
      ]);
      await expect.poll(changes, POLL).toEqual(['hq-offline raised']);
      expect(published[0]!.message).toMatch(/offline for more than 10 minutes/);
      // `hq watch --database` lists it under the day's totals.
      const listed = formatOpenAlerts(await readOpenAlerts(db.pool), clock).split('\n');
      expect(listed[0]).toBe('Open alerts:');
      expect(listed[1]).toMatch(/^SITE\s+DEVICE\s+SEVERITY\s+CODE\s+SINCE\s+WHAT$/);
      expect(listed[2]).toMatch(
        /^oslo-1\s+kiosk-07\s+critical\s+hq-offline\s+0 s ago\s+The kiosk has been offline/,
      );
      // A late will of the session before does not take the kiosk offline again once it is back.
      await send('status', status('online', 2));
      await send('status', status('offline', 1));
      await rules.sweep();
      expect(await alerts()).toEqual([
        { code: 'hq-offline', source: 'hq', severity: 'critical', cleared: true },
      ]);
      await expect.poll(changes, POLL).toEqual(['hq-offline raised', 'hq-offline cleared']);
    });

    it('Vipps unreachable, the scanner missing and payments left unresolved: raised by the state, cleared by the next', async () => {
      await collector(COLLECTORS[0], undefined);
      const recovery = { captured: 0, cancelled: 0, closed: 0, unresolved: 2, watching: 0 };
      await send('state', { ...STATE, vippsReachable: false, scannerAttached: false, recovery });
      expect(await alerts()).toEqual([
        { code: 'hq-payments-unresolved', source: 'hq', severity: 'warning', cleared: false },
        { code: 'hq-scanner-missing', source: 'hq', severity: 'critical', cleared: false },
        { code: 'hq-vipps-unreachable', source: 'hq', severity: 'critical', cleared: false },
      ]);
      await expect
        .poll(() => published.find((a) => a.code === 'hq-payments-unresolved')?.message, POLL)
        .toMatch(/^2 payments /);
      await send('state', { ...STATE, recovery: { ...recovery, unresolved: 0, captured: 2 } });
      expect((await alerts()).map((a) => a.cleared)).toEqual([true, true, true]);
      await expect.poll(() => published.length, POLL).toBe(6);
      expect(changes().filter((c) => c.endsWith('cleared'))).toHaveLength(3);
    });

    it('payments recovery could not settle, from its event when the state carries no totals', async () => {
      await collector(COLLECTORS[0], undefined);
      await send('state', STATE);
      const totals = { captured: 1, cancelled: 0, closed: 0, unresolved: 1, watching: 0 };
      await send('events/payments-recovered', envelope('payments-recovered', totals));
      expect(await alerts()).toEqual([
        { code: 'hq-payments-unresolved', source: 'hq', severity: 'warning', cleared: false },
      ]);
      await send(
        'events/payments-recovered',
        envelope('payments-recovered', { ...totals, unresolved: 0, closed: 1 }),
      );
      expect(await alerts()).toEqual([
        { code: 'hq-payments-unresolved', source: 'hq', severity: 'warning', cleared: true },
      ]);
      await expect
        .poll(changes, POLL)
        .toEqual(['hq-payments-unresolved raised', 'hq-payments-unresolved cleared']);
    });

    it('a printer fault and a growing outbox, from the health samples; cleared by the samples after', async () => {
      await collector(COLLECTORS[0], undefined, { outboxBacklog: 100, outboxRisingSamples: 3 });
      const printer = (condition: 'ready' | 'paper-out') => ({ condition, model: 'TM-T20III' });
      await send('health', health(40, printer('paper-out')));
      expect(await alerts()).toEqual([
        { code: 'hq-printer-fault', source: 'hq', severity: 'warning', cleared: false },
      ]);
      await send('health', health(120, printer('ready')));
      expect((await alerts()).map((a) => `${a.code} ${a.cleared}`)).toEqual(['hq-printer-fault true']);
      // Over the backlog but not rising three samples in a row yet (40 → 120 → 110), then rising.
      await send('health', health(110, printer('ready')));
      await send('health', health(160, printer('ready')));
      expect((await alerts()).map((a) => a.code)).toEqual(['hq-printer-fault']);
      await send('health', health(230, printer('ready')));
      expect((await alerts()).map((a) => `${a.code} ${a.cleared}`)).toEqual([
        'hq-outbox-growing false',
        'hq-printer-fault true',
      ]);
      // It stays open while the backlog is over the threshold, and clears under it.
      await send('health', health(180, printer('ready')));
      expect((await alerts()).map((a) => `${a.code} ${a.cleared}`)).toContain('hq-outbox-growing false');
      await send('health', health(30, printer('ready')));
      expect((await alerts()).map((a) => `${a.code} ${a.cleared}`)).toContain('hq-outbox-growing true');
      await expect
        .poll(changes, POLL)
        .toEqual([
          'hq-printer-fault raised',
          'hq-printer-fault cleared',
          'hq-outbox-growing raised',
          'hq-outbox-growing cleared',
        ]);
    });

    it('no Z report 15 minutes after closing time: raised for a kiosk with a cash register, cleared by its Z', async () => {
      // Closing was an hour ago on HQ's clock (yesterday's, if that was before midnight: then yesterday
      // is the day whose Z report is due, and one made now still closes it).
      const closing = new Date(clock - 60 * MINUTE);
      const time = `${String(closing.getHours()).padStart(2, '0')}:${String(closing.getMinutes()).padStart(2, '0')}`;
      const { rules } = await collector(COLLECTORS[0], undefined, {
        closingTimes: parseClosingTimes([`${KIOSK.site}=${time}`, '03:00']),
        zReportGraceMinutes: 15,
      });
      await rules.sweep();
      expect(await alerts()).toEqual([]); // no report ever: a kiosk without a cash register
      const earlier = new Date(clock - 3 * 86_400_000).toISOString();
      await send('events/report', envelope('report', report('z', earlier), earlier));
      await rules.sweep();
      expect(await alerts()).toEqual([
        { code: 'hq-no-z-report', source: 'hq', severity: 'warning', cleared: false },
      ]);
      await send('events/report', envelope('report', report('z', AT())));
      expect(await alerts()).toEqual([
        { code: 'hq-no-z-report', source: 'hq', severity: 'warning', cleared: true },
      ]);
      await expect.poll(changes, POLL).toEqual(['hq-no-z-report raised', 'hq-no-z-report cleared']);
      expect(published[0]!.message).toMatch(new RegExp(`closing time ${time}`));
    });

    it("a kiosk's own alerts (a merchant setup error from Vipps) raise and clear its rows, even cleared before raised", async () => {
      await collector(COLLECTORS[0], undefined);
      await send('events/alert', envelope('alert', { ...VIPPS_5080, cleared: false }));
      expect(await alerts()).toEqual([
        { code: 'vipps-5080', source: 'kiosk', severity: 'critical', cleared: false },
      ]);
      await send('events/alert', envelope('alert', { ...VIPPS_5080, cleared: true }));
      expect(await alerts()).toEqual([
        { code: 'vipps-5080', source: 'kiosk', severity: 'critical', cleared: true },
      ]);
      // Another raise and clear whose clear is handled first (two replicas can do that): one cleared row.
      const later = { ...VIPPS_5080, since: '2026-11-24T09:00:00.000Z' };
      await send('events/alert', envelope('alert', { ...later, cleared: true }));
      await send('events/alert', envelope('alert', { ...later, cleared: false }));
      expect(await alerts()).toEqual([
        { code: 'vipps-5080', source: 'kiosk', severity: 'critical', cleared: true },
        { code: 'vipps-5080', source: 'kiosk', severity: 'critical', cleared: true },
      ]);
      await expect
        .poll(changes, POLL)
        .toEqual(['vipps-5080 raised', 'vipps-5080 cleared', 'vipps-5080 cleared']);
      const { since, ...alert } = VIPPS_5080;
      expect(published[0]).toEqual({
        site: KIOSK.site,
        device: KIOSK.device,
        ...alert,
        source: 'kiosk',
        raisedAt: since,
        clearedAt: null,
      });
    });

    it('two replicas: each change is one row and one publication, from messages and from sweeps at once', async () => {
      const replicas = [
        await collector(COLLECTORS[0], 'hq', { offlineMinutes: 10 }),
        await collector(COLLECTORS[1], 'hq', { offlineMinutes: 10 }),
      ];
      // A kiosk alert sent four times (outbox resends after lost PUBACKs): Mosquitto deals the copies
      // to both replicas in turn, and each runs the rules on its copy.
      const raised = envelope('alert', { ...VIPPS_5080, cleared: false });
      for (let i = 0; i < 4; i++) await publish(kiosk, 'events/alert', raised);
      await publish(kiosk, 'status', status('offline', 7));
      const handled = () =>
        replicas.reduce((sum, r) => sum + r.collector.counts.stored + r.collector.counts.duplicate, 0);
      await expect.poll(handled, { timeout: 15_000 }).toBe(5);
      for (const replica of replicas)
        expect(replica.collector.counts.stored + replica.collector.counts.duplicate).toBeGreaterThan(0);
      clock += 11 * MINUTE;
      for (let round = 0; round < 5; round++) await Promise.all(replicas.map((r) => r.rules.sweep()));
      expect(await alerts()).toEqual([
        { code: 'hq-offline', source: 'hq', severity: 'critical', cleared: false },
        { code: 'vipps-5080', source: 'kiosk', severity: 'critical', cleared: false },
      ]);
      await publish(kiosk, 'status', status('online', 8));
      await expect.poll(() => count('alerts WHERE cleared_at IS NOT NULL'), { timeout: 15_000 }).toBe(1);
      for (let round = 0; round < 3; round++) await Promise.all(replicas.map((r) => r.rules.sweep()));
      await expect
        .poll(() => [...changes()].sort(), POLL)
        .toEqual(['hq-offline cleared', 'hq-offline raised', 'vipps-5080 raised']);
      const made = replicas.reduce((sum, r) => sum + r.rules.counts.raised + r.rules.counts.cleared, 0);
      expect(made).toBe(3);
    });

    it('only the collector may publish on the alert topic: a kiosk and a watcher are refused', async () => {
      const outcome = async (client: MqttClient) =>
        client.publishAsync(HQ_ALERTS_TOPIC, '{"forged":true}', { qos: 1 }).then(
          () => 'accepted',
          (error: { code?: number }) => (error.code === 0x87 ? 'refused' : `failed ${String(error.code)}`),
        );
      // The pager is the watch identity (a second login as it would take its session over).
      const collectorClient = await fleet.connect(COLLECTORS[1], { clean: true });
      expect([await outcome(kiosk), await outcome(pager)]).toEqual(['refused', 'refused']);
      const genuine: HqAlertPayload = {
        site: KIOSK.site,
        device: KIOSK.device,
        code: 'hq-offline',
        source: 'hq',
        severity: 'critical',
        message: 'The kiosk has been offline for more than 10 minutes.',
        raisedAt: AT(),
        clearedAt: null,
      };
      await collectorClient.publishAsync(HQ_ALERTS_TOPIC, JSON.stringify(genuine), { qos: 1 });
      await expect.poll(() => published, POLL).toEqual([genuine]);
    });
  });
});
