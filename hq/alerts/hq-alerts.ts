import type { MqttClient } from 'mqtt';
import type { Pool } from 'pg';
import type { Logger } from '../../common/log/logger.js';
import { ALERT_SEVERITIES, type AlertSeverity, type HqAlertPayload } from '../../contracts/telemetry.js';
import type { StoredMessageFollower } from '../collector/collector.js';
import type { TelemetryRecord } from '../collector/telemetry-record.js';
import { clearAlert, clearKioskAlert, openAlertCodes, raiseAlert } from './alert-rows.js';
import { type AlertThresholds, conditions, type KioskFacts } from './alert-rules.js';
import { AlertTopic } from './alert-topic.js';
import { ALL_FACTS, type FactKind, type KioskKey, kioskKey, readKioskFacts } from './kiosk-facts.js';

// The collector's alerts: each message it stored is followed by the rules it can change, and a sweep
// on a timer runs every rule over the fleet from what is committed (an offline kiosk sends nothing;
// a closing time passes by itself; and two replicas may have taken one kiosk's messages out of order,
// which the sweep sets right).
// A kiosk's own `events/alert` raises and clears its row directly. Each change the database accepted
// is published on HQ's alert topic by the replica that made it.

type Json = Record<string, unknown>;

export interface HqAlertsOptions {
  pool: Pool;
  thresholds: AlertThresholds;
  /** HQ's clock (epoch ms), injected: the rules' "longer than N minutes" and closing times. */
  now: () => number;
  logger: Logger;
  /** How often every rule runs over the whole fleet. */
  sweepEveryMs: number;
}

const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A kiosk's `events/alert` payload as far as the alerts table can take it; undefined: not usable. */
function kioskAlert(payload: Json) {
  const { code, severity, message, since, cleared } = payload;
  const raisedAt = typeof since === 'string' ? new Date(since) : undefined;
  if (
    typeof code !== 'string' ||
    code.length > 64 ||
    !CODE.test(code) ||
    !ALERT_SEVERITIES.includes(severity as AlertSeverity) ||
    typeof message !== 'string' ||
    message === '' ||
    raisedAt === undefined ||
    Number.isNaN(raisedAt.getTime()) ||
    typeof cleared !== 'boolean'
  )
    return undefined;
  return {
    alert: { code, source: 'kiosk' as const, severity: severity as AlertSeverity, message, raisedAt },
    cleared,
  };
}

export class HqAlerts implements StoredMessageFollower {
  /** Changes this replica made (and published). */
  readonly counts = { raised: 0, cleared: 0 };
  private topic: AlertTopic | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(private readonly options: HqAlertsOptions) {}

  /** Publishes on `client`'s connection from now on, and sweeps the fleet every `sweepEveryMs`. */
  start(client: () => MqttClient | undefined): void {
    this.topic = new AlertTopic(client, this.options.logger);
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) =>
        this.options.logger.warn('the alert sweep failed; it runs again', {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    }, this.options.sweepEveryMs);
  }

  connected(): void {
    this.topic?.flush();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * The rules a stored message can change. Rejects when the database cannot be reached, so that the
   * message is not acknowledged and comes again (its row is then a duplicate; the rules run again).
   */
  async onRecord(record: TelemetryRecord): Promise<void> {
    if (record.kind === 'unreadable' || record.kind === 'ignored') return;
    if (record.kind === 'event' && record.type === 'alert') {
      await this.onKioskAlert(record, record.payload);
      return;
    }
    const now = this.options.now();
    const facts = await this.factsOf(record, now);
    if (facts) await this.settle([facts], { site: record.site, device: record.device }, now);
  }

  /** Every rule over every kiosk; a sweep still running is not started twice. */
  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const now = this.options.now();
      const { pool, thresholds } = this.options;
      const facts = await readKioskFacts(pool, ALL_FACTS, undefined, now, thresholds.outboxRisingSamples);
      await this.settle(facts.values(), undefined, now);
    } finally {
      this.sweeping = false;
    }
  }

  private async onKioskAlert(record: TelemetryRecord & { kind: 'event' }, payload: Json): Promise<void> {
    const usable = kioskAlert(payload);
    if (!usable) {
      this.options.logger.warn('a kiosk alert HQ cannot keep (not the documented shape)', {
        site: record.site,
        device: record.device,
      });
      return;
    }
    const kiosk = { site: record.site, device: record.device };
    const { pool } = this.options;
    this.changed(
      usable.cleared
        ? await clearKioskAlert(pool, kiosk, usable.alert, record.at)
        : await raiseAlert(pool, kiosk, usable.alert),
    );
  }

  /**
   * What a stored message tells the rules of its kiosk: the message itself, mostly, so the common case
   * reads nothing but the kiosk's open alerts; the database where a rule needs more than this one
   * message (the outbox trend, the latest Z report). An offline status tells nothing at once: that
   * rule needs time to pass, and the sweep has it. (An old session's online status replayed after
   * the kiosk went offline clears its alert too early; the next sweep raises it again.)
   */
  private async factsOf(record: TelemetryRecord, now: number): Promise<KioskFacts | undefined> {
    if (record.kind === 'unreadable' || record.kind === 'ignored') return undefined;
    const kiosk = { site: record.site, device: record.device };
    const read = async (kind: FactKind) =>
      (
        await readKioskFacts(
          this.options.pool,
          [kind],
          kiosk,
          now,
          this.options.thresholds.outboxRisingSamples,
        )
      )
        .values()
        .next().value;
    switch (record.kind) {
      case 'presence':
        return record.state === 'online'
          ? { ...kiosk, presence: { state: 'online', since: new Date(now) } }
          : undefined;
      case 'state':
        return { ...kiosk, state: record.payload };
      case 'health': {
        const depth = record.payload.outboxDepth;
        const backlog = typeof depth === 'number' && depth >= this.options.thresholds.outboxBacklog;
        return backlog ? await read('health') : { ...kiosk, health: [record.payload] };
      }
      case 'event':
        if (record.type === 'payments-recovered') return { ...kiosk, recovered: record.payload };
        if (record.type === 'report') return await read('reports');
        return undefined;
    }
  }

  /** Raises and clears what the rules say of `facts`, against the open alerts of `kiosk` (or all). */
  private async settle(facts: Iterable<KioskFacts>, kiosk: KioskKey | undefined, now: number): Promise<void> {
    const { pool, thresholds } = this.options;
    const open = await openAlertCodes(pool, 'hq', kiosk);
    for (const kioskFacts of facts) {
      const openCodes = open.get(kioskKey(kioskFacts.site, kioskFacts.device));
      const where = { site: kioskFacts.site, device: kioskFacts.device };
      for (const condition of conditions(kioskFacts, now, thresholds)) {
        const isOpen = openCodes?.has(condition.code) ?? false;
        if (condition.open && !isOpen)
          this.changed(
            await raiseAlert(pool, where, {
              code: condition.code,
              source: 'hq',
              severity: condition.severity,
              message: condition.message,
              raisedAt: new Date(now),
            }),
          );
        else if (!condition.open && isOpen)
          this.changed(await clearAlert(pool, where, condition.code, 'hq', new Date(now)));
      }
    }
  }

  /** A change the database accepted from this replica: published. */
  private changed(alert: HqAlertPayload | undefined): void {
    if (!alert) return;
    if (alert.clearedAt === null) this.counts.raised += 1;
    else this.counts.cleared += 1;
    this.topic?.publish(alert);
  }
}
