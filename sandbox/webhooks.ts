// Webhook registrations and their signed deliveries (API.md §5). Each payment event goes to every
// registration that asked for its event type, signed as Vipps signs (§5.5), in order per registration and
// payment: a failing delivery is retried on a schedule and holds back the later events of that payment,
// as Vipps holds back CAPTURED behind an undelivered AUTHORIZED (§5.4).

import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type SignedHeaders, signDelivery } from '../contracts/webhook-signature.js';
import type { PaymentBook, PaymentEvent, PaymentEventName } from './payments.js';

export const EPAYMENT_EVENT_TYPES: Readonly<Record<PaymentEventName, string>> = {
  CREATED: 'epayments.payment.created.v1',
  ABORTED: 'epayments.payment.aborted.v1',
  EXPIRED: 'epayments.payment.expired.v1',
  CANCELLED: 'epayments.payment.cancelled.v1',
  CAPTURED: 'epayments.payment.captured.v1',
  REFUNDED: 'epayments.payment.refunded.v1',
  AUTHORIZED: 'epayments.payment.authorized.v1',
  TERMINATED: 'epayments.payment.terminated.v1',
};

/** At most 25 registrations per event type per sales unit (WH25). */
export const MAX_REGISTRATIONS_PER_EVENT = 25;

/**
 * Vipps' schedule after a failed attempt: about 2 s four times, 60 s, 120 s, hourly up to attempt 29,
 * then daily until 7 days have passed (API.md §5.4). Tests replace it with a compressed one.
 */
export const VIPPS_RETRY_SCHEDULE_MS: readonly number[] = [
  ...[2_000, 2_000, 2_000, 2_000, 60_000, 120_000],
  ...Array.from({ length: 22 }, () => 3_600_000),
  ...Array.from({ length: 6 }, () => 86_400_000),
];

/** Vipps waits 10 s for an answer. */
const DELIVERY_TIMEOUT_MS = 10_000;
/** How often expiry is looked for while someone listens: an EXPIRED payment is otherwise noticed on read. */
const EXPIRY_SWEEP_MS = 1_000;

export interface Registration {
  readonly id: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly secret: string;
}

export interface DeliveryAttempt {
  readonly registrationId: string;
  readonly reference: string;
  readonly name: PaymentEventName;
  readonly attempt: number;
  /** The HTTP status, or null when no answer came (refused, reset, timeout). */
  readonly status: number | null;
  readonly error: string | null;
  readonly at: string;
  /** The x-ms-date the attempt was signed with. */
  readonly date: string;
}

interface Pending {
  readonly registration: Registration;
  readonly event: PaymentEvent;
  /** The sales unit of the payment: the payload's `msn`. */
  readonly merchantSerialNumber: string;
  attempts: number;
  /** The first attempt's x-ms-date, reused by retries when the retry date is 'original'. */
  firstDate: string | null;
}

/** Whether a retry is signed with its own time ('attempt') or with the first attempt's ('original'). */
export type RetryDate = 'attempt' | 'original';

const MAX_LOGGED_ATTEMPTS = 1_000;

export class SandboxWebhooks {
  private readonly registrations = new Map<string, Registration>();
  /** Per registration + payment, the events still to deliver, head first. */
  private readonly queues = new Map<string, Pending[]>();
  private readonly busy = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly attempts: DeliveryAttempt[] = [];
  /** Host of a registered URL -> origin that answers for it: the stand-in for DNS and the TLS proxy. */
  private readonly routes = new Map<string, string>();
  private retryScheduleMs: readonly number[] = VIPPS_RETRY_SCHEDULE_MS;
  private retryDate: RetryDate = 'attempt';
  private sweep: NodeJS.Timeout | undefined;
  private payments: PaymentBook | undefined;

  /** The book whose expiry is swept while registrations exist (set once the context is built). */
  watch(payments: PaymentBook): void {
    this.payments = payments;
  }

  register(url: string, events: readonly string[]): Registration {
    const registration = { id: randomUUID(), url, events: [...events], secret: newSecret() };
    this.registrations.set(registration.id, registration);
    if (this.sweep === undefined) {
      this.sweep = setInterval(() => this.payments?.list(), EXPIRY_SWEEP_MS);
      this.sweep.unref();
    }
    return registration;
  }

  /** How many registrations already listen to `eventType`. */
  countFor(eventType: string): number {
    return [...this.registrations.values()].filter((r) => r.events.includes(eventType)).length;
  }

  list(): Registration[] {
    return [...this.registrations.values()];
  }

  delete(id: string): boolean {
    const deleted = this.registrations.delete(id);
    for (const key of [...this.queues.keys()]) if (key.startsWith(`${id}\n`)) this.queues.delete(key);
    return deleted;
  }

