import { createHash } from 'node:crypto';
import { z } from 'zod';
import { vippsPaymentTopic } from './topics.js';
import { PAYMENT_EVENT_NAMES } from './vipps-types.js';

// What Vipps posts for an ePayment event (API.md §5.3), and what the relay publishes for it: the same
// minus anything about the customer (`userDetails`, `profile`) and minus `pspReference` (a run of digits
// the kiosks' no-phone-number rule would trip on, and the kiosk re-reads the payment anyway), plus an
// `id` made from reference + name + pspReference, the same on every replica for the same event.

export const webhookEventShape = z.looseObject({
  msn: z.string().regex(/^[0-9]{4,7}$/),
  reference: z.string().regex(/^[a-zA-Z0-9-]{8,64}$/),
  pspReference: z.string().min(1).max(128),
  name: z.enum(PAYMENT_EVENT_NAMES),
  // Loose: a field Vipps adds inside `amount` must not make a genuine event unusable.
  amount: z.looseObject({ currency: z.enum(['NOK', 'DKK', 'EUR']), value: z.number().int().min(0) }),
  timestamp: z.string().min(1).max(64),
  idempotencyKey: z.string().max(128).nullable().optional(),
  success: z.boolean(),
  captureGuaranteedUntil: z.string().max(64).optional(),
});

export type WebhookEvent = z.infer<typeof webhookEventShape>;

/** The payload on `vk/v1/vipps/{msn}/payments/{reference}`: what the kiosk reads. */
export interface RelayedPayment {
  /** Deterministic: the relay's replicas, and the kiosk, de-duplicate on it. */
  id: string;
  msn: string;
  reference: string;
  name: WebhookEvent['name'];
  amount: { currency: WebhookEvent['amount']['currency']; value: number };
  timestamp: string;
  idempotencyKey?: string | null;
  success: boolean;
  captureGuaranteedUntil?: string;
}

/** The kiosk's reading of a relayed payload: lenient, since a later relay may add fields. */
export const relayedPaymentShape = z.looseObject({
  id: z.string(),
  reference: z.string(),
  name: z.string(),
});

export interface RelayedEvent {
  topic: string;
  id: string;
  payload: RelayedPayment;
}

/** The event's identity on reference + name + pspReference (API.md §5.4), as a short opaque string. */
export function eventId(event: Pick<WebhookEvent, 'msn' | 'reference' | 'name' | 'pspReference'>): string {
  return createHash('sha256')
    .update(`${event.msn}\n${event.reference}\n${event.name}\n${event.pspReference}`)
    .digest('base64url')
    .slice(0, 22);
}

export function relayedEvent(event: WebhookEvent): RelayedEvent {
  const id = eventId(event);
  return {
    topic: vippsPaymentTopic(event.msn, event.reference),
    id,
    payload: {
      id,
      msn: event.msn,
      reference: event.reference,
      name: event.name,
      amount: { currency: event.amount.currency, value: event.amount.value },
      timestamp: event.timestamp,
      ...(event.idempotencyKey !== undefined ? { idempotencyKey: event.idempotencyKey } : {}),
      success: event.success,
      ...(event.captureGuaranteedUntil !== undefined
        ? { captureGuaranteedUntil: event.captureGuaranteedUntil }
        : {}),
    },
  };
}
