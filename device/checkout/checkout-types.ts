import type {
  ClubStatus,
  ConsentNotice,
  DeclineReason,
  Intent,
  Language,
  OutOfOrder,
  QrPicture,
  ScanFeedback,
  StaffCardRefusal,
  Theme,
} from '../../contracts/screen-model.js';
import type {
  CreatePaymentRequest,
  Customer,
  OrderLine,
  PaymentEventName,
} from '../../contracts/vipps-types.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Basket } from './domain/basket.js';
import type { Seller } from './domain/sales-receipt.js';
import type { CheckoutTiming } from './ports.js';

// The checkout machine's vocabulary: what it is started with, what it remembers, what it hears.
// Kept apart from the chart so the helpers (scan-effects, the child machines) need not import it.

/** What the machine is started with: fixed for the life of the daemon. */
export interface CheckoutEnv {
  catalog: Catalog;
  kioskId: string;
  storeName: string;
  timing: CheckoutTiming;
  defaultLanguage: Language;
  /** The store's customer club; null when it has none (everyone pays shelf prices, no offer). */
  club: ClubPolicy | null;
  /**
   * The sales unit (`vipps.merchantSerialNumber`), named in an out-of-order message so staff know what to
   * ask Vipps about.
   */
  merchantSerialNumber: string;
  /**
   * The seller when the kiosk is a Norwegian cash register (`cashRegister` configured): the approved
   * screen then shows the Salgskvittering. Absent, the plain receipt.
   */
  seller?: Seller;
  /**
   * Attended mode: the store's POS rings up the items and sends the payment (device/terminal/); the
   * kiosk's scanner takes only the customer's QR, and no basket is ever scanned at the kiosk.
   */
  attended?: boolean;
}

export interface ClubPolicy {
  /** Vipps Login scopes asked for when a customer joins. */
  scopes: string;
  loginExpirySeconds: number;
  /** A fresh code for the app and the kiosk screen to show side by side: ^[A-Z0-9-]{5,8}$. */
  bindingMessage: () => string;
}

/** A Vipps Login push (CIBA) to the customer, as the kiosk screen and a later "Join" need it. */
export interface ClubLogin {
  bindingMessage: string;
  /** Null until Vipps has taken the login in. */
  authReqId: string | null;
  intervalMs: number;
  expiresAt: number | null;
  /** What the screen must say besides the code when the push did not go as usual. */
  notice: ConsentNotice | null;
}

/** The club as it stands for the customer at the kiosk. */
export interface ClubSession {
  status: ClubStatus;
  /** Looked up or joined by this number; from the keypad or Vipps' QR exchange. */
  msisdn: string | null;
  login: ClubLogin | null;
}

/**
 * Who pays: a customer the kiosk names to Vipps (a push to their number or scanned personal QR), or
 * whoever scans the one-time payment QR the kiosk shows (ePayment userFlow QR).
 */
export type Payer = Customer | { oneTimeQr: true };

/** One payment reference of the basket: what was asked of Vipps under it, and for whom. */
export interface PaymentAttempt {
  reference: string;
  /** The create request, kept so a repeat sends exactly the same body. */
  request: CreatePaymentRequest;
  /** Who it was pushed to: a read-back payment is resumed only for the same customer. */
  customer: Payer;
  /** The basket it was priced from: a read-back payment is resumed only for the same basket. */
  basket: Basket;
  amount: number;
  /** When Vipps gives up on the customer; set when the kiosk starts waiting. */
  expiresAt: number | null;
  /** A one-time payment QR: the code drawn from Vipps' answer to the create; null until it came. */
  qr?: QrPicture | null;
  /**
   * When create/capture/cancel calls of this reference went out (machine clock), for Vipps' limit of five
   * a minute; the create counts from when the kiosk starts waiting for approval (it went out no later).
   */
  sentAt?: readonly number[];
}

