import { z } from 'zod';
import type { VippsOperation } from './errors.js';
import { VippsUnavailableError } from './errors.js';

// What a 2xx from ePayment must look like before the checkout acts on it. A body that parses but is
// not this (a proxy's `{}`, a field of the wrong type) is treated like a lost answer: for a call that
// moves money its outcome is unknown, and the caller reads the payment back.

const amount = z.looseObject({ currency: z.enum(['NOK', 'DKK', 'EUR']), value: z.number().int().min(0) });
const aggregate = z.looseObject({
  authorizedAmount: amount,
  cancelledAmount: amount,
  capturedAmount: amount,
  refundedAmount: amount,
});
const state = z.enum(['CREATED', 'ABORTED', 'EXPIRED', 'AUTHORIZED', 'TERMINATED']);

export const createdShape = z.looseObject({ reference: z.string().min(1) });
/** A QR payment's create must say what to show: without `redirectUrl` nobody can scan it. */
export const qrCreatedShape = z.looseObject({ reference: z.string().min(1), redirectUrl: z.string().min(1) });
export const paymentShape = z.looseObject({ reference: z.string().min(1), state, amount, aggregate });
export const modificationShape = z.looseObject({ reference: z.string().min(1), state, amount, aggregate });
export const eventsShape = z.array(
  z.looseObject({
    reference: z.string(),
    name: z.string(),
    amount,
    timestamp: z.string(),
    success: z.boolean(),
  }),
);
export const qrExchangeShape = z.looseObject({ msisdn: z.string().regex(/^\d{8,15}$/), version: z.string() });

export function checkAnswer<T>(
  shape: z.ZodType,
  answer: unknown,
  operation: VippsOperation,
  mutating: boolean,
): T {
  const result = shape.safeParse(answer);
  if (result.success) return answer as T;
  const where = result.error.issues[0];
  const field = where?.path.length ? where.path.join('.') : 'the body';
  throw new VippsUnavailableError(
    operation,
    `Vipps answered 2xx with a body we cannot use (${field}: ${where?.message})`,
    {
      outcomeUnknown: mutating,
      attempts: 1,
    },
  );
}
