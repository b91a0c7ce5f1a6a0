import type {
  ClubStatus,
  ConsentNotice,
  DeclineReason,
  LedColour,
  ScanFeedback,
  ScreenName,
  StaffCardRefusal,
} from '../../contracts/screen-model.js';
import type { TactileKey } from '../../contracts/speech.js';
import type { PrinterCondition } from '../../contracts/telemetry.js';

/**
 * A language's locale, or several, most specific first: Intl takes the first the runtime knows. Chromium's
 * ICU has no Nynorsk, so Nynorsk falls back to Bokmål's formats, which are the same for numbers and dates.
 */
export type Locales = string | readonly string[];

/**
 * Everything the screen says. Each language is one file that declares itself `Messages`, so a key
 * missing from a language (or misspelt in one) is a type error, not a blank on the kiosk.
 */
export interface Messages {
  // Texts name the payment app as `{app}` ("Vipps" in Norway, "MobilePay" in Denmark and Finland): the
  // screen reads them through `messagesOf`, which fills it in for the kiosk's market.

  /** BCP 47 locale for amounts, percentages and dates (or several, the first the runtime has wins). */
  locale: Locales;
  /** The language's own name, as the language toggle shows it. */
  languageName: string;

  app: {
    tagline: string;
    /** The button that opens the list of languages. */
    language: string;
    /** The toggle for the large-text, high-contrast theme. */
    largeText: string;
    connecting: string;
    reconnecting: string;
    reconnectingDetail: string;
    /** Read out by screen readers whenever the screen changes. */
    announce: Record<ScreenName, string>;
    serverError: string;
    /** The keypad is paused after too many numbers in a row (the daemon's PhoneEntryLimit). */
    phoneWait: string;
  };

  /** The three steps of a purchase, shown while the kiosk waits for someone. */
  attract: {
    title: string;
    steps: readonly [scan: string, identify: string, approve: string];
    /** For staff, after a restart resolved unfinished payments. */
    recovered: (captured: number, cancelled: number, unresolved: number) => string;
  };

  basket: {
    title: string;
    items: (count: number) => string;
    total: string;
    hint: string;
    empty: string;
    pay: string;
    startOver: string;
    each: (unitPrice: string) => string;
    quantity: (name: string, count: number) => string;
    increase: (name: string) => string;
    decrease: (name: string) => string;
    remove: (name: string) => string;
  };

  identify: {
    title: string;
    detail: string;
    toPay: string;
    orPhone: string;
    phonePlaceholder: string;
    countryCode: (code: string) => string;
    backspace: string;
    send: string;
    back: string;
    /** The other way to pay: a one-time payment QR on the screen, scanned with the customer's phone. */
    showQr: string;
    /** Under it, when the store has a club: the on-screen QR names nobody, so no member prices. */
    qrNoClub: string;
  };

  paying: { title: string; detail: string };

  awaitingApproval: {
    title: string;
    detail: string;
    sentTo: (customer: string) => string;
    timeLeft: string;
    cancel: string;
    /** The one-time payment QR on screen: the title, the text alternative, the code's accessible name. */
    qrTitle: string;
    qrDetail: string;
    qrLabel: string;
  };

  cancelling: { title: string; detail: string };

  capturing: { title: string; detail: string };

  approved: {
    title: string;
    detail: string;
    receipt: string;
    receiptNumber: string;
    total: string;
    vatIncluded: string;
    vatRate: (rate: string) => string;
    /** A cash register's receipt: the till that sold (the kiosk id), how it was paid, the payment's reference. */
    till: string;
    paidWith: (paymentType: string) => string;
    paymentReference: string;
    done: string;
  };

  declined: {
    reasons: Record<DeclineReason, { title: string; detail: string }>;
    tryAgain: string;
    backToBasket: string;
  };

  unavailable: { title: string; detail: string; tryAgain: string };

  club: {
    checking: { title: string; detail: string };
    offer: {
      title: string;
      /** What membership saves on this very basket. */
      saves: (amount: string) => string;
      /** The basket has nothing on member price today. */
      noSaving: string;
      detail: string;
      join: string;
      skip: string;
    };
    consent: {
      title: string;
      detail: string;
      /** Label over the code the app shows too. */
      code: string;
      timeLeft: string;
      skip: string;
      /** In place of `skip` when the cashier started the enrolment: no payment follows here. */
      notNow: string;
      /** When the push did not go as usual: said above the code, in place of `detail`. */
      notice: Record<ConsentNotice, string>;
    };
    /** One line on the payment screens saying which prices apply; none for statuses that need no word. */
    outcome: Partial<Record<ClubStatus, string>>;
    /** On a basket or receipt line with a member price. */
    lineSaving: (amount: string) => string;
    /** Under the total. */
    saved: (amount: string) => string;
    /** Back to the basket from the offer or the consent screen. */
    back: string;
    /** Paying without joining after the login request reached the app, where it stays. */
    loginLeftOpen: string;
  };
  maintenance: { title: string; detail: string };

