import type { z } from 'zod';
import type {
  Amount,
  CreatePaymentRequest,
  CreatePaymentResponse,
  GetPaymentResponse,
  ModificationResponse,
  PaymentEvent,
} from '../../contracts/vipps-types.js';
import {
  checkAnswer,
  createdShape,
  eventsShape,
  modificationShape,
  paymentShape,
  qrCreatedShape,
} from './answer-shapes.js';
import type { VippsOperation } from './errors.js';
import type { BearerTokenSource, VippsHttp } from './http.js';
import { checkAmount, checkCreatePayment, checkIdempotencyKey, checkReference } from './request-rules.js';

export interface EPaymentTimeouts {
  /** Creating a payment sends a push to the phone; Vipps may take a few seconds. */
  createMs: number;
  readMs: number;
  modifyMs: number;
}

/**
 * ePayment v1. Every money-moving call takes an Idempotency-Key derived by the caller from the
 * operation, so a retry, here or after a restart, repeats the same operation rather than a new one.
 */
export class EPaymentApi {
  private readonly http: VippsHttp;
  private readonly token: BearerTokenSource;
  private readonly timeouts: EPaymentTimeouts;

  constructor(http: VippsHttp, token: BearerTokenSource, timeouts: EPaymentTimeouts) {
    this.http = http;
    this.token = token;
    this.timeouts = timeouts;
  }

  async createPayment(request: CreatePaymentRequest, idempotencyKey: string): Promise<CreatePaymentResponse> {
    const operation = { name: 'create payment', reference: request.reference };
    checkCreatePayment(operation, request);
    const answer = await this.post(
      operation,
      '/epayment/v1/payments',
      request,
      idempotencyKey,
      this.timeouts.createMs,
    );
    const shape = request.userFlow === 'QR' ? qrCreatedShape : createdShape;
    return checkAnswer<CreatePaymentResponse>(shape, answer, operation, true);
  }

  async getPayment(reference: string): Promise<GetPaymentResponse> {
    return this.read({ name: 'get payment', reference }, '', paymentShape);
  }

  async getEvents(reference: string): Promise<PaymentEvent[]> {
    return this.read({ name: 'get payment events', reference }, '/events', eventsShape);
  }

  async capture(reference: string, amount: Amount, idempotencyKey: string): Promise<ModificationResponse> {
    return this.modify('capture', reference, { modificationAmount: amount }, idempotencyKey);
  }

  async refund(reference: string, amount: Amount, idempotencyKey: string): Promise<ModificationResponse> {
    return this.modify('refund', reference, { modificationAmount: amount }, idempotencyKey);
  }

  /**
   * With `cancelTransactionOnly` Vipps cancels only a payment not yet authorized and answers 6060
   * otherwise, so a customer's "cancel" can never release money that was approved a moment ago.
   */
  async cancel(
    reference: string,
    options: { cancelTransactionOnly: boolean },
    idempotencyKey: string,
  ): Promise<ModificationResponse> {
    return this.modify('cancel', reference, options, idempotencyKey);
  }

  private async modify(
    action: 'capture' | 'refund' | 'cancel',
    reference: string,
    body: { modificationAmount: Amount } | { cancelTransactionOnly: boolean },
    idempotencyKey: string,
  ): Promise<ModificationResponse> {
    const operation = { name: action, reference };
    checkReference(operation, reference);
    if ('modificationAmount' in body)
      checkAmount(operation, 'modificationAmount', body.modificationAmount, 1);
    const path = `/epayment/v1/payments/${encodeURIComponent(reference)}/${action}`;
    const answer = await this.post(operation, path, body, idempotencyKey, this.timeouts.modifyMs);
    return checkAnswer<ModificationResponse>(modificationShape, answer, operation, true);
  }

  private async post(
    operation: VippsOperation,
    path: string,
    body: unknown,
    idempotencyKey: string,
    timeoutMs: number,
  ): Promise<unknown> {
    checkIdempotencyKey(operation, idempotencyKey);
    return this.http.send<unknown>({
      operation,
      method: 'POST',
      path,
      body,
      idempotencyKey,
      timeoutMs,
      mutating: true,
      bearer: this.token,
    });
  }

  private async read<T>(
    operation: VippsOperation & { reference: string },
    suffix: string,
    shape: z.ZodType,
  ): Promise<T> {
    checkReference(operation, operation.reference);
    const answer = await this.http.send<unknown>({
      operation,
      method: 'GET',
      path: `/epayment/v1/payments/${encodeURIComponent(operation.reference)}${suffix}`,
      timeoutMs: this.timeouts.readMs,
      mutating: false,
      bearer: this.token,
    });
    return checkAnswer<T>(shape, answer, operation, false);
  }
}