export interface PaidReceipt {
  receiptNumber: string;
  reference: string;
  /** Vipps' own id of the payment, when the capture or read-back answer carried it. */
  pspReference: string | null;
  paidAt: number;
  /** The lines exactly as sent to Vipps, so the screen shows what the app shows. */
  orderLines: readonly OrderLine[];
  total: number;
}

export interface CheckoutContext {
  env: CheckoutEnv;
  language: Language;
  /** The customer's look for this session; back to `standard` when the session ends. */
  theme: Theme;
  basket: Basket;
  feedback: ScanFeedback | null;
  customer: Payer | null;
  /** One per basket, reserved when the customer first pays; every attempt of the basket shares it. */
  receiptNumber: string | null;
  /** Payment references made for this receipt so far: attempt n pays as `<kiosk>-<receipt>-n`. */
  attempts: number;
  /** The current reference; null before the first and once the sale is done. */
  payment: PaymentAttempt | null;
  pollDelayMs: number;
  /** Why the kiosk is cancelling: decides where the customer lands once nothing is reserved. */
  cancelCause: 'customer' | 'timeout' | 'capture-refused';
  declined: DeclineReason | null;
  receipt: PaidReceipt | null;
  vippsReachable: boolean;
  idleWarningEndsAt: number | null;
  /** HQ asked for maintenance: the kiosk goes out of order as soon as the customer's session ends. */
  maintenance: boolean;
  /** HQ asked the kiosk to show itself (the status LED pulses) for a while. */
  identifying: boolean;
  /** Vipps refused the sales unit's setup or the kiosk's keys: no customer is taken until it is over. */
  outOfOrder: OutOfOrder | null;
  /**
   * The setup fault a create's retry was refused with after an attempt whose answer was lost: it stands
   * once reading back finds no payment (the first attempt made none either).
   */
  refusedForSetup: OutOfOrder | null;
  /**
   * Where the law wants a printer, the receipt printer cannot print (no paper, cover open, none
   * connected): out of order as soon as no customer is using the kiosk, until it prints again.
   */
  printerFault: OutOfOrder | null;
  club: ClubSession;
}

export type CheckoutEvent =
  | Intent
  | { type: 'vipps.event'; reference: string; name: PaymentEventName }
  | { type: 'idle.reset' }
  | { type: 'idle.timeout' }
  /** HQ: out of order once no customer is using the kiosk, or back in service. */
  | { type: 'maintenance'; on: boolean }
  /** HQ: pulse the status LED for `seconds`, so a tech in the store finds the kiosk. */
  | { type: 'identify'; seconds: number }
  | { type: 'identify.ended' }
  /** The scanner had to drop a read (unplugged mid-code, garbled, too long): the customer scans again. */
  | { type: 'scan.dropped' }
  /** The receipt printer's fault where sales need it (device/printer/printer-rule.ts), or null when over. */
  | { type: 'printer'; fault: OutOfOrder | null }
  /** Raised by the machine itself: the scan just taken put an item in the basket. */
  | { type: 'scan.added' }
  /** From the consent child: the login as it now stands (started, slowed down). */
  | { type: 'club.login'; login: ClubLogin }
  /** Staff mode (device/staff/) takes the screen for a valid staff card, or gives it back. */
  | { type: 'staff.open' }
  | { type: 'staff.close' }
  /** A staff card opened nothing: the customer screen says why. */
  | { type: 'staff.refused'; reason: StaffCardRefusal }
  /** Attended mode: the POS's payment, its lines as the basket; the customer when the cashier's scanner read them. */
  | { type: 'pos.payment'; basket: Basket; customer: Customer | null; msisdn: string | null }
  /** Attended mode: the cashier's "Enrol in the club" for this number (the club consent on the display). */
  | { type: 'pos.enrol'; msisdn: string }
  /** Attended mode: the POS stops waiting for the enrolment (the request stays in the app). */
  | { type: 'pos.enrol.abort' };
