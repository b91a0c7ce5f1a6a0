import { z } from 'zod';
import { isPlausibleMsisdn } from './phone-numbers.js';
import { type Intent, LANGUAGES, THEMES } from './screen-model.js';

// What arrives over the socket is untrusted: anything that is not exactly an Intent is refused.
const gtin = z.string().regex(/^\d{8,14}$/);
// The keypad's own rule: the daemon takes exactly the numbers the keypad would let the customer send.
const msisdn = z.string().refine(isPlausibleMsisdn, 'not a mobile number of a Vipps MobilePay country');

// A PIN is 4–8 digits; a receipt number is what a receipt prints (digits, maybe a prefix and dashes).
const staffAction = z.discriminatedUnion('do', [
  z.strictObject({ do: z.literal('pin'), pin: z.string().regex(/^\d{4,8}$/) }),
  z.strictObject({ do: z.literal('menu') }),
  z.strictObject({ do: z.literal('report'), kind: z.enum(['x', 'z']) }),
  z.strictObject({ do: z.literal('copy') }),
  z.strictObject({ do: z.literal('training'), on: z.boolean() }),
  z.strictObject({ do: z.literal('out-of-order'), on: z.boolean() }),
  z.strictObject({ do: z.literal('return') }),
  z.strictObject({ do: z.literal('return-find'), receiptNumber: z.string().regex(/^[A-Za-z0-9-]{1,40}$/) }),
  z.strictObject({
    do: z.literal('return-confirm'),
    lines: z
      .array(
        z.strictObject({
          index: z.number().int().min(0).max(999),
          quantity: z.number().int().min(1).max(99),
        }),
      )
      .min(1)
      .max(100),
  }),
  z.strictObject({ do: z.literal('log-out') }),
]);

export const intentSchema: z.ZodType<Intent> = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('pay') }),
  z.strictObject({ type: z.literal('pay-phone'), msisdn }),
  z.strictObject({ type: z.literal('pay-qr') }),
  z.strictObject({ type: z.literal('back') }),
  z.strictObject({ type: z.literal('cancel') }),
  z.strictObject({ type: z.literal('set-quantity'), gtin, quantity: z.number().int().min(1).max(99) }),
  z.strictObject({ type: z.literal('remove-line'), gtin }),
  z.strictObject({ type: z.literal('start-over') }),
  z.strictObject({ type: z.literal('still-here') }),
  z.strictObject({ type: z.literal('try-again') }),
  z.strictObject({ type: z.literal('done') }),
  z.strictObject({ type: z.literal('language'), language: z.enum(LANGUAGES) }),
  z.strictObject({ type: z.literal('theme'), theme: z.enum(THEMES) }),
  z.strictObject({ type: z.literal('join-club') }),
  z.strictObject({ type: z.literal('skip-club') }),
  z.strictObject({ type: z.literal('scan'), text: z.string().max(4096) }),
  z.strictObject({ type: z.literal('staff'), action: staffAction }),
]);
