// Wire shapes of the Vipps MobilePay calls the kiosk makes (ePayment v1, QR exchange, access token).
// Field facts come from the ePayment 1.7.0 and QR API specs; see ../shared/vipps/API.md §1–§3.
// Amounts are integer minor units (øre/cents) everywhere.

export type Currency = 'NOK' | 'DKK' | 'EUR';

export interface Amount {
  currency: Currency;
  value: number;
}

export type PaymentState = 'CREATED' | 'ABORTED' | 'EXPIRED' | 'AUTHORIZED' | 'TERMINATED';

export const PAYMENT_EVENT_NAMES = [
  'CREATED',
  'ABORTED',
  'EXPIRED',
  'CANCELLED',
  'CAPTURED',
  'REFUNDED',
  'AUTHORIZED',
  'TERMINATED',
] as const;

export type PaymentEventName = (typeof PAYMENT_EVENT_NAMES)[number];

/** Exactly one way to name the customer; the scanned personal QR is sent whole, never parsed. */
export type Customer = { phoneNumber: string } | { personalQr: string };

export type QuantityUnit = 'PCS' | 'KG' | 'KM' | 'MINUTE' | 'LITRE' | 'KWH';

export interface UnitInfo {
  /** Per-unit price including tax, before discount. */
  unitPrice: number;
  /** Cosmetic only; `^\d+([.]\d{1,8})?$`, at most 10 characters. */
  quantity: string;
  quantityUnit: QuantityUnit;
}

export interface OrderLine {
  name: string;
  id: string;
  /** Line total including tax, after discount. */
  totalAmount: number;
  totalAmountExcludingTax: number;
  totalTaxAmount: number;
  /** Hundredths of a percent: 2500 is 25 %. */
  taxRate: number;
  unitInfo?: UnitInfo;
  /** Total discount of the line, including tax. */
  discount?: number;
  isReturn?: boolean;
  isShipping?: boolean;
}

export interface BottomLine {
  currency: Currency;
  posId?: string;
  receiptNumber?: string;
}

export interface Receipt {
  orderLines: OrderLine[];
  bottomLine: BottomLine;
}

export type UserFlow = 'PUSH_MESSAGE' | 'NATIVE_REDIRECT' | 'WEB_REDIRECT' | 'QR';

interface CreatePaymentBase {
  amount: Amount;
  paymentMethod: { type: 'WALLET' };
  customerInteraction: 'CUSTOMER_PRESENT' | 'CUSTOMER_NOT_PRESENT';
  reference: string;
  paymentDescription: string;
  receipt: Receipt;
  metadata?: Record<string, string>;
  returnUrl?: string;
  minimumUserAge?: number;
}

/** A push to the customer the kiosk knows (their number or scanned personal QR). */
export interface PushPaymentRequest extends CreatePaymentBase {
  customer: Customer;
  userFlow: 'PUSH_MESSAGE';
}

/**
 * The one-time payment QR's picture formats (ePayment 1.7.0 `qrFormat.format`; the spec spells the text
 * one with a slash). `size` (100–2000 px) is for PNG only.
 */
export type QrFormat = 'TEXT/TARGETURL' | 'IMAGE/SVG+XML' | 'IMAGE/PNG';

/** A one-time payment QR: no customer; whoever scans the code Vipps returns (`redirectUrl`) pays. */
export interface QrPaymentRequest extends CreatePaymentBase {
  userFlow: 'QR';
  qrFormat: { format: QrFormat; size?: number };
}

export type CreatePaymentRequest = PushPaymentRequest | QrPaymentRequest;

export interface CreatePaymentResponse {
  reference: string;
  /** userFlow QR: the QR's target URL or a link to its picture, as `qrFormat` asked; none for a push. */
  redirectUrl?: string;
}

export interface Aggregate {
  authorizedAmount: Amount;
  cancelledAmount: Amount;
  capturedAmount: Amount;
  refundedAmount: Amount;
}

export interface GetPaymentResponse {
  aggregate: Aggregate;
  amount: Amount;
  state: PaymentState;
  paymentMethod: { type: string; cardBin?: string };
  profile: { sub?: string };
  pspReference: string;
  reference: string;
  redirectUrl?: string | null;
  metadata?: Record<string, string>;
}

export interface PaymentEvent {
  reference: string;
  pspReference: string;
  name: PaymentEventName;
  amount: Amount;
  timestamp: string;
  idempotencyKey: string | null;
  success: boolean;
}

export interface ModificationResponse {
  amount: Amount;
  state: PaymentState;
  aggregate: Aggregate;
  pspReference: string;
  reference: string;
}

export interface QrExchangeResponse {
  msisdn: string;
  version: string;
  /** Seconds since the epoch when a version 2.0 code was generated. */
  timestamp?: number;
}

/** `/accesstoken/get` answers with every value as a string. */
export interface AccessTokenResponse {
  token_type: string;
  expires_in: string;
  ext_expires_in?: string;
  expires_on?: string;
  not_before?: string;
  resource?: string;
  access_token: string;
}

/** RFC 7807 body of an ePayment error. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  detail?: string;
  instance?: string;
  status?: number;
  traceId?: string;
  extraDetails?: Array<{ name: string; reason: string }>;
}