  route(host: string, origin: string): void {
    this.routes.set(host.toLowerCase(), origin);
  }

  setRetrySchedule(delaysMs: readonly number[]): void {
    this.retryScheduleMs = [...delaysMs];
  }

  setRetryDate(retryDate: RetryDate): void {
    this.retryDate = retryDate;
  }

  describe() {
    return {
      registrations: this.list().map(({ id, url, events }) => ({ id, url, events })),
      routes: Object.fromEntries(this.routes),
      retryMs: this.retryScheduleMs,
      retryDate: this.retryDate,
      attempts: this.attempts,
    };
  }

  /** Called for every payment event the sandbox records. */
  deliver(event: PaymentEvent, merchantSerialNumber: string): void {
    const eventType = EPAYMENT_EVENT_TYPES[event.name];
    for (const registration of this.registrations.values()) {
      if (!registration.events.includes(eventType)) continue;
      const key = `${registration.id}\n${event.reference}`;
      const queue = this.queues.get(key) ?? [];
      queue.push({ registration, event, merchantSerialNumber, attempts: 0, firstDate: null });
      this.queues.set(key, queue);
      this.pump(key);
    }
  }

  /** Forgets registrations, queues, routes and the attempt log; stops every timer. */
  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    clearInterval(this.sweep);
    this.sweep = undefined;
    this.registrations.clear();
    this.queues.clear();
    this.busy.clear();
    this.routes.clear();
    this.attempts.length = 0;
    this.retryScheduleMs = VIPPS_RETRY_SCHEDULE_MS;
    this.retryDate = 'attempt';
  }

  private pump(key: string): void {
    if (this.busy.has(key)) return;
    const head = this.queues.get(key)?.[0];
    if (head === undefined) {
      this.queues.delete(key);
      return;
    }
    this.busy.add(key);
    void this.attempt(head).then((delivered) => {
      this.busy.delete(key);
      const queue = this.queues.get(key);
      if (queue?.[0] !== head) return; // the registration was deleted meanwhile
      const delay = this.retryScheduleMs[head.attempts - 1];
      if (delivered || delay === undefined) {
        // Delivered, or the schedule is used up and Vipps drops it: the next event may go.
        queue.shift();
        this.pump(key);
        return;
      }
      this.busy.add(key);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.busy.delete(key);
        this.pump(key);
      }, delay);
      this.timers.add(timer);
    });
  }

  private async attempt(pending: Pending): Promise<boolean> {
    pending.attempts += 1;
    const { registration, event } = pending;
    const body = Buffer.from(
      JSON.stringify({
        msn: pending.merchantSerialNumber,
        reference: event.reference,
        pspReference: event.pspReference,
        name: event.name,
        amount: event.amount,
        timestamp: event.timestamp,
        idempotencyKey: event.idempotencyKey,
        success: event.success,
      }),
    );
    const url = new URL(registration.url);
    // x-ms-date is the time of this attempt on the wall clock (transport time, not the payment's time),
    // unless retries are switched to keep the first attempt's date (Vipps does not say which it does).
    const now = new Date().toUTCString();
    const date = this.retryDate === 'original' ? (pending.firstDate ?? now) : now;
    pending.firstDate ??= date;
    const headers = signDelivery(registration.secret, url, date, body);
    const outcome = await post(url, this.routes.get(url.host.toLowerCase()), headers, body);
    this.attempts.push({
      registrationId: registration.id,
      reference: event.reference,
      name: event.name,
      attempt: pending.attempts,
      status: outcome.status,
      error: outcome.error,
      at: new Date().toISOString(),
      date,
    });
    if (this.attempts.length > MAX_LOGGED_ATTEMPTS) this.attempts.shift();
    return outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
  }
}

/** Looks like Vipps' secrets: a long random string, used as UTF-8 text by the receiver. */
function newSecret(): string {
  return randomBytes(48).toString('base64');
}

/**
 * POSTs to the registered URL, or to the origin routed for its host (keeping the registered path and
 * query, with that origin's Host header, as a TLS-terminating proxy in front of a receiver would).
 */
function post(
  url: URL,
  routedOrigin: string | undefined,
  headers: SignedHeaders,
  body: Buffer,
): Promise<{ status: number | null; error: string | null }> {
  const target = routedOrigin === undefined ? url : new URL(`${url.pathname}${url.search}`, routedOrigin);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const request = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': body.length },
        timeout: DELIVERY_TIMEOUT_MS,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? null, error: null }));
        response.on('error', (error) => resolve({ status: null, error: error.message }));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS} ms`)));
    request.on('error', (error) => resolve({ status: null, error: error.message }));
    request.end(body);
  });
}
