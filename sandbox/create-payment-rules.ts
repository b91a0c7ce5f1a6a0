// What makes a createPayment body acceptable (ePayment 1.7.0 CreatePaymentRequest, API.md §0.2 and §3.1),
// with the codes Vipps answers when a rule is broken. First the shape of every field; then the rules that
// need several fields, the sales unit's setup (its market, currencies and approvals) or the test users.

import type { CustomerDirectory } from './customers.js';
import {
  dictionary,
  flag,
  type Infer,
  type Issue,
  integer,
  list,
  nullable,
  object,
  oneOf,
  optional,
  present,
  refine,
  required,
  type Shape,
  text,
} from './json-shape.js';
import { CURRENCIES, type Currency } from './payments.js';
import { domainProblem, invalidRequest } from './problem.js';
import type { SalesUnit } from './sales-units.js';

// No sales unit is approved for long-living payments, and card payments are not in the test environment.
const MINIMUM_AMOUNT: Readonly<Record<Currency, number>> = { NOK: 100, DKK: 1, EUR: 1 };
const MAXIMUM_AMOUNT = 65_000_000;

export const REFERENCE_PATTERN = /^[a-zA-Z0-9-]{8,64}$/;
const MSISDN_PATTERN = /^\d{10,15}$/;
const RFC3339_PATTERN = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const QUANTITY_PATTERN = /^\d+([.]\d{1,8})?$/;
const PROFILE_SCOPES = ['name', 'address', 'email', 'phoneNumber', 'birthDate', 'nin'];

/** Amounts are integer minor units; a fraction is a rounding bug in the client (4040). */
export function amountShape(minimum: number) {
  return object({
    currency: required(oneOf(CURRENCIES)),
    value: required(integer({ min: minimum, max: MAXIMUM_AMOUNT, fractionErrorCode: '4040' })),
  });
}

export const customerPhoneShape = text({ pattern: MSISDN_PATTERN, errorCode: '4070' });

/** `returnUrl` and `receiptUrl` must be https:// or a custom app scheme; plain http:// is refused (4090). */
function appUrl(): Shape<string> {
  return refine(text(), (value, field) =>
    isAppUrl(value)
      ? undefined
      : { field, reason: 'must be an https:// URL or a custom URL scheme', errorCode: '4090' },
  );
}

function isAppUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return url.hostname !== '';
  return url.protocol !== 'http:' && /^[a-z][a-z0-9+.-]*:\/\/./i.test(value);
}

const customerShape = refine(
  object({
    phoneNumber: optional(customerPhoneShape),
    personalQr: optional(text({ minLength: 5, maxLength: 255, errorCode: '4060' })),
    customerToken: optional(text({ minLength: 1, errorCode: '4050' })),
  }),
  (customer, field) =>
    Object.keys(customer).length === 1
      ? undefined
      : { field, reason: 'must hold exactly one of phoneNumber, personalQr or customerToken' },
);

const profileScopeShape = refine(text(), (scope, field) =>
  scope.split(' ').every((part) => PROFILE_SCOPES.includes(part))
    ? undefined
    : {
        field,
        reason: `must be space-separated values from ${PROFILE_SCOPES.join(', ')}`,
        errorCode: '4080',
      },
);

// Only an over-long value has its own code; a value that is not a string is a plain validation error.
const metadataValueShape = refine(text(), (value, field) =>
  Array.from(value).length > 500
    ? { field, reason: 'must be at most 500 characters', errorCode: '4130' }
    : undefined,
);

const orderLineShape = refine(
  object({
    name: required(text({ minLength: 1 })),
    id: required(text({ minLength: 1 })),
    totalAmount: required(integer()),
    totalAmountExcludingTax: required(integer()),
    totalTaxAmount: required(integer()),
    taxRate: nullable(integer({ min: 0, max: 10_000 })),
    taxPercentage: nullable(integer({ min: 0, max: 100 })),
    unitInfo: optional(
      object({
        // Required (but nullable) in the 1.7.0 spec: a line that gives a quantity says its unit price.
        unitPrice: present(integer({ min: 0 })),
        quantity: required(text({ maxLength: 10, pattern: QUANTITY_PATTERN })),
        quantityUnit: nullable(oneOf(['PCS', 'KG', 'KM', 'MINUTE', 'LITRE', 'KWH'])),
      }),
    ),
    discount: nullable(integer({ min: 0 })),
    productUrl: nullable(text()),
    isReturn: nullable(flag()),
    isShipping: nullable(flag()),
  }),
  (line, field): Issue | undefined => {
    if (line.taxRate === undefined && line.taxPercentage === undefined) {
      return { field: `${field}.taxRate`, reason: 'or taxPercentage must be set' };
    }
    const sum = line.totalAmountExcludingTax + line.totalTaxAmount;
    if (sum !== line.totalAmount) {
      return {
        field: `${field}.totalAmount`,
        reason: `must equal totalAmountExcludingTax + totalTaxAmount (${sum})`,
      };
    }
    return undefined;
  },
);

