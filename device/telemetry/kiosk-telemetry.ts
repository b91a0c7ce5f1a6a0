import { statfsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import type { ScreenModel } from '../../contracts/screen-model.js';
import type { CheckoutService } from '../checkout/checkout-service.js';
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

/**
 * A sale event from one model to the next: what HQ needs to reconcile the kiosk with Vipps (reference,
 * receipt number, amount), never who paid. `money` events are never dropped from the outbox.
 */
export function saleEventOf(
  previous: ScreenModel | undefined,
  model: ScreenModel,
): { type: string; payload: Record<string, unknown> } | undefined {
  if (previous?.screen === model.screen) return undefined;
  if (model.screen === 'approved' && model.receipt) {
    return {
      type: 'checkout-completed',
      payload: {
        reference: previous?.payment?.reference ?? null,
        receiptNumber: model.receipt.receiptNumber,
        amount: model.receipt.total,
        currency: model.currency,
        items: model.receipt.lines.reduce((sum, line) => sum + line.quantity, 0),
        vat: model.receipt.vat,
        memberSavings: model.receipt.savings,
      },
    };
  }
  if (model.screen === 'declined' && model.declined) {
    return {
      type: 'checkout-declined',
      payload: {
        reference: previous?.payment?.reference ?? null,
        reason: model.declined.reason,
        amount: previous?.payment?.amount ?? null,
      },
    };
  }
  if (previous?.screen === 'cancelling' && model.screen === 'basket') {
    return {
      type: 'checkout-cancelled',
      payload: { reference: previous.payment?.reference ?? null, amount: previous.payment?.amount ?? null },
    };
  }
  return undefined;
}

/**
 * How a club offer ended, once it has: no who, only what, for HQ's conversion figures. An offer the
 * customer walked away from (the session ended or someone else paid) is `abandoned`.
 */
export function clubEventOf(
  previous: ScreenModel | undefined,
  model: ScreenModel,
): { type: string; payload: Record<string, unknown> } | undefined {
  const was = previous?.club?.status;
  const now = model.club?.status;
  if (was !== 'offered' || now === undefined || now === 'offered') return undefined;
  return {
    type: 'club-enrolment',
    payload: {
      outcome: now === 'unknown' ? 'abandoned' : now,
      basketSavings: previous?.club?.offerSavings ?? 0,
    },
  };
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
  /** After the publisher has let go of the outbox: close what the composition root opened. */
  onStopped?: () => void;
}

/**
 * Feeds HQ from the checkout: the retained state on every change (the publisher rate-limits), sale and
 * recovery events through the durable outbox, and a health sample every interval.
 */
export class KioskTelemetry {
  private unsubscribe: (() => void) | undefined;
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
    this.loopDelay.start();
    this.healthTimer = setInterval(() => void this.sampleHealth(), this.options.healthIntervalMs);
    this.healthTimer.unref();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    clearInterval(this.healthTimer);
    this.loopDelay.stop();
    await this.publisher.stop();
    this.options.onStopped?.();
  }

  /** An `info` event from outside the checkout, such as the self-test at boot. */
  report(type: string, payload: Record<string, unknown>): void {
    this.publisher.event(type, payload, 'info');
  }

  private observe(model: ScreenModel): void {
    this.publisher.publishState(stateOf(model));
    const sale = saleEventOf(this.previous, model);
    if (sale) this.publisher.event(sale.type, sale.payload, 'money');
    const club = clubEventOf(this.previous, model);
    if (club) this.publisher.event(club.type, club.payload, 'info');
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
      scansRead: this.checkout.scans(),
      vipps: this.options.vippsCalls(),
      ...(this.options.crmDeliveries ? { crm: this.options.crmDeliveries() } : {}),
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
