import { createHash } from 'node:crypto';
import { REFERENCE_PATTERN } from '../../vipps/request-rules.js';

// Kept short so `<reference>-<operation>` idempotency keys stay under Vipps' 50 characters readably.
const MAX_KIOSK_PART = 24;
const DIGEST_LENGTH = 8;

export class InvalidKioskIdError extends Error {
  override readonly name = 'InvalidKioskIdError';
  readonly kioskId: string;

  constructor(kioskId: string) {
    super(
      `Kiosk id ${JSON.stringify(kioskId)} cannot name payments: it needs at least one letter or digit ` +
        '(a-z, A-Z, 0-9); fix the kiosk id in the config',
    );
    this.kioskId = kioskId;
  }
}

export class InvalidPaymentReferenceError extends Error {
  override readonly name = 'InvalidPaymentReferenceError';

  constructor(problem: string) {
    super(`Cannot make a payment reference: ${problem}`);
  }
}

/**
 * The kiosk id as it appears in payment references: letters, digits and single dashes. Norwegian and
 * accented letters are spelled in ASCII so `Bergen-Sø` and `Bergen-S` stay apart. A reference must
 * not start with a digit (systems that read it as a number drop leading zeros), so a numeric id gets
 * a `k` in front. An id too long to fit is cut and given a digest of the whole id, so two long ids
 * that share a beginning still give different references.
 */
export function kioskReferencePart(kioskId: string): string {
  const ascii = kioskId
    .replace(/[æÆøØ]/g, (c) => ({ æ: 'ae', Æ: 'AE', ø: 'o', Ø: 'O' })[c] ?? c)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
  const cleaned = ascii.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (cleaned === '') throw new InvalidKioskIdError(kioskId);
  const lettered = /^[a-zA-Z]/.test(cleaned) ? cleaned : `k${cleaned}`;
  if (lettered.length <= MAX_KIOSK_PART) return lettered;
  const digest = createHash('sha256').update(kioskId).digest('hex').slice(0, DIGEST_LENGTH);
  const kept = lettered.slice(0, MAX_KIOSK_PART - DIGEST_LENGTH - 1).replace(/-+$/, '');
  return `${kept}-${digest}`;
}

/**
 * `<kiosk>-<receipt number>-<attempt>`, e.g. `kiosk7-0000000042-1`. The receipt number makes it unique
 * on the kiosk and the kiosk id across the merchant's kiosks; each new payment attempt for the same
 * basket (after a decline) counts the attempt up, because Vipps never reuses a reference.
 */
export function paymentReference(kioskId: string, receiptNumber: string, attempt: number): string {
  if (!/^\d+$/.test(receiptNumber)) {
    throw new InvalidPaymentReferenceError(
      `receipt number ${JSON.stringify(receiptNumber)} is not all digits`,
    );
  }
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new InvalidPaymentReferenceError(`attempt ${attempt} is not a whole number from 1`);
  }
  const reference = `${kioskReferencePart(kioskId)}-${receiptNumber}-${attempt}`;
  if (!REFERENCE_PATTERN.test(reference)) {
    throw new InvalidPaymentReferenceError(
      `"${reference}" does not fit Vipps' rule of 8–64 characters from a-z, A-Z, 0-9 and -`,
    );
  }
  return reference;
}
