import type {
  Amount,
  CreatePaymentRequest,
  CreatePaymentResponse,
  GetPaymentResponse,
  ModificationResponse,
} from '../../contracts/vipps-types.js';
import type { LoginPoll, LoginRequest, LoginStart } from '../vipps/login-types.js';
import type { Member } from './domain/member.js';
import type { ReceiptNumbers } from './domain/receipt-number.js';

/** The ePayment calls the checkout makes; the Vipps client provides them, tests may use the sandbox. */
export interface Payments {
  createPayment(request: CreatePaymentRequest, idempotencyKey: string): Promise<CreatePaymentResponse>;
  getPayment(reference: string): Promise<GetPaymentResponse>;
  capture(reference: string, amount: Amount, idempotencyKey: string): Promise<ModificationResponse>;
  cancel(
    reference: string,
    options: { cancelTransactionOnly: boolean },
    idempotencyKey: string,
  ): Promise<ModificationResponse>;
}

export interface CheckoutTiming {
  /** Vipps' polling advice: first look after 5 s, then every 2 s. */
  pollFirstMs: number;
  pollEveryMs: number;
  /** Upper bound of the wait between polls when Vipps rate-limits or cannot be reached. */
  pollMaxBackoffMs: number;
  /** How long Vipps keeps a push request open: 5 min to open it, 5 min to approve. */
  approvalWindowMs: number;
  /** Wait past the window before the kiosk cancels on its own, so a late approval is not raced. */
  approvalGraceMs: number;
  /** Pause before retrying a capture or cancel that could not complete. */
  settleRetryMs: number;
  /**
   * How long the customer waits on a capture or cancel Vipps keeps refusing ("come back later") before the
   * payment is handed to recovery, which keeps trying in the background, and staff are alerted.
   */
  settleHandOverMs: number;
  /** Quiet time on a customer-facing screen before the idle warning. */
  idleAfterMs: number;
  /** How long the idle warning stays up with its "I'm still here" button (WCAG 2.2.1: ≥ 20 s). */
  idleWarningMs: number;
}

export const DEFAULT_TIMING: CheckoutTiming = {
  pollFirstMs: 5_000,
  pollEveryMs: 2_000,
  pollMaxBackoffMs: 30_000,
  approvalWindowMs: 10 * 60_000,
  approvalGraceMs: 30_000,
  settleRetryMs: 2_000,
  settleHandOverMs: 2 * 60_000,
  idleAfterMs: 60_000,
  idleWarningMs: 30_000,
};

/** What the customer club asks of Vipps and of the membership store, as one port. */
export interface Membership {
  /** The MSISDN behind a scanned personal QR (Vipps' exchange). */
  msisdnOf(personalQr: string): Promise<string>;
  /** The member with this MSISDN, or null; throws when the store cannot answer. */
  lookup(msisdn: string): Promise<Member | null>;
  startLogin(request: LoginRequest): Promise<LoginStart>;
  pollLogin(authReqId: string): Promise<LoginPoll>;
  /** After an approved login: reads what the consent gave and enrols the customer. */
  enrol(approval: { accessToken: string; sub: string; msisdn: string }): Promise<Member>;
}

/** The adapters the checkout's actors call; the composition root binds them with provideCheckout. */
export interface CheckoutDeps {
  payments: Payments;
  receiptNumbers: ReceiptNumbers;
  /** Present when the store has a customer club. */
  membership?: Membership;
}
