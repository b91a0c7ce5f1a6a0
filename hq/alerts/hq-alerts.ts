import type { Pool } from 'pg';
import type { Logger } from '../../common/log/logger.js';
import { ALERT_SEVERITIES, type AlertSeverity, type HqAlertPayload } from '../../contracts/telemetry.js';
import type { TelemetryRecord } from '../collector/telemetry-record.js';
import { clearAlert, clearKioskAlert, openAlertCodes, raiseAlert } from './alert-rows.js';
import { type AlertThresholds, conditions } from './alert-rules.js';
import type { AlertSink } from './alert-topic.js';
import { ALL_FACTS, type FactKind, type KioskKey, readKioskFacts } from './kiosk-facts.js';

// The collector's alerts: each message it stored is followed by the rules its topic can change, read
// from what is committed (so it does not matter which replica stored what), and a sweep on a timer
// runs every rule over the fleet (an offline kiosk sends nothing; a closing time passes by itself).
// A kiosk's own `events/alert` raises and clears its row directly. Each change the database accepted
// is published on HQ's alert topic by the replica that made it.

type Json = Record<string, unknown>;

export interface HqAlertsOptions {
  pool: Pool;
  thresholds: AlertThresholds;
  /** HQ's clock (epoch ms), injected: the rules' "longer than N minutes" and closing times. */
  now: () => number;
  logger: Logger;
}

/** What each stored message can change, by its kind (events by type). */
function factsChangedBy(record: TelemetryRecord): readonly FactKind[] {
  if (record.kind === 'presence') return ['presence'];
  if (record.kind === 'state') return ['state', 'recovered'];
  if (record.kind === 'health') return ['health'];
  if (record.kind !== 'event') return [];
  if (record.type === 'payments-recovered') return ['state', 'recovered'];
  if (record.type === 'report') return ['reports'];
  return [];
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

export class HqAlerts {
  /** Changes this replica made (and published). */
  readonly counts = { raised: 0, cleared: 0 };
  private sink: AlertSink | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(private readonly options: HqAlertsOptions) {}

  /** Publishes to `sink` from now on, and sweeps the fleet every `sweepEveryMs`. */
  start(sink: AlertSink, sweepEveryMs: number): void {
    this.sink = sink;
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) =>
        this.options.logger.warn('the alert sweep failed; it runs again', {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    }, sweepEveryMs);
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
    const kinds = factsChangedBy(record);
    if (kinds.length > 0) await this.evaluate({ site: record.site, device: record.device }, kinds);
  }

  /** Every rule over every kiosk; a sweep still running is not started twice. */
  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      await this.evaluate(undefined, ALL_FACTS);
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

  private async evaluate(kiosk: KioskKey | undefined, kinds: readonly FactKind[]): Promise<void> {
    const { pool, thresholds, now: clock } = this.options;
    const now = clock();
    const [facts, open] = await Promise.all([
      readKioskFacts(pool, kinds, kiosk, now, thresholds.outboxRisingSamples),
      openAlertCodes(pool, 'hq', kiosk),
    ]);
    for (const [key, kioskFacts] of facts) {
      const openCodes = open.get(key);
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
    this.sink?.publish(alert);
  }
}
