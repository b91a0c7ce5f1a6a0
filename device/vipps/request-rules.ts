import { createHash } from 'node:crypto';
import type {
  Amount,
  CreatePaymentRequest,
  Currency,
  PushPaymentRequest,
  QrFormat,
  QrPaymentRequest,
} from '../../contracts/vipps-types.js';
import { type VippsOperation, VippsRequestInvalidError } from './errors.js';

// The rules Vipps applies to what we send (API.md §0.2, §3.1). Checking them here means an invalid
// request is refused on the kiosk, with a message that names the field, instead of at Vipps.

export const REFERENCE_PATTERN = /^[a-zA-Z0-9-]{8,64}$/;
const MSISDN_PATTERN = /^\d{10,15}$/;
const QUANTITY_PATTERN = /^\d+([.]\d{1,8})?$/;
const MAX_AMOUNT = 65_000_000;
const MIN_AMOUNT: Record<Currency, number> = { NOK: 100, DKK: 1, EUR: 1 };
export const IDEMPOTENCY_KEY_MAX = 50;
const QR_FORMATS: readonly QrFormat[] = ['TEXT/TARGETURL', 'IMAGE/SVG+XML', 'IMAGE/PNG'];

type Check = (field: string, problem: string, expected: string) => never;

function checker(operation: VippsOperation): Check {
  return (field, problem, expected) => {
    throw new VippsRequestInvalidError(operation, field, problem, expected);
  };
}

export function checkReference(operation: VippsOperation, reference: string): void {
  if (!REFERENCE_PATTERN.test(reference)) {
    checker(operation)('reference', `"${reference}" is not valid`, '8–64 characters of a-z, A-Z, 0-9 and -');
  }
}

export function checkIdempotencyKey(operation: VippsOperation, key: string): void {
  if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX) {
    checker(operation)(
      'Idempotency-Key',
      `has ${key.length} characters`,
      `1–${IDEMPOTENCY_KEY_MAX} characters`,
    );
  }
}

export function checkAmount(operation: VippsOperation, field: string, amount: Amount, minimum: number): void {
  const fail = checker(operation);
  if (!['NOK', 'DKK', 'EUR'].includes(amount.currency)) {
    fail(`${field}.currency`, `is "${amount.currency}"`, 'NOK, DKK or EUR');
  }
  if (!Number.isInteger(amount.value)) {
    fail(`${field}.value`, `is ${amount.value}`, 'an integer number of øre/cents');
  }
  if (amount.value < minimum || amount.value > MAX_AMOUNT) {
    fail(`${field}.value`, `is ${amount.value}`, `between ${minimum} and ${MAX_AMOUNT} minor units`);
  }
}

