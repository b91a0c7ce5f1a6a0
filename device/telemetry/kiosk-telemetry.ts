import { statfsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import type { ScreenModel } from '../../contracts/screen-model.js';
import type { PrinterCondition } from '../../contracts/telemetry.js';
import type { CheckoutService } from '../checkout/checkout-service.js';
import type { CheckoutDomainEvent } from '../checkout/domain-events.js';
import { EventLoopDelay } from '../system/event-loop-delay.js';
import type { TelemetryPublisher } from './publisher.js';

/** The retained `state`: what HQ's fleet view shows for the kiosk right now. No customer data. */
export function stateOf(model: ScreenModel): Record<string, unknown> {
  return {
    screen: model.screen,
    machineState: model.machineState,
    vippsReachable: model.vippsReachable,
    basketItems: model.basket.itemCount,
    recovery: model.recovery,
    leds: model.leds,
    scannerAttached: model.device.scanner !== 'missing',
  };
}

export interface HqEvent {
  type: string;
  payload: Record<string, unknown>;
  /** `money` events are never dropped from the outbox. */
  class: 'money' | 'info';
}

/**
 * What HQ hears of a checkout fact (contracts/asyncapi.yaml): what it needs to reconcile the kiosk with
 * Vipps (reference, receipt number, amount) and how club offers end, never who paid. A payment let go
 * is the journal's business (recovery reports how it ends), not an event of its own.
 */
export function hqEventOf(event: CheckoutDomainEvent): HqEvent | undefined {
  switch (event.type) {
    case 'sale.completed':
      return {
        type: 'checkout-completed',
        class: 'money',
        payload: {
          reference: event.reference,
          receiptNumber: event.receiptNumber,
          amount: event.amount,
          currency: event.currency,
          items: event.lines.reduce((sum, line) => sum + Number(line.unitInfo?.quantity ?? 1), 0),
          vat: event.vat,
          memberSavings: event.memberSavings,
        },
      };
    case 'payment.declined':
      return {
        type: 'checkout-declined',
        class: 'money',
        payload: { reference: event.reference, reason: event.reason, amount: event.amount },
      };
    case 'payment.cancelled':
      return {
        type: 'checkout-cancelled',
        class: 'money',
        payload: { reference: event.reference, amount: event.amount },
      };
    case 'club.enrolment':
      return {
        type: 'club-enrolment',
        class: 'info',
        payload: { outcome: event.outcome, basketSavings: event.basketSavings },
      };
    case 'payment.abandoned':
    // Staff and HQ hear of it as an alert (device/telemetry/alerts.ts), wired in device/main.ts.
    case 'payment.settle-handed-over':
      return undefined;
    // HQ hears of these as `alert` events: Alerts (alerts.ts) is subscribed to them, not this map.
    case 'kiosk.out-of-order':
    case 'kiosk.back-in-order':
      return undefined;
  }
}

/**
 * Vipps stopped answering the kiosk, or answers again: HQ hears of an outage even when no sale says so.
 * Sent on the change only, so an outage is two events, not a stream.
 */
export function connectivityEventOf(
  previous: ScreenModel | undefined,
  model: ScreenModel,
): { type: string; payload: Record<string, unknown> } | undefined {
  if (previous === undefined || previous.vippsReachable === model.vippsReachable) return undefined;
  return {
    type: model.vippsReachable ? 'vipps-reachable' : 'vipps-unreachable',
    payload: { screen: model.screen },
  };
}

export interface KioskTelemetryOptions {
  stateDir: string;
  healthIntervalMs: number;
  /** The Vipps client's call figures. */
  vippsCalls: () => Record<string, unknown>;
  /** Enrolments waiting for the merchant's CRM, when the club keeps members there. */
  crmDeliveries?: () => { queued: number; delivered: number; refused: number };
  /** The receipt printer's condition and name, when the kiosk has one. */
  printer?: () => { condition: PrinterCondition; model: string | null };
  /**
   * A payment made in training mode (paid to the sandbox): HQ hears nothing of it, since it is neither a
   * sale nor a payment HQ could find at Vipps.
   */
  training?: (reference: string) => boolean;
}

/**
 * Feeds HQ from the checkout: the retained state on every change (the publisher rate-limits), the
 * checkout's domain events (sales, declines, club offers) and recovery events through the durable
 * outbox, and a health sample every interval.
 */
export class KioskTelemetry {
  private unsubscribe: (() => void) | undefined;
  private unsubscribeFacts: (() => void) | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private readonly loopDelay = new EventLoopDelay();
  private previous: ScreenModel | undefined;
  private lastRecovery = '';
  readonly publisher: TelemetryPublisher;
  private readonly checkout: CheckoutService;
  private readonly options: KioskTelemetryOptions;

  constructor(publisher: TelemetryPublisher, checkout: CheckoutService, options: KioskTelemetryOptions) {
    this.publisher = publisher;
    this.checkout = checkout;
    this.options = options;
  }

  start(): void {
    this.publisher.start();
    this.observe(this.checkout.model());
    this.unsubscribe = this.checkout.subscribe((model) => this.observe(model));
    this.unsubscribeFacts = this.checkout.onDomainEvent((fact) => {
      if ('reference' in fact && fact.reference !== null && this.options.training?.(fact.reference)) return;
      const event = hqEventOf(fact);
      if (event) this.publisher.event(event.type, event.payload, event.class);
    });
    this.loopDelay.start();
    this.healthTimer = setInterval(() => void this.sampleHealth(), this.options.healthIntervalMs);
    this.healthTimer.unref();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribeFacts?.();
    clearInterval(this.healthTimer);
    this.loopDelay.stop();
    await this.publisher.stop();
  }

  /** A health sample now, beside the interval's: the printer's condition changed. */
  healthNow(): void {
    void this.sampleHealth();
  }

  /** An `info` event from outside the checkout, such as the self-test at boot. */
  report(type: string, payload: Record<string, unknown>): void {
    this.publisher.event(type, payload, 'info');
  }

  private observe(model: ScreenModel): void {
    this.publisher.publishState(stateOf(model));
    const connectivity = connectivityEventOf(this.previous, model);
    if (connectivity) this.publisher.event(connectivity.type, connectivity.payload, 'info');
    const recovery = JSON.stringify(model.recovery);
    if (model.recovery && recovery !== this.lastRecovery) {
      this.publisher.event('payments-recovered', { ...model.recovery }, 'money');
    }
    this.lastRecovery = recovery;
    const scanner = model.device.scanner;
    if (this.previous && this.previous.device.scanner !== scanner) {
      this.publisher.event(
        scanner === 'missing' ? 'scanner-detached' : 'scanner-attached',
        { scanner },
        'info',
      );
    }
    this.previous = model;
  }

  private async sampleHealth(): Promise<void> {
    const memory = process.memoryUsage();
    const disk = statfsSync(this.options.stateDir);
    const stats = this.publisher.stats();
    const delay = this.loopDelay.read();
    this.publisher.publishHealth({
      uptimeSeconds: Math.round(process.uptime()),
      rssMb: Math.round(memory.rss / 1048576),
      heapMb: Math.round(memory.heapUsed / 1048576),
      eventLoopDelayMs: delay ? { p50: delay.p50, p99: delay.p99 } : null,
      load: loadavg(),
      socTemperatureC: await socTemperature(),
      stateDirFreeMb: Math.round((disk.bavail * disk.bsize) / 1048576),
      outboxDepth: stats.outboxDepth,
      degraded: stats.outboxDegraded,
      mqttReconnects: Math.max(0, stats.sessions - 1),
      scansRead: this.checkout.scans(),
      vipps: this.options.vippsCalls(),
      ...(this.options.crmDeliveries ? { crm: this.options.crmDeliveries() } : {}),
      ...(this.options.printer ? { printer: this.options.printer() } : {}),
    });
  }
}

/** The Pi's SoC temperature where the kernel exposes it; null elsewhere. */
async function socTemperature(): Promise<number | null> {
  try {
    const milli = Number((await readFile('/sys/class/thermal/thermal_zone0/temp', 'utf8')).trim());
    return Number.isFinite(milli) ? milli / 1000 : null;
  } catch {
    return null;
  }
}
