// The payments the sandbox holds, their state machine and money (API.md §3.4–§3.8).
//
// `state` only says what the customer did (CREATED -> AUTHORIZED | ABORTED | EXPIRED, or TERMINATED by the
// merchant); once AUTHORIZED it never changes again and money moves in the aggregate:
//   captured + cancelled <= authorized,   refunded <= captured.
// Every change appends to the payment's event log. Expiry is evaluated lazily on the sandbox clock at each
// read, so a test that jumps the clock sees the effect at its next call.

import { randomUUID } from 'node:crypto';
import type { SandboxClock } from './clock.js';
import { domainProblem, invalidRequest } from './problem.js';

export const CURRENCIES = ['NOK', 'DKK', 'EUR'] as const;
export type Currency = (typeof CURRENCIES)[number];

export interface Amount {
  readonly currency: Currency;
  readonly value: number;
}

export type PaymentState = 'CREATED' | 'ABORTED' | 'EXPIRED' | 'AUTHORIZED' | 'TERMINATED';

export type PaymentEventName =
  | 'CREATED'
  | 'ABORTED'
  | 'EXPIRED'
  | 'CANCELLED'
  | 'CAPTURED'
  | 'REFUNDED'
  | 'AUTHORIZED'
  | 'TERMINATED';

export interface PaymentEvent {
  readonly reference: string;
  /** Unique per event; the payment's own pspReference is the CREATED event's. */
  readonly pspReference: string;
  readonly name: PaymentEventName;
  readonly amount: Amount;
  readonly timestamp: string;
  readonly idempotencyKey: string | null;
  readonly success: boolean;
}

/** A push request must be opened within 5 minutes, then approved within 5 more (API.md §3.5). */
export const OPEN_WINDOW_MS = 5 * 60_000;
export const APPROVE_WINDOW_MS = 5 * 60_000;

export interface NewPayment {
  /** The sales unit the payment belongs to. */
  readonly merchantSerialNumber: string;
  readonly reference: string;
  readonly amount: Amount;
  readonly paymentMethodType: string;
  readonly customerMsisdn: string | null;
  readonly metadata: Readonly<Record<string, string>> | undefined;
  /** The parsed createPayment body, kept verbatim for the control API. */
  readonly request: unknown;
  readonly idempotencyKey: string | null;
  /** userFlow QR: the token of the one-time payment QR (payment-qr.ts); null for the other flows. */
  readonly qrToken: string | null;
}

interface PaymentRecord extends NewPayment {
  readonly createdAt: number;
  readonly pspReference: string;
  readonly events: PaymentEvent[];
  customerMsisdn: string | null;
  state: PaymentState;
  /** When the customer opened the request in the app; from then on it is "processing". */
  openedAt: number | null;
  authorized: number;
  captured: number;
  cancelled: number;
  refunded: number;
}

export type Payment = Readonly<Omit<PaymentRecord, 'events'>> & { readonly events: readonly PaymentEvent[] };

export function expiresAt(payment: Payment): number {
  return payment.openedAt === null
    ? payment.createdAt + OPEN_WINDOW_MS
    : payment.openedAt + APPROVE_WINDOW_MS;
}

/** The customer has the request open and has not decided yet: Vipps will not let the merchant cancel. */
export function isProcessing(payment: Payment): boolean {
  return payment.state === 'CREATED' && payment.openedAt !== null;
}

export interface Aggregate {
  readonly authorizedAmount: Amount;
  readonly cancelledAmount: Amount;
  readonly capturedAmount: Amount;
  readonly refundedAmount: Amount;
}

export function aggregateOf(payment: Payment): Aggregate {
  const amount = (value: number): Amount => ({ currency: payment.amount.currency, value });
  return {
    authorizedAmount: amount(payment.authorized),
    cancelledAmount: amount(payment.cancelled),
    capturedAmount: amount(payment.captured),
    refundedAmount: amount(payment.refunded),
  };
}

/** A customer action that the payment's state does not allow (approving an expired payment, say). */
export class CustomerActionRefused extends Error {}

export class PaymentBook {
  private readonly records = new Map<string, PaymentRecord>();

  constructor(
    private readonly clock: SandboxClock,
    /** Told of every event as it is recorded, with the payment's sales unit (webhook deliveries). */
    private readonly onEvent: (event: PaymentEvent, merchantSerialNumber: string) => void = () => {},
  ) {}

