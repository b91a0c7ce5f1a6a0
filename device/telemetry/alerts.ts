import type { AlertPayload, AlertSeverity, EVENT_CLASSES } from '../../contracts/telemetry.js';
import { assertNoPersonalData } from './payload-guard.js';

/** An alert while it is active: what `/healthz` and the out-of-order screen show. */
export type ActiveAlert = Omit<AlertPayload, 'cleared'>;

/** What goes to HQ on `events/alert`, as the telemetry publisher's `event(type, payload, class)` takes it. */
export type AlertEvent = { type: 'alert'; class: (typeof EVENT_CLASSES)['alert']; payload: AlertPayload };

export interface AlertsOptions {
  /** Hands the event to HQ's link (the durable outbox); called once per raise and once per clear. */
  publish: (event: AlertEvent) => void;
  now: () => number;
}

const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * The kiosk's active alerts, one per code: conditions staff or HQ must act on. Raising an alert that is
 * already active changes nothing and sends nothing, so a fault met on every payment attempt is one alert
 * with the time it began, not a stream; clearing sends the alert once more, marked cleared.
 */
export class Alerts {
  private readonly activeByCode = new Map<string, ActiveAlert>();
  private readonly options: AlertsOptions;

  constructor(options: AlertsOptions) {
    this.options = options;
  }

  /** Returns whether this raised it (false: it was already active). */
  raise(code: string, severity: AlertSeverity, message: string): boolean {
    if (this.activeByCode.has(code)) return false;
    if (!CODE.test(code) || code.length > 64)
      throw new Error(
        `alert code ${JSON.stringify(code)} must be lower-case words joined by "-", e.g. vipps-5080`,
      );
    const alert: ActiveAlert = { code, severity, message, since: new Date(this.options.now()).toISOString() };
    // A customer's number in an alert is a bug in the code raising it: refused here, where it is made.
    assertNoPersonalData('events/alert', alert);
    this.activeByCode.set(code, alert);
    this.options.publish({ type: 'alert', class: 'info', payload: { ...alert, cleared: false } });
    return true;
  }

  /** Returns whether it was active. */
  clear(code: string): boolean {
    const alert = this.activeByCode.get(code);
    if (!alert) return false;
    this.activeByCode.delete(code);
    this.options.publish({ type: 'alert', class: 'info', payload: { ...alert, cleared: true } });
    return true;
  }

  /** The active alerts, oldest first. */
  active(): ActiveAlert[] {
    return [...this.activeByCode.values()];
  }
}
