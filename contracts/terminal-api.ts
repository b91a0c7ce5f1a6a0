import { z } from 'zod';
import { isPlausibleMsisdn } from './phone-numbers.js';

// The terminal API (attended mode): what a store's POS sends the kiosk and what it gets back, shared by
// the kiosk's server (device/terminal/), the typed client (pos/client/) and the cashier screen.
// terminal-api.yaml is the same contract as OpenAPI for POS vendors; a test checks real answers against it.

export const TERMINAL_BASE_PATH = '/terminal/v1';

/** The POS's own id of the sale: its idempotency key, and how it finds the transaction again. */
export const posTransactionIdShape = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, {
  error: 'expected 1–64 letters, digits, ".", "_", ":" or "-"',
});

const msisdnShape = z.string().refine(isPlausibleMsisdn, {
  error: 'not a mobile number of a Vipps MobilePay country (country code and number, digits only)',
});

export const currencyShape = z.enum(['NOK', 'DKK', 'EUR']);

/** Minor units (øre/cents); Vipps takes at most 650 000.00 per payment. */
export const amountShape = z.strictObject({
  value: z.number().int().min(1).max(65_000_000),
  currency: currencyShape,
});

/**
 * One line as the POS rang it up, VAT included. `unitPrice` is what one unit costs after any discount the
 * POS gave; `vatRate` is in basis points (2500 = 25 %) and must be a rate of the kiosk's market.
 */
export const posLineShape = z.strictObject({
  id: z.string().min(1).max(40),
  name: z.string().min(1).max(100),
  quantity: z.number().int().min(1).max(99),
  unitPrice: z.number().int().min(0).max(65_000_000),
  vatRate: z.number().int().min(0).max(10_000),
});

/** Who pays, when the cashier's scanner read the customer's personal QR or the cashier typed their number. */
export const posCustomerShape = z.union([
  z.strictObject({ personalQr: z.string().min(1).max(4096) }),
  z.strictObject({ phoneNumber: msisdnShape }),
]);

export const paymentRequestShape = z.strictObject({
  posTransactionId: posTransactionIdShape,
  amount: amountShape,
  lines: z.array(posLineShape).min(1).max(100),
  customer: posCustomerShape.optional(),
});

export const refundRequestShape = z.strictObject({
  refundId: posTransactionIdShape,
  /** Minor units, at most what was captured and not refunded yet. */
  amount: amountShape,
});

export type PosLine = z.infer<typeof posLineShape>;
export type PosCustomer = z.infer<typeof posCustomerShape>;
export type PaymentRequest = z.infer<typeof paymentRequestShape>;
export type RefundRequest = z.infer<typeof refundRequestShape>;
export type Amount = z.infer<typeof amountShape>;

/**
 * Where a POS payment stands:
 * - waiting-for-customer  on the customer display, waiting for their personal QR on the kiosk's scanner
 * - requesting            the push request is being made at Vipps
 * - awaiting-approval     the request is on the customer's phone
 * - capturing             approved; the kiosk is capturing it
 * - completed             captured: the POS registers the sale (final)
 * - declined              the customer said no, let it run out, or Vipps refused it (final)
 * - aborted               the POS or the customer cancelled before approval; nothing is reserved (final)
 * - failed                the kiosk could not reach Vipps or the session ended; nothing was charged (final)
 * - unknown               the kiosk restarted mid-payment: recovery settles it; ask again later
 */
export const TRANSACTION_STATUSES = [
  'waiting-for-customer',
  'requesting',
  'awaiting-approval',
  'capturing',
  'completed',
  'declined',
  'aborted',
  'failed',
  'unknown',
] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

export const FINAL_STATUSES: readonly TransactionStatus[] = ['completed', 'declined', 'aborted', 'failed'];

