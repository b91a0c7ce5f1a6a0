import { z } from 'zod';
import { checkAnswer } from './answer-shapes.js';
import type { BearerTokenSource, VippsHttp } from './http.js';

/** The ePayment events a kiosk's relay needs: the four that end a wait, and two for reconciliation. */
export const KIOSK_WEBHOOK_EVENTS = [
  'epayments.payment.authorized.v1',
  'epayments.payment.aborted.v1',
  'epayments.payment.expired.v1',
  'epayments.payment.terminated.v1',
  'epayments.payment.captured.v1',
  'epayments.payment.cancelled.v1',
] as const;

export interface WebhookRegistration {
  id: string;
  url: string;
  events: string[];
}

const registeredShape = z.looseObject({ id: z.string().min(1), secret: z.string().min(1) });
const listShape = z.looseObject({
  webhooks: z.array(z.looseObject({ id: z.string(), url: z.string(), events: z.array(z.string()) })),
});

/**
 * Webhooks API v1 for the sales unit of the client's keys (API.md §5.1). The secret of a registration is
 * in the answer to `register` only: whoever calls it must store it before anything else.
 */
export class WebhooksApi {
  constructor(
    private readonly http: VippsHttp,
    private readonly token: BearerTokenSource,
    private readonly timeoutMs: number,
  ) {}

  async register(url: string, events: readonly string[]): Promise<{ id: string; secret: string }> {
    const operation = { name: 'register webhook' };
    const answer = await this.http.send<unknown>({
      operation,
      method: 'POST',
      path: '/webhooks/v1/webhooks',
      body: { url, events },
      timeoutMs: this.timeoutMs,
      // No Idempotency-Key exists here: a repeat could register a second webhook whose secret nobody
      // keeps, so one attempt, and a lost answer is reported as unknown.
      mutating: true,
      once: true,
      bearer: this.token,
    });
    const { id, secret } = checkAnswer<{ id: string; secret: string }>(
      registeredShape,
      answer,
      operation,
      true,
    );
    return { id, secret };
  }

  async list(): Promise<WebhookRegistration[]> {
    const operation = { name: 'list webhooks' };
    const answer = await this.http.send<unknown>({
      operation,
      method: 'GET',
      path: '/webhooks/v1/webhooks',
      timeoutMs: this.timeoutMs,
      mutating: false,
      bearer: this.token,
    });
    return checkAnswer<{ webhooks: WebhookRegistration[] }>(listShape, answer, operation, false).webhooks.map(
      ({ id, url, events }) => ({ id, url, events }),
    );
  }

  async delete(id: string): Promise<void> {
    await this.http.send<unknown>({
      operation: { name: `delete webhook ${id}` },
      method: 'DELETE',
      path: `/webhooks/v1/webhooks/${encodeURIComponent(id)}`,
      timeoutMs: this.timeoutMs,
      mutating: true,
      bearer: this.token,
    });
  }
}
