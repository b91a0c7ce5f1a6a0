import type { DeclineReason } from '../../contracts/screen-model.js';
import type { Currency, OrderLine } from '../../contracts/vipps-types.js';

// The facts the checkout machine emits (XState `emit`) as they happen: telemetry, the payment journal
// and later the cash-register journal subscribe to them (CheckoutService.onDomainEvent), so nobody has
// to infer money from screen changes. No event says who the customer is.

/**
 * The customer approved the full amount and has the receipt: the sale is final. Captured in full, unless a
 * `payment.settle-handed-over` for the capture of the same reference came just before it: then the amount
 * is reserved for the store and recovery collects it.
 */
export interface SaleCompleted {
  type: 'sale.completed';
  reference: string;
  receiptNumber: string;
  paidAt: number;
  /** The receipt lines exactly as sent to Vipps. */
  lines: readonly OrderLine[];
  amount: number;
  currency: Currency;
  /** VAT per rate (basis points), highest rate first. */
  vat: ReadonlyArray<{ rate: number; amount: number }>;
  /** What club prices took off this sale (0 at shelf prices). */
  memberSavings: number;
  /** Vipps' own id of the payment, when the capture or read-back answer carried it. */
  pspReference: string | null;
}

/** No payment was made: Vipps or the customer refused, or it ran out. */
export interface PaymentDeclined {
  type: 'payment.declined';
  /** Null when no reference was made (never so today: a decline always follows a create). */
  reference: string | null;
  reason: DeclineReason;
  amount: number | null;
}

/** The customer cancelled and the reservation (if any) was released. */
export interface PaymentCancelled {
  type: 'payment.cancelled';
  reference: string;
  amount: number;
}

/**
 * The session let go of a reference without knowing it settled (the customer left, the basket changed
 * while Vipps was away): Vipps may still hold it live, so crash recovery must watch it to the end.
 */
export interface PaymentAbandoned {
  type: 'payment.abandoned';
  reference: string;
}

/**
 * Vipps kept answering "come back later" to a capture or cancel for longer than the kiosk keeps a customer
 * waiting: the payment is left to recovery, which keeps trying in the background, and staff/HQ should be
 * alerted (nothing reaches Vipps' payment on its own). A capture handed over is still authorized in full.
 */
export interface PaymentSettleHandedOver {
  type: 'payment.settle-handed-over';
  reference: string;
  operation: 'capture' | 'cancel';
}

/** How a club offer ended, for HQ's conversion figures: what, never who. */
export interface ClubEnrolment {
  type: 'club.enrolment';
  outcome: 'joined' | 'skipped' | 'declined' | 'timeout' | 'unavailable' | 'abandoned' | 'approval-lost';
  /** What joining saved, or would have saved, on the basket. */
  basketSavings: number;
}

/**
 * Vipps refused the sales unit's setup or the kiosk's keys (merchant-setup-faults.ts): no customer can pay
 * here until staff or Vipps fix it. The kiosk shows `out-of-order`; HQ's alert carries the same words.
 */
export interface KioskOutOfOrder {
  type: 'kiosk.out-of-order';
  /** Stable, e.g. `vipps-5080`. */
  code: string;
  /** For staff: what is wrong and whom to ask. Never customer data. */
  message: string;
}

/** The fault of `kiosk.out-of-order` is over (HQ's maintenance switch, or a probe Vipps now answers). */
export interface KioskBackInOrder {
  type: 'kiosk.back-in-order';
  code: string;
}

export type CheckoutDomainEvent =
  | KioskOutOfOrder
  | KioskBackInOrder
  | SaleCompleted
  | PaymentDeclined
  | PaymentCancelled
  | PaymentAbandoned
  | PaymentSettleHandedOver
  | ClubEnrolment;
