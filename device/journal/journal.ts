import type { CreatePaymentRequest } from '../../contracts/vipps-types.js';
import type { Settlement } from '../checkout/domain/settlement.js';

/** What happened to a payment, step by step, in the words recovery reads back. */
export type StepKind =
  | 'create-requested'
  | 'create-answered'
  | 'payment-read'
  | 'capture-requested'
  | 'capture-answered'
  | 'cancel-requested'
  | 'cancel-answered'
  | 'call-failed'
  /** The customer's session let go of the payment (they left, or a new attempt replaced it). */
  | 'abandoned';

/** How a payment ended; a payment without an outcome is unfinished and recovery resolves it. */
export type PaymentOutcome = Settlement | 'not-created';

export interface JournalStep {
  kind: StepKind;
  idempotencyKey: string | null;
  data: Record<string, unknown>;
  at: number;
}

export interface UnfinishedPayment {
  reference: string;
  receiptNumber: string;
  request: CreatePaymentRequest;
  steps: JournalStep[];
}

/**
 * The durable record of every payment the kiosk asks Vipps for. Each write is on disk before the call
 * it guards goes out, so after a crash or a power cut the kiosk knows every reference and every
 * Idempotency-Key it may have used, and can ask Vipps for the truth.
 */
export interface Journal {
  /**
   * Before createPayment: the reference, its key and the exact body, so a retry can repeat it. The body
   * names the customer, so it is kept whole only while the payment is open (see `close`).
   */
  paymentRequested(request: CreatePaymentRequest, idempotencyKey: string): void;
  step(reference: string, kind: StepKind, data: Record<string, unknown>, idempotencyKey?: string): void;
  /**
   * The payment is settled (every outcome is final): it leaves `unfinished`, and in the same write its
   * request keeps only what the money needs (redaction.ts), never the customer.
   */
  close(reference: string, outcome: PaymentOutcome): void;
  unfinished(): UnfinishedPayment[];
  /** The outcome of a closed payment, or null while it is open; undefined for a reference never seen. */
  outcome(reference: string): PaymentOutcome | null | undefined;
  stop(): void;
}
