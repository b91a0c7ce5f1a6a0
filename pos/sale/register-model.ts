import type {
  EnrolmentStatus,
  TransactionDeclineReason,
  TransactionStatus,
} from '../../contracts/terminal-api.js';
import type { Currency } from '../../contracts/vipps-types.js';
import type { PricedBasket } from './basket.js';

// What the cashier page shows and what it may ask: the wire format between the page and `pos serve`'s
// own server. The server owns the sale (basket, customer, club status, the running payment), so a
// reloaded page, or a second tab, shows exactly where the sale stands.

export interface PaymentView {
  /** The POS's own id for this payment (ULID-shaped). */
  readonly id: string;
  readonly status: TransactionStatus;
  readonly amount: number;
  /** The terminal has nothing more to do for it: completed, declined, aborted or failed. */
  readonly final: boolean;
  /** The cashier pressed Abort and the terminal has not answered yet. */
  readonly aborting: boolean;
  /** Why, when `declined`. */
  readonly declineReason?: TransactionDeclineReason;
  /** The cashier pressed Abort after the customer had approved: the payment goes on to completed. */
  readonly abortTooLate?: boolean;
}

export type CustomerView =
  /** The cashier's scanner read the customer's personal QR; its content is Vipps' and is not shown. */
  { readonly kind: 'personal-qr' } | { readonly kind: 'phone'; readonly phoneNumber: string };

/** How an enrolment the cashier started ended without joining. */
export type EnrolmentEnd = Exclude<EnrolmentStatus, 'waiting-for-customer' | 'joined'>;

export type ClubView =
  | { readonly state: 'checking'; readonly phoneNumber: string }
  /** `joined`: through the cashier's enrolment just now. */
  | { readonly state: 'member'; readonly phoneNumber: string; readonly joined?: boolean }
  /**
   * The cashier may enrol them now, or they are offered the club on the customer display when the payment
   * is sent. `enrolment`: how the cashier's enrolment ended, if one did.
   */
  | { readonly state: 'not-member'; readonly phoneNumber: string; readonly enrolment?: EnrolmentEnd }
  /**
   * The cashier's enrolment: the Vipps Login request is on the customer's phone, its code (null until the
   * terminal answered) on the customer display. `aborting`: the cashier pressed Abort.
   */
  | {
      readonly state: 'enrolling';
      readonly phoneNumber: string;
      readonly bindingMessage: string | null;
      readonly aborting: boolean;
    };

export type Notice =
  | { readonly kind: 'added'; readonly name: string }
  | { readonly kind: 'not-in-catalog'; readonly code: string }
  | { readonly kind: 'unknown-code' }
  | { readonly kind: 'customer-scanned' }
  | { readonly kind: 'bad-phone' }
  | { readonly kind: 'sale-locked' }
  /** The terminal does not answer; the register keeps asking, with the same transaction id. */
  | { readonly kind: 'terminal-unreachable' }
  /** The till restarted while this payment ran: it is shown as the terminal now tells it. */
  | { readonly kind: 'resumed' }
  /** The till could not keep the payment on its disk, so it did not send it: nothing was asked. */
  | { readonly kind: 'not-saved'; readonly reason: string }
  /** The terminal refused or could not be reached; the text is its own, for the cashier. */
  | { readonly kind: 'terminal'; readonly message: string };

export interface RegisterModel {
  readonly currency: Currency;
  readonly basket: PricedBasket;
  readonly customer: CustomerView | null;
  readonly club: ClubView | null;
  readonly payment: PaymentView | null;
  readonly notice: Notice | null;
  /** A payment is under way or done: the basket and the customer can no longer change. */
  readonly locked: boolean;
}

export type RegisterAction =
  /** What the cashier's scanner typed (or the cashier did): a ware's barcode or a personal QR. */
  | { readonly type: 'scan'; readonly text: string }
  | { readonly type: 'set-quantity'; readonly gtin: string; readonly quantity: number }
  | { readonly type: 'phone'; readonly phoneNumber: string }
  | { readonly type: 'clear-customer' }
  | { readonly type: 'send' }
  | { readonly type: 'abort' }
  | { readonly type: 'next-sale' }
  /** Checks the customer's number with the club: a member gets member prices. */
  | { readonly type: 'request-membership' }
  /** A customer who is not a member: the Vipps Login push to join, the code on the customer display. */
  | { readonly type: 'enrol' }
  /** The customer walked away: the terminal stops waiting for the enrolment. */
  | { readonly type: 'abort-enrolment' };
