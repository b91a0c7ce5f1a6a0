import type { SalesReceipt } from './sales-receipt.js';
import type { SpeechState } from './speech.js';
import type { Currency } from './vipps-types.js';

// The contract between the daemon and the kiosk screen (and HQ, and the tests): the daemon derives a
// ScreenModel from the checkout machine's snapshot and sends it over the socket; the screen renders
// it and sends Intents back. The screen keeps no business state of its own.

/**
 * The stable list of screen names. HQ dashboards and tests read them: add to it, never rename.
 * - attract            nobody is using the kiosk: "scan an item to start"
 * - basket             items scanned, a total, the Pay action
 * - identify           "scan your Vipps/MobilePay QR", or type a phone number on the keypad, or show a
 *                      one-time payment QR for the customer's phone to scan
 * - paying             the payment request is being sent to Vipps
 * - awaiting-approval  the request is on the customer's phone (or its QR on screen): approve there; countdown; cancel
 * - cancelling         the customer cancelled; making sure nothing stays reserved
 * - capturing          approved; completing the payment
 * - approved           paid: the receipt
 * - declined           not paid (rejected, expired, cancelled, unknown customer); the basket is kept
 * - unavailable        Vipps cannot be reached right now; the basket is kept, scanning still works
 * - maintenance        out of order (HQ's `maintenance on`); shown once no customer is using the kiosk
 * - club-checking      customer club: looking the customer up (a moment, before paying)
 * - club-offer         customer club: not a member yet; what joining saves on this basket; Join / No thanks
 * - club-consent       customer club: approve joining in the app; the code shown there is shown large here
 * - out-of-order       a staff or configuration fault the kiosk found itself (e.g. Vipps refuses the sales
 *                      unit's setup): no payments until it is fixed; staff see the code and what to do.
 *                      Not `maintenance` (HQ's switch) nor `unavailable` (Vipps cannot be reached).
 * - staff              staff mode: a staff card was scanned; the PIN, then the staff menu (`staff` says which
 *                      page). Never reached by a customer: only a valid staff card and its PIN open it.
 */
export const SCREEN_NAMES = [
  'attract',
  'basket',
  'identify',
  'paying',
  'awaiting-approval',
  'cancelling',
  'capturing',
  'approved',
  'declined',
  'unavailable',
  'maintenance',
  'club-checking',
  'club-offer',
  'club-consent',
  'out-of-order',
  'staff',
] as const;
export type ScreenName = (typeof SCREEN_NAMES)[number];

/**
 * The languages the screen speaks: Bokmål, Nynorsk, English, Danish, Swedish, Finnish. The store sets the
 * default (config `checkout.language`); the customer may pick another for their session.
 */
