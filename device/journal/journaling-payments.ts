import type { GetPaymentResponse, ModificationResponse } from '../../contracts/vipps-types.js';
import { type Settlement, settlementOf } from '../checkout/domain/settlement.js';
import type { Payments } from '../checkout/ports.js';
import {
  VippsApiError,
  VippsError,
  VippsOutcomeUnknownError,
  VippsUnavailableError,
} from '../vipps/errors.js';
import type { Journal } from './journal.js';

// 4150 the reference already exists, 4020 the key was used with another body (API.md §0.3, §0.5); the
// HTTP status for both is 409 where the sources give one.
const TAKEN_CODES = new Set(['4150', '4020']);

function isTaken(error: VippsApiError): boolean {
  return error.status === 409 || TAKEN_CODES.has(error.code ?? '');
}

function describeFailure(operation: string, error: unknown): Record<string, unknown> {
  if (error instanceof VippsApiError)
    return { operation, status: error.status, code: error.code ?? null, traceId: error.traceId ?? null };
  if (error instanceof VippsOutcomeUnknownError) {
    // The refusal that ended a call an earlier attempt of which may have worked: kept for support.
    const { refusal, code, traceId } = error;
    return {
      operation,
      outcomeUnknown: true,
      status: refusal.status,
      code: code ?? null,
      traceId: traceId ?? null,
    };
  }
  if (error instanceof VippsUnavailableError)
    return { operation, outcomeUnknown: error.outcomeUnknown, status: error.lastStatus ?? null };
  if (error instanceof VippsError) return { operation, kind: error.kind };
  return { operation, error: String(error) };
}

/**
 * Payments with the journal around every call: the request is on disk before it goes out, Vipps'
 * answer after it comes back, and a payment is closed in the journal once its money is settled.
 */
export class JournalingPayments implements Payments {
  private readonly inner: Payments;
  private readonly journal: Journal;
  /** Last state written per reference, so an unchanged poll every 2 s does not write the disk. */
  private readonly lastRead = new Map<string, string>();

  constructor(inner: Payments, journal: Journal) {
    this.inner = inner;
    this.journal = journal;
  }

  async createPayment(...[request, key]: Parameters<Payments['createPayment']>) {
    this.journal.paymentRequested(request, key);
    try {
      const answer = await this.inner.createPayment(request, key);
      this.journal.step(request.reference, 'create-answered', { created: true });
      return answer;
    } catch (error) {
      this.journal.step(request.reference, 'call-failed', describeFailure('create', error), key);
      // Refused outright, at the first attempt: nothing exists at Vipps. Any other failure leaves it open
      // for a read-back: a refusal after an attempt that may have reached Vipps (VippsOutcomeUnknownError,
      // never a VippsApiError), and a refusal saying the reference or key is taken, since then a payment
      // by that reference exists.
      if (error instanceof VippsApiError && !isTaken(error))
        this.journal.close(request.reference, 'not-created');
      throw error;
    }
  }

  async getPayment(reference: string) {
    const payment = await this.inner.getPayment(reference);
    this.noteRead(payment);
    return payment;
  }

  /** Recovery's verdict on a reference Vipps still does not know once a late create can no longer come. */
  notCreated(reference: string): void {
    this.journal.step(reference, 'call-failed', { operation: 'get', status: 404 });
    this.journal.close(reference, 'not-created');
  }

  capture(...[reference, amount, key]: Parameters<Payments['capture']>) {
    return this.modify('capture', reference, key, { amount: amount.value }, () =>
      this.inner.capture(reference, amount, key),
    );
  }

  cancel(...[reference, options, key]: Parameters<Payments['cancel']>) {
    return this.modify('cancel', reference, key, { ...options }, () =>
      this.inner.cancel(reference, options, key),
    );
  }

  private async modify(
    operation: 'capture' | 'cancel',
    reference: string,
    key: string,
    data: Record<string, unknown>,
    call: () => Promise<ModificationResponse>,
  ): Promise<ModificationResponse> {
    this.journal.step(reference, `${operation}-requested`, data, key);
    let answer: ModificationResponse;
    try {
      answer = await call();
    } catch (error) {
      this.journal.step(reference, 'call-failed', describeFailure(operation, error), key);
      throw error;
    }
    // Vipps' own id of the payment too: a sale the cash register journals late needs it (recovered-sales.ts).
    this.journal.step(
      reference,
      `${operation}-answered`,
      { state: answer.state, aggregate: answer.aggregate, pspReference: answer.pspReference },
      key,
    );
    this.closeIfSettled(reference, settlementOf(answer));
    return answer;
  }

  private closeIfSettled(reference: string, outcome: Settlement | null): void {
    if (!outcome) return;
    this.journal.close(reference, outcome);
    this.lastRead.delete(reference);
  }

  private noteRead(payment: GetPaymentResponse): void {
    const seen = JSON.stringify([payment.state, payment.aggregate]);
    if (this.lastRead.get(payment.reference) === seen) return;
    this.lastRead.set(payment.reference, seen);
    if (this.journal.outcome(payment.reference) === undefined) return; // not one of ours (never requested here)
    this.journal.step(payment.reference, 'payment-read', {
      state: payment.state,
      aggregate: payment.aggregate,
      pspReference: payment.pspReference,
    });
    this.closeIfSettled(payment.reference, settlementOf(payment));
  }
}