const nonNegative = () => nullable(integer({ min: 0 }));

const bottomLineShape = object({
  currency: required(oneOf(CURRENCIES)),
  tipAmount: nonNegative(),
  posId: nullable(text()),
  receiptNumber: nullable(text()),
  paymentSources: nullable(
    object({
      giftCard: nullable(integer()),
      card: nullable(integer()),
      voucher: nullable(integer()),
      cash: nullable(integer()),
    }),
  ),
  barcode: nullable(
    object({ format: required(oneOf(['EAN-13', 'CODE 39', 'CODE 128'])), data: nullable(text()) }),
  ),
  // Deprecated in 1.7.0 but still accepted by the spec.
  giftCardAmount: nonNegative(),
  totalAmount: nullable(integer()),
  totalTax: nonNegative(),
  totalDiscount: nonNegative(),
  shippingAmount: nonNegative(),
  shippingInfo: nullable(
    object({
      amount: nonNegative(),
      amountExcludingTax: nonNegative(),
      taxAmount: nonNegative(),
      taxPercentage: nullable(integer({ min: 0, max: 100 })),
    }),
  ),
  terminalId: nullable(text()),
});

const createPaymentShape = object({
  amount: required(amountShape(0)),
  paymentMethod: required(
    object({
      type: required(oneOf(['WALLET', 'CARD'])),
      blockedSources: optional(list(oneOf(['COMMERCIAL_CARDS']))),
    }),
  ),
  reference: required(text({ pattern: REFERENCE_PATTERN })),
  userFlow: required(oneOf(['PUSH_MESSAGE', 'NATIVE_REDIRECT', 'WEB_REDIRECT', 'QR'])),
  customer: optional(customerShape),
  customerInteraction: optional(oneOf(['CUSTOMER_PRESENT', 'CUSTOMER_NOT_PRESENT'])),
  paymentDescription: optional(text({ minLength: 3, maxLength: 100 })),
  returnUrl: optional(appUrl()),
  receiptUrl: nullable(appUrl()),
  receipt: optional(
    object({
      orderLines: required(list(orderLineShape, { minItems: 1 })),
      bottomLine: required(bottomLineShape),
    }),
  ),
  metadata: nullable(
    dictionary(metadataValueShape, {
      maxEntries: 5,
      entriesErrorCode: '4100',
      maxKeyLength: 100,
      keyErrorCode: '4120',
    }),
  ),
  minimumUserAge: nullable(integer({ min: 0, max: 100 })),
  profile: optional(object({ scope: optional(profileScopeShape) })),
  expiresAt: nullable(text({ pattern: RFC3339_PATTERN })),
  qrFormat: nullable(
    object({
      format: required(oneOf(['TEXT/TARGETURL', 'IMAGE/SVG+XML', 'IMAGE/PNG'])),
      size: nullable(integer({ min: 100, max: 2000 })),
    }),
  ),
  industryData: optional(
    object({
      airlineData: optional(
        object({
          agencyInvoiceNumber: required(text({ minLength: 1, maxLength: 6 })),
          airlineCode: required(text({ minLength: 3, maxLength: 3 })),
          airlineDesignatorCode: required(text({ minLength: 2, maxLength: 2 })),
          passengerName: required(text({ minLength: 1, maxLength: 49 })),
          ticketNumber: optional(text({ minLength: 1, maxLength: 150 })),
        }),
      ),
    }),
  ),
});

export type CreatePaymentBody = Infer<typeof createPaymentShape>;

export interface AcceptedPayment {
  readonly body: CreatePaymentBody;
  /** The test customer the push goes to; null for flows that let anyone pay (landing page, QR). */
  readonly customerMsisdn: string | null;
}

function invalid(field: string, reason: string): Error {
  return invalidRequest([{ field, reason }]);
}