export function checkCreatePayment(operation: VippsOperation, request: CreatePaymentRequest): void {
  const fail = checker(operation);
  checkReference(operation, request.reference);
  checkAmount(operation, 'amount', request.amount, MIN_AMOUNT[request.amount.currency] ?? 1);

  if (request.userFlow === 'QR') checkQrFlow(operation, request);
  else checkCustomer(operation, request.customer);

  const description = request.paymentDescription;
  if (description.length < 3 || description.length > 100) {
    fail('paymentDescription', `has ${description.length} characters`, '3–100 characters');
  }

  const { orderLines, bottomLine } = request.receipt;
  if (orderLines.length === 0) fail('receipt.orderLines', 'is empty', 'at least one order line');
  if (bottomLine.currency !== request.amount.currency) {
    fail(
      'receipt.bottomLine.currency',
      `is ${bottomLine.currency}`,
      `the payment's currency ${request.amount.currency}`,
    );
  }
  let sum = 0;
  orderLines.forEach((line, i) => {
    const at = `receipt.orderLines[${i}]`;
    for (const key of ['totalAmount', 'totalAmountExcludingTax', 'totalTaxAmount'] as const) {
      if (!Number.isInteger(line[key]) || line[key] < 0)
        fail(`${at}.${key}`, `is ${line[key]}`, 'a whole number ≥ 0');
    }
    if (line.totalAmountExcludingTax + line.totalTaxAmount !== line.totalAmount) {
      fail(at, 'has excl. tax + tax ≠ total', 'totalAmountExcludingTax + totalTaxAmount = totalAmount');
    }
    if (!Number.isInteger(line.taxRate) || line.taxRate < 0 || line.taxRate > 10000) {
      fail(`${at}.taxRate`, `is ${line.taxRate}`, 'hundredths of a percent, 0–10000');
    }
    if (!line.name || !line.id) fail(at, 'lacks a name or id', 'both name and id');
    if (
      line.unitInfo &&
      (!QUANTITY_PATTERN.test(line.unitInfo.quantity) || line.unitInfo.quantity.length > 10)
    ) {
      fail(
        `${at}.unitInfo.quantity`,
        `is "${line.unitInfo.quantity}"`,
        'a decimal string of at most 10 characters',
      );
    }
    sum += line.totalAmount;
  });
  if (sum !== request.amount.value) {
    fail('receipt.orderLines', `sum to ${sum}`, `the payment amount ${request.amount.value}`);
  }

  const metadata = Object.entries(request.metadata ?? {});
  if (metadata.length > 5) fail('metadata', `has ${metadata.length} entries`, 'at most 5');
  for (const [key, value] of metadata) {
    if (key.length > 100 || value.length > 500)
      fail(`metadata.${key}`, 'is too long', 'keys ≤ 100, values ≤ 500 chars');
  }
  if (request.returnUrl !== undefined && /^http:/i.test(request.returnUrl)) {
    fail('returnUrl', 'uses http://', 'an https:// or custom-scheme URL');
  }
}

function checkCustomer(operation: VippsOperation, named: PushPaymentRequest['customer']): void {
  const fail = checker(operation);
  const customer = named as Partial<Record<'phoneNumber' | 'personalQr', unknown>>;
  const ways = ['phoneNumber', 'personalQr'].filter((k) => customer?.[k as 'phoneNumber'] !== undefined);
  if (ways.length !== 1) {
    fail('customer', `names the customer ${ways.length} ways`, 'exactly one of phoneNumber or personalQr');
  }
  if (customer.phoneNumber !== undefined) {
    if (typeof customer.phoneNumber !== 'string' || !MSISDN_PATTERN.test(customer.phoneNumber)) {
      fail('customer.phoneNumber', 'is not an MSISDN', '10–15 digits with country code, no + or spaces');
    }
  }
  if (customer.personalQr !== undefined) {
    const qr = customer.personalQr;
    if (
      typeof qr !== 'string' ||
      qr.length < 5 ||
      qr.length > 255 ||
      !qr.startsWith('https://qr.vipps.no/')
    ) {
      fail(
        'customer.personalQr',
        'is not a scanned personal QR',
        'the whole https://qr.vipps.no/… text, 5–255 chars',
      );
    }
  }
}

/** A one-time payment QR names no customer (whoever scans pays), and asks for a format the spec lists. */
function checkQrFlow(operation: VippsOperation, request: QrPaymentRequest): void {
  const fail = checker(operation);
  if ((request as { customer?: unknown }).customer !== undefined) {
    fail('customer', 'is set on a QR payment', 'no customer: whoever scans the QR pays');
  }
  const { format, size } = request.qrFormat;
  if (!QR_FORMATS.includes(format)) fail('qrFormat.format', `is "${format}"`, QR_FORMATS.join(', '));
  if (size !== undefined && (!Number.isInteger(size) || size < 100 || size > 2000)) {
    fail('qrFormat.size', `is ${size}`, 'whole pixels, 100–2000');
  }
}

/**
 * Idempotency-Key for one operation on one payment, e.g. `kiosk7-0000000042-1-capture-1`. A retry of
 * the same operation derives the same key. A reference too long to fit Vipps' 50 characters is
 * replaced by a digest of it, which is as unique and as repeatable.
 */
export function operationKey(reference: string, operation: string): string {
  const key = `${reference}-${operation}`;
  if (key.length <= IDEMPOTENCY_KEY_MAX) return key;
  const digest = createHash('sha256').update(reference).digest('base64url');
  return `${digest.slice(0, IDEMPOTENCY_KEY_MAX - operation.length - 1)}-${operation}`;
}