export const LANGUAGES = ['nb', 'nn', 'en', 'da', 'sv', 'fi'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * The screen's look, chosen by the customer for their session (reset when it ends):
 * - standard       today's theme
 * - high-contrast  large text (at least double) and high contrast, for low vision; speech mode turns it on
 */
export const THEMES = ['standard', 'high-contrast'] as const;
export type Theme = (typeof THEMES)[number];

/**
 * The Vipps MobilePay market the kiosk sells in (its catalog's country): Norway pays with Vipps, Denmark and
 * Finland with MobilePay. The screen names the app the way the market does.
 */
export type MarketCountry = 'NO' | 'DK' | 'FI';
export type AppName = 'Vipps' | 'MobilePay';
export const APP_NAME: Readonly<Record<MarketCountry, AppName>> = {
  NO: 'Vipps',
  DK: 'MobilePay',
  FI: 'MobilePay',
};

export interface ScreenLine {
  gtin: string;
  name: string;
  quantity: number;
  /** Minor units, VAT included. */
  unitPrice: number;
  /** The member saving on the whole line, minor units; 0 at shelf prices. */
  discount: number;
  lineTotal: number;
}

/**
 * Where the customer stands with the store's club in this session:
 * - unknown      not asked yet (no customer, or being looked up)
 * - offered      not a member; the offer (or the login for it) is on screen
 * - member       a member already: member prices
 * - joined       joined just now with a Vipps Login: member prices
 * - skipped      said "no thanks" on the kiosk
 * - declined     said no in the app
 * - timeout      did not answer the login in time
 * - unavailable  the club or Vipps Login could not answer: shelf prices this time
 * - approval-lost  approved in the app, but the approval was lost on the way back: not a member yet,
 *                  shelf prices this time, and told to join again next time
 */
export const CLUB_STATUSES = [
  'unknown',
  'offered',
  'member',
  'joined',
  'skipped',
  'declined',
  'timeout',
  'unavailable',
  'approval-lost',
] as const;
export type ClubStatus = (typeof CLUB_STATUSES)[number];

/** What the last scan did, so every scan gets visible feedback. `seq` changes on every scan. */
export interface ScanFeedback {
  seq: number;
  kind:
    | 'added'
    | 'unknown-item'
    | 'not-recognised'
    | 'scanner-layout'
    | 'basket-full'
    | 'customer'
    | 'ignored'
    /** The scanner lost part of a read (unplugged mid-code, garbled): scan again. */
    | 'scan-incomplete'
    /** The kiosk is out of order: nothing is taken, the customer is told so. */
    | 'out-of-order'
    /** A staff card nothing was opened for: `subject` says why (a StaffCardRefusal). */
    | 'staff-card-refused'
    /** Attended mode: the cashier's POS scans the items; the kiosk's scanner takes only the customer's QR. */
    | 'cashier-scans';
  /** Product name for `added`, the scanned code for `unknown-item`, the StaffCardRefusal. */
  subject?: string;
}

/**
 * What the consent screen must say besides "check the code", when the login push did not go as usual:
 * - maybe-sent       the request may have reached the app (its answer was lost); checking whether it did
 * - ignore-request   it did, but the kiosk cannot complete it: ignore or decline it in the app
 * - already-waiting  Vipps says a login request already waits in the customer's app (one per person)
 */
export type ConsentNotice = 'maybe-sent' | 'ignore-request' | 'already-waiting';

export type DeclineReason =
  | 'rejected'
  | 'expired'
  | 'cancelled'
  | 'unknown-customer'
  | 'invalid-customer'
  | 'refused';

export interface ScreenModel {
  screen: ScreenName;
  /** Dotted machine state, for logs and tests, e.g. "session.flow.awaitingApproval.waiting". */
  machineState: string;
  language: Language;
  /** The customer's choice of look for this session (`high-contrast`: large text, high contrast). */
  theme: Theme;
  /** The market the kiosk sells in: which app the texts name, which phone numbers the keypad expects. */
  market: MarketCountry;
  currency: Currency;
  storeName: string;
  /** `savings`: the member discount in the basket as priced now. */
  basket: { lines: ScreenLine[]; total: number; itemCount: number; savings: number };
  feedback: ScanFeedback | null;
  /** Present from `paying` to `approved`. `expiresAt` is epoch ms: when Vipps gives up waiting. */
  payment: {
    reference: string;
    amount: number;
    expiresAt: number | null;
    /** The masked phone number the request went to ("47******67"); null when a personal QR named the customer. */
    customer: string | null;
    /** A one-time payment QR (ePayment userFlow QR): the code to scan, drawn from what Vipps returned. */
    qr?: QrPicture;
  } | null;
  receipt: {
    receiptNumber: string;
    paidAt: number;
    lines: ScreenLine[];
    total: number;
    /** What club prices saved on this receipt, minor units. */
    savings: number;
    vat: Array<{ rate: number; amount: number }>;
    /** The Salgskvittering when the kiosk is a Norwegian cash register; null on a kiosk that is not. */
    sales: SalesReceipt | null;
  } | null;
  /** The store's customer club; null when the store has none. */
  club: {
    status: ClubStatus;
    /** What joining saves on the basket as it stands (shown on the offer). */
    offerSavings: number;
    /**
     * The login push: the code the app shows, and when the request runs out (epoch ms, null until sent).
     * `cashierStarted`: the cashier's POS asked for it (attended mode), so there is no payment to go on to.
     */
    consent: {
      bindingMessage: string;
      expiresAt: number | null;
      notice: ConsentNotice | null;
      cashierStarted: boolean;
    } | null;
    /** The customer chose to pay without joining after the login request reached their app, where it stays. */
    loginLeftOpen: boolean;
  } | null;
  declined: { reason: DeclineReason } | null;
  /** Present on `out-of-order`: the fault, for staff (the same code and words HQ's alert carries). */
  outOfOrder: OutOfOrder | null;
  /** The idle warning (WCAG 2.2.1): shown with a countdown and one tap to stay. */
  idleWarning: { endsAt: number } | null;
  /**
   * Payments left unfinished by a crash or power cut and resolved since this daemon started: shown on the
   * attract screen for staff, and in the health check. Null when there was nothing to recover.
   */
  recovery: {
    captured: number;
    cancelled: number;
    closed: number;
    unresolved: number;
    watching: number;
  } | null;
  /** The status LED as the LED driver, the demo overlay and HQ show it. */
  leds: LedStates;
  /** The kiosk's own hardware: degraded without a scanner (customers type their phone number instead). */
  device: DeviceStatus;
  /** HQ's `identify` is running: the status LED pulses blue so a tech finds this kiosk. */
  identifying: boolean;
  /** Whether the last call to Vipps got through: for staff, the LED and HQ. */
  vippsReachable: boolean;
  /** Server clock at the time the model was made, so countdowns are drawn against the daemon's time. */
  now: number;
  /**
   * Training mode is on (staff mode): every screen shows the training banner, and a receipt made now is a
   * training receipt (`sales.training`), not a valid receipt. Absent when the kiosk sells for real.
   */
  training?: true;
  /**
   * Attended mode: the store's POS rang up the basket and runs the payment, so the customer display shows
   * its lines (read-only: the cashier changes them at the POS) while the payment waits for the customer.
   * Absent on a self-service kiosk.
   */
  attended?: true;
  /** Demo mode: the screen shows the developer overlay (scan field, LEDs). */
  demo: { leds: LedStates } | null;
  /** Staff mode's page on the `staff` screen; absent or null everywhere else. */
  staff?: StaffModel | null;
  /** Speech mode (contracts/speech.ts); absent or null on a kiosk without speech. */
  speech?: SpeechState | null;
}

/**
 * A QR code as one SVG path of unit squares (`M x y h1v1h-1z`…) on a `size`×`size` grid, its quiet zone
 * included: the screen draws it with `viewBox="0 0 size size"`, no markup from outside the kiosk.
 */
export interface QrPicture {
  size: number;
  path: string;
}

/**
 * Why a scanned staff card opened nothing (shown as scan feedback, never naming the employee):
 * - forged     the check does not match the employee id: not a card this kiosk made
 * - unknown    no such employee (removed, or never added on this kiosk)
 * - locked     five wrong PINs: the card is locked for a few minutes
 * - busy       a customer is paying: staff mode opens once the payment is over
 * - off        this kiosk has no staff mode (no cash register, or no card key provisioned)
 */
export type StaffCardRefusal = 'forged' | 'unknown' | 'locked' | 'busy' | 'off';

/** A line of an earlier sale on the return page: what may still come back. */
export interface StaffReturnLine {
  index: number;
  name: string;
  quantity: number;
  unitPrice: number;
  returnable: number;
}

/** The page staff mode shows. */
export type StaffPage =
  | { name: 'pin'; attemptsLeft: number }
  | { name: 'menu' }
  | { name: 'report'; kind: 'x' | 'z'; text: string }
  /** A copy of the last receipt (KOPI) or the Returkvittering of a return just made. */
  | { name: 'receipt'; receipt: SalesReceipt }
  | { name: 'return-find' }
  | {
      name: 'return-pick';
      receiptNumber: string;
      currency: Currency;
      refundable: number;
      lines: StaffReturnLine[];
    };

export interface StaffModel {
  /** Who is logging in (the PIN page) or logged in. */
  employee: { id: string; name: string };
  page: StaffPage;
  /**
   * Something staff must read on this page: a code the screen words itself (`wrong-pin`, …) and the
   * service's own words for staff (a return refused, a Z report the clock forbids).
   */
  notice: { code: string; message: string } | null;
  training: boolean;
  outOfOrder: boolean;
  /** When staff mode closes on its own unless something is pressed (epoch ms, daemon clock). */
  endsAt: number;
}

/** What staff can do on the staff screen; the daemon takes each only on the page it belongs to. */
export type StaffAction =
  | { do: 'pin'; pin: string }
  | { do: 'menu' }
  | { do: 'report'; kind: 'x' | 'z' }
  | { do: 'copy' }
  | { do: 'training'; on: boolean }
  | { do: 'out-of-order'; on: boolean }
  | { do: 'return' }
  | { do: 'return-find'; receiptNumber: string }
  | { do: 'return-confirm'; lines: Array<{ index: number; quantity: number }> }
  | { do: 'log-out' };

/**
 * Why the kiosk is out of order. `code` is stable and machine-readable (`vipps-5080`); `message` says, in
 * plain words for staff, what is wrong and what to do or whom to ask. Never customer data.
 */
export interface OutOfOrder {
  code: string;
  message: string;
}

export interface DeviceStatus {
  region: 'ready' | 'degraded';
  /** `simulated`: the demo's scanner. */
  scanner: 'attached' | 'missing' | 'simulated';
}

export type LedColour = 'off' | 'green' | 'amber' | 'red' | 'blue';
export interface LedStates {
  status: LedColour;
  /** Blinking draws the eye when the customer must act. */
  blink: boolean;
}

/** What the screen may ask of the daemon. Anything else is refused. */
export type Intent =
  | { type: 'pay' }
  | { type: 'pay-phone'; msisdn: string }
  /** Pay by a one-time payment QR on the screen, for whoever scans it with their phone (identify screen). */
  | { type: 'pay-qr' }
  | { type: 'back' }
  | { type: 'cancel' }
  | { type: 'set-quantity'; gtin: string; quantity: number }
  | { type: 'remove-line'; gtin: string }
  | { type: 'start-over' }
  | { type: 'still-here' }
  | { type: 'try-again' }
  | { type: 'done' }
  | { type: 'language'; language: Language }
  /** The customer's look for this session; speech mode sends `high-contrast` when it starts. */
  | { type: 'theme'; theme: Theme }
  /** Customer club offer: join with a Vipps Login push, or pay at shelf prices. */
  | { type: 'join-club' }
  | { type: 'skip-club' }
  /** Demo mode only: as if the scanner read `text`. */
  | { type: 'scan'; text: string }
  /** Staff mode (the `staff` screen only). */
  | { type: 'staff'; action: StaffAction };