  /** A fault staff must fix; the fault's own words come from the daemon, in the model. */
  outOfOrder: {
    title: string;
    detail: string;
    /** Heading of the part meant for staff. */
    forStaff: string;
    code: (code: string) => string;
  };

  idle: {
    title: string;
    detail: string;
    secondsLeft: (seconds: number) => string;
    stillHere: string;
  };

  /** `subject` is the product name for `added` and the scanned code for `unknown-item`, else empty. */
  feedback: Record<ScanFeedback['kind'], (subject: string) => string>;

  /** Training mode (staff mode): the banner on every screen, the mark on a training receipt. */
  training: {
    banner: string;
    notValid: string;
  };

  /** Staff mode: for the store's staff only, reached with a staff card and its PIN. */
  staff: {
    title: string;
    /** Why a scanned staff card opened nothing (scan feedback). */
    cardRefused: Record<StaffCardRefusal, string>;
    pinTitle: (name: string) => string;
    pinDetail: string;
    pinLabel: string;
    attemptsLeft: (count: number) => string;
    wrongPin: (count: number) => string;
    logIn: string;
    backspace: string;
    cancel: string;
    loggedInAs: (name: string) => string;
    xReport: string;
    zReport: string;
    copy: string;
    returnSale: string;
    training: (on: boolean) => string;
    outOfOrder: (on: boolean) => string;
    trainingOn: string;
    outOfOrderOn: string;
    logOut: string;
    menu: string;
    findTitle: string;
    findDetail: string;
    receiptNumber: string;
    find: string;
    pickTitle: (receiptNumber: string) => string;
    refundable: (amount: string) => string;
    returnable: (count: number) => string;
    increase: (name: string) => string;
    decrease: (name: string) => string;
    refundTotal: (amount: string) => string;
    confirmReturn: string;
    copyMark: string;
    trainingMark: string;
    returnOf: (receiptNumber: string) => string;
    total: string;
    vat: (rate: string) => string;
    refundedWith: (type: string) => string;
  };

  /**
   * Speech mode: what the kiosk says through the headphones to a customer who cannot see the screen.
   * ui/speech/screen-script.ts composes a screen's script from these (where you are, the amounts, what to
   * do next) and the page sends it to the daemon to be spoken. Amounts and codes arrive formatted.
   */
  speech: {
    /** Said once when speech mode starts: how the keys work. */
    started: string;
    /** Said first on every screen: where the customer is. */
    where: Record<ScreenName, string>;
    attract: string;
    basket: {
      /** The count and the total, then what to do next. */
      total: (items: number, amount: string) => string;
      empty: string;
      /** One basket line, read when the focus reaches it. */
      line: (quantity: number, name: string, amount: string) => string;
      next: string;
    };
    identify: {
      next: (amount: string) => string;
      /** The digits typed so far, spelled one by one; `digits` is empty when nothing is typed. */
      typed: (digits: string) => string;
    };
    /** Attended mode: the POS's lines are listed first on the payment screens; the keys read them. */
    posLines: string;
    paying: string;
    awaitingApproval: (amount: string, customer: string | null) => string;
    cancelling: string;
    capturing: string;
    approved: (amount: string, receiptNumber: string) => string;
    declined: { reasons: Record<DeclineReason, string>; next: string };
    unavailable: string;
    maintenance: string;
    outOfOrder: string;
    club: {
      checking: string;
      /** `saves` is the formatted saving on this basket, null when nothing is on member price today. */
      offer: (saves: string | null) => string;
      /** `code` is the binding code spelled character by character ("H, J, K, 4, 7, 9"). */
      consent: (code: string) => string;
      notice: Record<ConsentNotice, (code: string) => string>;
    };
    staff: string;
    /** The time left on a countdown (the payment, the club login). */
    timeLeft: (minutes: number, seconds: number) => string;
    /** The idle warning: said over whatever the screen is. */
    idle: (seconds: number) => string;
    /** The control that has the spoken focus: its name, then what it is. */
    button: (label: string) => string;
    /** Said when a key press finds nothing to move to or press. */
    nothingHere: string;
  };

  demo: {
    title: string;
    scanLabel: string;
    scan: string;
    quickPick: string;
    products: string;
    customers: string;
    phone: string;
    led: Record<LedColour, string>;
    /** `demo --speech`: the tactile keys as buttons (their group's name, and each key's). */
    keys: { title: string; key: Record<TactileKey, string> };
    /** The simulated receipt printer: its paper strip and the buttons that upset it. */
    printer: {
      title: string;
      /** What the printer says now, e.g. "out of paper". */
      condition: Record<PrinterCondition, string>;
      /** The buttons, by the condition each sets. */
      set: Record<PrinterCondition, string>;
      paper: string;
      empty: string;
    };
  };
}