  create(input: NewPayment): Payment {
    if (this.records.has(input.reference)) {
      throw domainProblem('4150', `A payment with reference ${input.reference} already exists.`, {
        status: 409,
      });
    }
    const now = this.clock.now();
    const created = newEvent(input.reference, 'CREATED', input.amount, input.idempotencyKey, now);
    const record: PaymentRecord = {
      ...input,
      createdAt: now,
      pspReference: created.pspReference,
      events: [],
      state: 'CREATED',
      openedAt: null,
      authorized: 0,
      captured: 0,
      cancelled: 0,
      refunded: 0,
    };
    this.records.set(record.reference, record);
    this.record(record, created);
    return record;
  }

  get(reference: string): Payment | undefined {
    const record = this.records.get(reference);
    if (record !== undefined) this.settle(record);
    return record;
  }

  list(): Payment[] {
    return [...this.records.values()].map((record) => {
      this.settle(record);
      return record;
    });
  }

  clear(): void {
    this.records.clear();
  }

  /** Like get, but an unknown reference is the 404 problem ePayment answers. */
  getOrThrow(reference: string): Payment {
    return this.find(reference);
  }

  capture(reference: string, amount: Amount, idempotencyKey: string | null): Payment {
    const payment = this.find(reference);
    requireSameCurrency(payment, amount);
    if (payment.state !== 'AUTHORIZED') {
      throw domainProblem(
        '6080',
        `The payment is ${payment.state}; only an authorized payment can be captured.`,
      );
    }
    const capturable = payment.authorized - payment.captured - payment.cancelled;
    if (amount.value > capturable) {
      throw domainProblem(
        '6090',
        `Tried to capture ${amount.value}, but only ${capturable} is reserved and open.`,
      );
    }
    payment.captured += amount.value;
    this.append(payment, 'CAPTURED', amount.value, idempotencyKey);
    return payment;
  }

  refund(reference: string, amount: Amount, idempotencyKey: string | null): Payment {
    const payment = this.find(reference);
    requireSameCurrency(payment, amount);
    if (payment.state !== 'AUTHORIZED') {
      throw domainProblem(
        '6020',
        `The payment is ${payment.state}; nothing was reserved, so nothing can be refunded.`,
      );
    }
    const refundable = payment.captured - payment.refunded;
    if (amount.value > refundable) {
      throw domainProblem(
        '6150',
        `Tried to refund ${amount.value}, but only ${refundable} is captured and not refunded.`,
      );
    }
    payment.refunded += amount.value;
    this.append(payment, 'REFUNDED', amount.value, idempotencyKey);
    return payment;
  }

  /**
   * Before authorization the payment is TERMINATED. After it, the whole uncaptured remainder is released
   * (cancelledAmount) and the state stays AUTHORIZED — unless `transactionOnly`, which promises to cancel
   * only an unauthorized payment and so must fail (6060) rather than release an authorized one.
   */
  cancel(reference: string, transactionOnly: boolean, idempotencyKey: string | null): Payment {
    const payment = this.find(reference);
    switch (payment.state) {
      case 'CREATED':
        if (isProcessing(payment)) {
          throw domainProblem(
            '6250',
            'The customer is approving this payment right now; try again shortly.',
            {
              status: 409,
              retry: 'later',
            },
          );
        }
        payment.state = 'TERMINATED';
        this.append(payment, 'TERMINATED', payment.amount.value, idempotencyKey);
        return payment;
      case 'TERMINATED':
        return payment;
      case 'ABORTED':
      case 'EXPIRED':
        throw domainProblem('6190', `The payment is ${payment.state} and has nothing left to cancel.`);
      case 'AUTHORIZED': {
        if (transactionOnly) {
          throw domainProblem(
            '6060',
            'The payment is authorized; cancelTransactionOnly leaves it untouched.',
          );
        }
        const remaining = payment.authorized - payment.captured - payment.cancelled;
        if (remaining > 0) {
          payment.cancelled += remaining;
          this.append(payment, 'CANCELLED', remaining, idempotencyKey);
        } else if (payment.cancelled === 0) {
          throw domainProblem('6040', 'The whole amount is captured; refund it instead.');
        }
        return payment;
      }
    }
  }

  /** Opening the push in the app starts the approval window and makes the payment "processing". */
  open(reference: string): Payment {
    const payment = this.pending(reference, 'opened');
    if (payment.openedAt === null) payment.openedAt = this.clock.now();
    return payment;
  }