/** Accepts the body or throws the ProblemError Vipps would answer with. */
export function acceptCreatePayment(
  raw: unknown,
  customers: CustomerDirectory,
  salesUnit: SalesUnit,
): AcceptedPayment {
  const issues: Issue[] = [];
  const body = createPaymentShape.read(raw, '', issues);
  if (body === undefined) throw invalidRequest(issues);
  checkMerchantSetup(body, salesUnit);
  checkUserFlow(body);
  checkReceipt(body);
  return { body, customerMsisdn: resolveCustomer(body, customers, salesUnit) };
}

function checkMerchantSetup(body: CreatePaymentBody, salesUnit: SalesUnit): void {
  const { currency, value } = body.amount;
  if (!salesUnit.currencies.includes(currency)) {
    const taken = salesUnit.currencies.join(', ') || 'no currency';
    throw domainProblem('5040', `This sales unit takes ${taken}, not ${currency}.`);
  }
  if (body.userFlow === 'PUSH_MESSAGE' && !salesUnit.pushMessage) {
    throw domainProblem(
      '5080',
      'PUSH_MESSAGE is not allowed: the sales unit needs approval to skip the landing page.',
      { status: 403 },
    );
  }
  if (value < MINIMUM_AMOUNT[currency]) {
    throw domainProblem(
      '6010',
      `The smallest ${currency} payment is ${MINIMUM_AMOUNT[currency]} minor units.`,
    );
  }
  if (body.paymentMethod.type === 'CARD') {
    throw invalid('paymentMethod.type', 'CARD is not available in the test environment; use WALLET');
  }
  if (body.paymentMethod.blockedSources !== undefined) {
    throw domainProblem('5010', 'Blocking payment sources is only for Danish and Finnish sales units.');
  }
  if (body.expiresAt !== undefined) {
    throw domainProblem('5050', 'This sales unit is not approved for long-living payments (expiresAt).');
  }
}

function checkUserFlow(body: CreatePaymentBody): void {
  if (body.userFlow === 'PUSH_MESSAGE' && body.customer === undefined) {
    throw domainProblem('4140', 'userFlow PUSH_MESSAGE needs customer: whom should the push go to?');
  }
  if (body.userFlow === 'WEB_REDIRECT' && body.returnUrl === undefined) {
    throw domainProblem('4140', 'userFlow WEB_REDIRECT needs returnUrl.');
  }
  if (body.qrFormat !== undefined && body.userFlow !== 'QR') {
    throw invalid('qrFormat', 'is only for userFlow QR');
  }
  // Whoever scans the one-time QR pays; the spec names no customer for this flow (stricter here, see README).
  if (body.userFlow === 'QR' && body.customer !== undefined) {
    throw invalid('customer', 'is not used with userFlow QR: whoever scans the code pays');
  }
}

function checkReceipt(body: CreatePaymentBody): void {
  if (body.receipt === undefined) return;
  const { orderLines, bottomLine } = body.receipt;
  if (bottomLine.currency !== body.amount.currency) {
    throw invalid('receipt.bottomLine.currency', `must be ${body.amount.currency}, the payment's currency`);
  }
  // Returned items count negative and a tip comes on top: what the lines say must be what is charged.
  const linesTotal = orderLines.reduce(
    (sum, line) => sum + (line.isReturn ? -line.totalAmount : line.totalAmount),
    0,
  );
  const charged = linesTotal + (bottomLine.tipAmount ?? 0);
  if (charged !== body.amount.value) {
    throw invalid('receipt.orderLines', `add up to ${charged}, but amount.value is ${body.amount.value}`);
  }
}

/** Test users belong to their sales unit's market (API.md §9); others cannot be reached from it. */
function resolveCustomer(
  body: CreatePaymentBody,
  customers: CustomerDirectory,
  salesUnit: SalesUnit,
): string | null {
  const customer = body.customer;
  if (customer === undefined) return null;
  if (customer.phoneNumber !== undefined) {
    const found = customers.byMsisdn(customer.phoneNumber);
    // Vipps gives one answer for "no such user", "cannot pay businesses" and "too young" alike.
    if (found === undefined || found.market !== salesUnit.market) {
      throw domainProblem('7010', 'No customer can be reached at that phone number.');
    }
    return found.msisdn;
  }
  if (customer.personalQr !== undefined) {
    const match = customers.byPersonalQr(customer.personalQr);
    if (match === undefined) {
      throw domainProblem('4060', 'personalQr is not the complete content of a known personal QR code.');
    }
    if (match.customer.market !== salesUnit.market) {
      throw domainProblem('7010', 'The customer of that personal QR code cannot pay this sales unit.');
    }
    return match.customer.msisdn;
  }
  throw domainProblem('4050', 'The sandbox issues no customer tokens, so none is valid.');
}