export function isFinalStatus(status: TransactionStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export type TransactionDeclineReason =
  | 'rejected'
  | 'expired'
  | 'cancelled'
  | 'unknown-customer'
  | 'invalid-customer'
  | 'refused';

export interface Transaction {
  posTransactionId: string;
  status: TransactionStatus;
  amount: Amount;
  /** The Vipps payment reference, once the kiosk has made one; what Vipps' portal and settlements show. */
  reference: string | null;
  lines: PosLine[];
  /** Why, when `declined`. */
  declineReason?: TransactionDeclineReason;
  /** Who was asked to pay: the masked phone number ("47******67") when known, never the full one. */
  customer: { maskedPhoneNumber: string | null } | null;
  /** What has been refunded of it so far, minor units. */
  refunded: number;
  /** ISO 8601. */
  updatedAt: string;
}

export type RefundStatus = 'refunded' | 'pending' | 'refused';

export interface Refund {
  refundId: string;
  posTransactionId: string;
  amount: Amount;
  /** `pending`: Vipps' answer was lost; the kiosk retries it under the same key (ask again). */
  status: RefundStatus;
  updatedAt: string;
  /** When `refused`: why, in words for the cashier, with Vipps' code, HTTP status and traceId if it sent them. */
  refusal?: RefundRefusal;
}

export interface RefundRefusal {
  message: string;
  code: string | null;
  status: number | null;
  traceId: string | null;
}

export interface MemberAnswer {
  member: boolean;
  /** When they joined, ISO 8601; absent for a non-member. */
  memberSince?: string;
}

/** The cashier's "Enrol in the club": a Vipps Login push (CIBA) to this number, under the POS's own id. */
export const enrolmentRequestShape = z.strictObject({
  enrolmentId: posTransactionIdShape,
  phoneNumber: msisdnShape,
});
export type EnrolmentRequest = z.infer<typeof enrolmentRequestShape>;

/**
 * Where an enrolment started by the POS stands:
 * - waiting-for-customer  the login request is (being) sent to the phone; the binding code is on the
 *                         customer display and in `bindingMessage`
 * - joined                a member now (or was already: `alreadyMember`), member prices apply (final)
 * - declined              the customer said no in the app (final)
 * - timeout               the customer did not answer before the login request ran out (final)
 * - unavailable           Vipps Login or the club could not be reached; price without the club (final)
 * - approval-lost         approved in the app, but the approval was lost on its way: not a member (final)
 * - aborted               the POS aborted, the customer left the consent screen, or the kiosk restarted
 *                         (`abortedBy`); a request still in the app can only be declined there (final)
 */
export const ENROLMENT_STATUSES = [
  'waiting-for-customer',
  'joined',
  'declined',
  'timeout',
  'unavailable',
  'approval-lost',
  'aborted',
] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];

export function isFinalEnrolmentStatus(status: EnrolmentStatus): boolean {
  return status !== 'waiting-for-customer';
}

export interface Enrolment {
  enrolmentId: string;
  status: EnrolmentStatus;
  /** The masked number ("47******67"), never the full one. */
  maskedPhoneNumber: string;
  /** The code the app and the customer display show side by side; while waiting for the customer. */
  bindingMessage?: string;
  /** When they joined, ISO 8601; when `joined`. */
  memberSince?: string;
  /** `joined` without a login request: the club already knew the number. */
  alreadyMember?: boolean;
  /** Who ended it, when `aborted`. */
  abortedBy?: 'pos' | 'customer' | 'restart';
  /** ISO 8601. */
  updatedAt: string;
}

/** What every refusal of the terminal API says, as application/problem+json. */
export const PROBLEM_CODES = [
  'unauthorized',
  'invalid-request',
  'wrong-total',
  'wrong-vat',
  'wrong-currency',
  'different-body',
  'busy',
  'too-late',
  'not-found',
  'not-refundable',
  'refund-too-large',
  'no-club',
  'club-unavailable',
  'out-of-order',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  /** The JSON path of the field at fault, for 422, e.g. "lines.1.vatRate". */
  field?: string;
  /** For 409 busy: the POS transaction that runs now. */
  runningPosTransactionId?: string;
  /** For 409 busy: the club enrolment that runs now. */
  runningEnrolmentId?: string;
  /** For 409 too-late: the transaction as it now stands (completing, or completed). */
  transaction?: Transaction;
}

export const PROBLEM_TYPE_BASE = 'https://vipps-kiosk.dev/problems/';

/** Long-poll limit: a GET with waitForChangeFrom answers after at most this many seconds. */
export const MAX_WAIT_SECONDS = 60;

/**
 * What `vipps-kiosk pos pair` prints as text and QR, for a POS to read in one go: the terminal's URL, the
 * SHA-256 fingerprint of its certificate (absent on 127.0.0.1, plain HTTP) and the token.
 */
export interface PairingCode {
  url: string;
  fingerprint: string | null;
  token: string;
}

const PAIRING_PREFIX = 'vipps-kiosk-pos:pair?';

export function pairingCodeText(code: PairingCode): string {
  const query = new URLSearchParams({ url: code.url, token: code.token });
  if (code.fingerprint !== null) query.set('fingerprint', code.fingerprint);
  return `${PAIRING_PREFIX}${query}`;
}

/** The code read back; undefined for text that is not one. */
export function parsePairingCode(text: string): PairingCode | undefined {
  if (!text.startsWith(PAIRING_PREFIX)) return undefined;
  const query = new URLSearchParams(text.slice(PAIRING_PREFIX.length));
  const url = query.get('url');
  const token = query.get('token');
  if (url === null || token === null || !/^[0-9a-f]{64}$/.test(token)) return undefined;
  return { url, token, fingerprint: query.get('fingerprint') };
}
