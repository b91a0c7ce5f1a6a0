import type { Logger } from '../../common/log/logger.js';
import { relayedPaymentShape } from '../../contracts/relayed-event.js';
import { vippsPaymentTopic } from '../../contracts/topics.js';
import type { PaymentEventName } from '../../contracts/vipps-types.js';
import { isSettled, type PaymentStanding } from '../checkout/domain/settlement.js';
import type { Payments } from '../checkout/ports.js';
import { VippsApiError, VippsRequestInvalidError } from '../vipps/errors.js';

/** What the hints need of the MQTT link: the kiosk's TelemetryPublisher provides it. */
export interface HintSubscriptions {
  subscribe(topic: string, onMessage: (payload: Buffer) => void, timeoutMs?: number): Promise<void>;
  unsubscribe(topic: string): void;
}

export interface PaymentHintsOptions {
  merchantSerialNumber: string;
  /** The MQTT link the relayed events come on. */
  link: HintSubscriptions;
  logger: Logger;
  /** How long a create waits for the broker to confirm the subscription before it goes ahead anyway. */
  subscribeTimeoutMs: number;
  /** A payment's topic is let go after this long at the latest (Vipps' approval window and a margin). */
  watchForMs: number;
}

/** Told to look at a payment now (the checkout's `paymentEvent`). */
export type HintListener = (reference: string, name: PaymentEventName) => void;

/** Only these end the wait for the customer; the rest (CREATED, CAPTURED, ...) the kiosk did itself. */
const DECISIVE = new Set<PaymentEventName>(['AUTHORIZED', 'ABORTED', 'EXPIRED', 'TERMINATED']);

interface Watch {
  readonly topic: string;
  readonly timer: NodeJS.Timeout;
  /** Relayed event ids already passed on: a second copy (Vipps retry, two relay replicas) is dropped. */
  readonly seen: Set<string>;
  /** A hint that came before create answered; passed on once the checkout waits for the customer. */
  early: PaymentEventName | undefined;
  created: boolean;
}

/**
 * The checkout's Payments with HQ's relayed webhooks around them. Before a payment is created its topic
 * `vk/v1/vipps/{msn}/payments/{reference}` is subscribed (and the SUBACK awaited, within a bound), so no
 * event can come before the kiosk listens; an event is a hint that makes the checkout read the payment at
 * once, never a decision. Polling goes on regardless, so whichever comes first wins, and a duplicate or
 * late event costs one more read at most. The topic is let go once the payment's money is settled.
 */
export class PaymentHints implements Payments {
  private readonly watches = new Map<string, Watch>();
  private readonly hintListeners = new Set<HintListener>();

  constructor(
    private readonly inner: Payments,
    private readonly options: PaymentHintsOptions,
  ) {}

  onHint(listener: HintListener): () => void {
    this.hintListeners.add(listener);
    return () => this.hintListeners.delete(listener);
  }

  async createPayment(...[request, key]: Parameters<Payments['createPayment']>) {
    await this.watch(request.reference);
    try {
      const answer = await this.inner.createPayment(request, key);
      this.created(request.reference);
      return answer;
    } catch (error) {
      // Refused outright (by Vipps, or before it left): no payment exists, so no event will come. After
      // any other failure the payment may exist, and its events still matter.
      if (error instanceof VippsApiError || error instanceof VippsRequestInvalidError)
        this.forget(request.reference);
      throw error;
    }
  }

  async getPayment(reference: string) {
    return this.settledMaybe(reference, await this.inner.getPayment(reference));
  }

  async capture(...[reference, amount, key]: Parameters<Payments['capture']>) {
    return this.settledMaybe(reference, await this.inner.capture(reference, amount, key));
  }

  async cancel(...[reference, options, key]: Parameters<Payments['cancel']>) {
    return this.settledMaybe(reference, await this.inner.cancel(reference, options, key));
  }

  /** Lets go of every topic. */
  stop(): void {
    for (const reference of [...this.watches.keys()]) this.forget(reference);
  }

  /** References whose topic is subscribed now (for tests and diagnostics). */
  watching(): string[] {
    return [...this.watches.keys()];
  }

  private async watch(reference: string): Promise<void> {
    const { link } = this.options;
    if (this.watches.has(reference)) return;
    const topic = vippsPaymentTopic(this.options.merchantSerialNumber, reference);
    const timer = setTimeout(() => this.forget(reference), this.options.watchForMs);
    timer.unref();
    this.watches.set(reference, { topic, timer, seen: new Set(), early: undefined, created: false });
    try {
      await link.subscribe(
        topic,
        (payload) => this.onMessage(reference, payload),
        this.options.subscribeTimeoutMs,
      );
    } catch (error) {
      // Not a reason to keep a customer waiting: polling finds the answer, and the subscription is renewed
      // when the broker is back.
      this.options.logger.warn(
        'payment created without its webhook subscription; polling will find the answer',
        {
          reference,
          error: error instanceof Error ? error.message : String(error),
        },
      );
    }
  }

  private created(reference: string): void {
    const watch = this.watches.get(reference);
    if (!watch) return;
    watch.created = true;
    const early = watch.early;
    watch.early = undefined;
    // After the checkout has taken create's answer (a microtask later) and waits for the customer.
    if (early) setImmediate(() => this.hint(reference, early));
  }

  private onMessage(reference: string, payload: Buffer): void {
    const watch = this.watches.get(reference);
    if (!watch) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload.toString('utf8'));
    } catch {
      this.options.logger.warn('ignored a relayed webhook that is not JSON', { reference });
      return;
    }
    const read = relayedPaymentShape.safeParse(parsed);
    if (!read.success || read.data.reference !== reference) return;
    const { id } = read.data;
    const name = read.data.name as PaymentEventName;
    if (!DECISIVE.has(name)) return;
    if (watch.seen.has(id)) return;
    watch.seen.add(id);
    this.options.logger.info('webhook relayed by HQ: reading the payment now', { reference, event: name });
    if (watch.created) this.hint(reference, name);
    else watch.early = name;
  }

  private hint(reference: string, name: PaymentEventName): void {
    for (const listener of this.hintListeners) listener(reference, name);
  }

  private settledMaybe<T extends PaymentStanding>(reference: string, payment: T): T {
    if (isSettled(payment)) this.forget(reference);
    return payment;
  }

  private forget(reference: string): void {
    const watch = this.watches.get(reference);
    if (!watch) return;
    this.watches.delete(reference);
    clearTimeout(watch.timer);
    this.options.link.unsubscribe(watch.topic);
  }
}
