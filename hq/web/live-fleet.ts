import type { Pool } from 'pg';
import type { Logger } from '../../common/log/logger.js';
import { loginToBroker } from '../../common/mqtt/broker-connection.js';
import type { BrokerEndpoint, MqttLink } from '../../common/mqtt/link.js';
import { collectorFilters } from '../collector/collector.js';
import { telemetryRecord } from '../collector/telemetry-record.js';
import { loadFleet } from './fleet-queries.js';
import { applyRecord, emptyRow, type FleetRow } from './fleet-row.js';

// The fleet as the page shows it, kept current for its server-sent events. The database is read at
// start and every `refreshMs` (alerts, and whatever the broker alone would miss); with a broker, every
// message of the kiosks is applied the moment it arrives (a read-only subscription: the collector, not
// this, keeps what they send). "live" tells the page honestly whether what it shows is current: the
// broker connected, or, without one, the last read of the database recent.

export interface LiveStatus {
  source: 'broker' | 'database';
  live: boolean;
}

export type LiveChange = { kind: 'kiosk'; row: FleetRow } | { kind: 'status'; status: LiveStatus };

export interface LiveFleetOptions {
  pool: Pool;
  broker?: BrokerEndpoint | undefined;
  logger: Logger;
  /** Database reads: every 5 s without a broker, 30 s with one. */
  refreshMs?: number;
  now?: () => number;
}

export class LiveFleet {
  private readonly rows = new Map<string, FleetRow>();
  private readonly listeners = new Set<(change: LiveChange) => void>();
  private link: MqttLink | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastRead = 0;
  private brokerUp = false;
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(private readonly options: LiveFleetOptions) {
    this.refreshMs = options.refreshMs ?? (options.broker ? 30_000 : 5_000);
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<void> {
    await this.refresh();
    const { broker } = this.options;
    if (broker) {
      this.link = await loginToBroker({
        ...broker,
        clientIdPrefix: 'vk-hq-page',
        logger: this.options.logger.child('mqtt'),
        hints: { noPassword: 'set VK_HQ_PASSWORD', refused: 'check --username and VK_HQ_PASSWORD' },
        events: {
          message: (topic, payload) => this.heard(topic, payload),
          connected: (client, session) => {
            this.setBroker(true);
            if (session > 1)
              void client.subscribeAsync(collectorFilters(undefined), { qos: 0 }).catch(() => {});
          },
          lost: () => this.setBroker(false),
        },
      });
      await this.link.client?.subscribeAsync(collectorFilters(undefined), { qos: 0 });
      this.setBroker(true);
    }
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.listeners.clear();
    await this.link?.stop();
  }

  status(): LiveStatus {
    if (this.options.broker) return { source: 'broker', live: this.brokerUp };
    return { source: 'database', live: this.now() - this.lastRead < 2 * this.refreshMs };
  }

  fleet(): FleetRow[] {
    return [...this.rows.values()].sort((a, b) =>
      a.site === b.site ? (a.device < b.device ? -1 : 1) : a.site < b.site ? -1 : 1,
    );
  }

  /** Calls `listener` with every change from now on; returns the unsubscribe. */
  subscribe(listener: (change: LiveChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the database again and sends what changed. A failed read makes a database-fed page stale. */
  async refresh(): Promise<void> {
    const before = this.status();
    try {
      for (const row of await loadFleet(this.options.pool)) this.put(row);
      this.lastRead = this.now();
    } catch (error) {
      this.options.logger.warn('cannot read the fleet from the database', {
        error: (error as Error).message,
      });
    }
    const after = this.status();
    if (after.live !== before.live) this.emit({ kind: 'status', status: after });
  }

  private heard(topic: string, payload: Buffer): void {
    const record = telemetryRecord(topic, payload);
    if (!('site' in record)) return;
    const key = `${record.site}/${record.device}`;
    const row = this.rows.get(key) ?? emptyRow(record.site, record.device);
    const next = applyRecord(row, record, this.now());
    if (next) this.put(next);
    // The collector turns an alert into a row; it is read back shortly after.
    if (record.kind === 'event' && record.type === 'alert')
      setTimeout(() => void this.refresh(), 1_000).unref();
  }

  private put(row: FleetRow): void {
    const key = `${row.site}/${row.device}`;
    if (JSON.stringify(this.rows.get(key)) === JSON.stringify(row)) return;
    this.rows.set(key, row);
    this.emit({ kind: 'kiosk', row });
  }

  private setBroker(up: boolean): void {
    if (this.brokerUp === up) return;
    this.brokerUp = up;
    this.emit({ kind: 'status', status: this.status() });
  }

  private emit(change: LiveChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