  /**
   * A customer's phone scanned the payment's one-time QR: the payment is theirs and open in their app, as
   * a push they opened (the approval window starts now). Scanning it again from the same phone changes
   * nothing; from another phone it is refused, as is a QR whose payment is no longer waiting.
   */
  scanQr(token: string, msisdn: string): Payment {
    const record = [...this.records.values()].find((payment) => payment.qrToken === token);
    if (record === undefined)
      throw new CustomerActionRefused('That is not a payment QR code of this sandbox.');
    const payment = this.pending(record.reference, 'scanned');
    if (payment.customerMsisdn !== null && payment.customerMsisdn !== msisdn) {
      throw new CustomerActionRefused(`Payment ${payment.reference} was scanned by another customer.`);
    }
    payment.customerMsisdn = msisdn;
    if (payment.openedAt === null) payment.openedAt = this.clock.now();
    return payment;
  }

  /** `msisdn` names who approves; required only when the payment was not sent to a specific customer. */
  approve(reference: string, msisdn?: string): Payment {
    const payment = this.pending(reference, 'approved');
    const approver = msisdn ?? payment.customerMsisdn;
    if (approver === null) throw new CustomerActionRefused('Say which customer approves this payment.');
    if (payment.customerMsisdn !== null && approver !== payment.customerMsisdn) {
      throw new CustomerActionRefused(`Payment ${reference} was sent to another customer.`);
    }
    payment.customerMsisdn = approver;
    payment.state = 'AUTHORIZED';
    payment.authorized = payment.amount.value;
    this.append(payment, 'AUTHORIZED', payment.amount.value, null);
    return payment;
  }

  /**
   * The customer tried to approve but the authorization failed (a card refused, say): an AUTHORIZED
   * event with `success: false`; nothing is reserved and the payment waits for the customer as before.
   */
  failAuthorization(reference: string): Payment {
    const payment = this.pending(reference, 'approved');
    this.append(payment, 'AUTHORIZED', payment.amount.value, null, this.clock.now(), false);
    return payment;
  }

  /** A capture Vipps could not carry out (6260/6280): logged as a CAPTURED event with `success: false`. */
  failCapture(reference: string, amount: Amount, idempotencyKey: string | null): void {
    const payment = this.find(reference);
    this.append(payment, 'CAPTURED', amount.value, idempotencyKey, this.clock.now(), false);
  }

  reject(reference: string): Payment {
    const payment = this.pending(reference, 'rejected');
    payment.state = 'ABORTED';
    this.append(payment, 'ABORTED', payment.amount.value, null);
    return payment;
  }

  private find(reference: string): PaymentRecord {
    const record = this.records.get(reference);
    if (record === undefined) {
      throw domainProblem('5090', `No payment with reference ${reference} for this merchant.`, {
        status: 404,
      });
    }
    this.settle(record);
    return record;
  }

  private pending(reference: string, action: string): PaymentRecord {
    const payment = this.find(reference);
    if (payment.state !== 'CREATED') {
      throw new CustomerActionRefused(
        `Payment ${reference} is ${payment.state}; only a CREATED payment can be ${action}.`,
      );
    }
    return payment;
  }

  private settle(record: PaymentRecord): void {
    const deadline = expiresAt(record);
    if (record.state === 'CREATED' && this.clock.now() >= deadline) {
      record.state = 'EXPIRED';
      this.append(record, 'EXPIRED', record.amount.value, null, deadline);
    }
  }

  private append(
    record: PaymentRecord,
    name: PaymentEventName,
    value: number,
    idempotencyKey: string | null,
    at = this.clock.now(),
    success = true,
  ): void {
    const amount = { currency: record.amount.currency, value };
    this.record(record, { ...newEvent(record.reference, name, amount, idempotencyKey, at), success });
  }

  private record(record: PaymentRecord, event: PaymentEvent): void {
    record.events.push(event);
    this.onEvent(event, record.merchantSerialNumber);
  }
}

function newEvent(
  reference: string,
  name: PaymentEventName,
  amount: Amount,
  idempotencyKey: string | null,
  at: number,
): PaymentEvent {
  return {
    reference,
    pspReference: randomUUID(),
    name,
    amount,
    timestamp: new Date(at).toISOString(),
    idempotencyKey,
    success: true,
  };
}

function requireSameCurrency(payment: Payment, amount: Amount): void {
  if (amount.currency !== payment.amount.currency) {
    throw invalidRequest([
      {
        field: 'modificationAmount.currency',
        reason: `must be ${payment.amount.currency}, the payment's currency`,
      },
    ]);
  }
}
