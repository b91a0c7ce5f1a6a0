import { and, assign, fromPromise, not, or, raise, setup, stateIn } from 'xstate';
import {
  CLUB_STATUSES,
  type ClubStatus,
  type DeclineReason,
  type Intent,
  type Language,
  type ScanFeedback,
} from '../../contracts/screen-model.js';
import type {
  Amount,
  CreatePaymentRequest,
  CreatePaymentResponse,
  Customer,
  GetPaymentResponse,
  ModificationResponse,
  OrderLine,
  PaymentEventName,
} from '../../contracts/vipps-types.js';
import type { Catalog } from '../catalog/catalog.js';
import type { LoginPoll, LoginRequest, LoginStart } from '../vipps/login-types.js';
import { operationKey } from '../vipps/request-rules.js';
import { type Basket, basketTotal, emptyBasket } from './domain/basket.js';
import type { Member } from './domain/member.js';
import { withMemberPrices, withoutMemberPrices } from './domain/member-prices.js';
import { paymentReference } from './domain/payment-reference.js';
import { buildReceipt } from './domain/receipt.js';
import { paymentRequest } from './payment-request.js';
import type { CheckoutTiming } from './ports.js';
import { applyBasketChange, applyScan, customerFromScan } from './scan-effects.js';
import {
  declineReasonFor,
  isAuthorizedMeanwhile,
  isNotFound,
  isOutcomeUnknown,
  isSettled,
  isVippsUnreachable,
  isWorthRetrying,
} from './vipps-outcomes.js';

/** What the machine needs besides its actors: fixed for the life of the daemon. */
export interface CheckoutEnv {
  catalog: Catalog;
  kioskId: string;
  storeName: string;
  timing: CheckoutTiming;
  defaultLanguage: Language;
  now: () => number;
  /** Told of a reference the checkout drops without knowing it settled (the customer left, a new attempt). */
  onAbandon: (reference: string) => void;
  /** The store's customer club; null when it has none (everyone pays shelf prices, no offer). */
  club: ClubPolicy | null;
}

export interface ClubPolicy {
  /** Vipps Login scopes asked for when a customer joins. */
  scopes: string;
  loginExpirySeconds: number;
  /** A fresh code for the app and the kiosk screen to show side by side: ^[A-Z0-9-]{5,8}$. */
  bindingMessage: () => string;
}

/** The club as it stands for the customer at the kiosk. */
export interface ClubSession {
  status: ClubStatus;
  /** Looked up or joined by this number; from the keypad or Vipps' QR exchange. */
  msisdn: string | null;
  login: {
    bindingMessage: string;
    authReqId: string | null;
    intervalMs: number;
    expiresAt: number | null;
  } | null;
}

export interface PaidReceipt {
  receiptNumber: string;
  reference: string;
  paidAt: number;
  /** The lines exactly as sent to Vipps, so the screen shows what the app shows. */
  orderLines: readonly OrderLine[];
  total: number;
}

export interface CheckoutContext {
  env: CheckoutEnv;
  language: Language;
  basket: Basket;
  feedback: ScanFeedback | null;
  customer: Customer | null;
  /** One per basket, reserved when the customer first pays; every attempt of the basket shares it. */
  receiptNumber: string | null;
  /** Payment references made for this receipt so far: attempt n pays as `<kiosk>-<receipt>-n`. */
  attempt: number;
  reference: string | null;
  /** The create request of the current reference, kept so a repeat sends exactly the same body. */
  request: CreatePaymentRequest | null;
  /** Who the current reference was pushed to: a read-back payment is resumed only for the same customer. */
  referenceCustomer: Customer | null;
  /** The amount the current reference was created for. */
  amount: number;
  expiresAt: number | null;
  pollDelayMs: number;
  /** Why the kiosk is cancelling: decides where the customer lands once nothing is reserved. */
  cancelCause: 'customer' | 'timeout' | 'capture-refused';
  declined: DeclineReason | null;
  receipt: PaidReceipt | null;
  vippsReachable: boolean;
  idleWarningEndsAt: number | null;
  /** HQ asked for maintenance: the kiosk goes out of order as soon as the customer's session ends. */
  maintenance: boolean;
  club: ClubSession;
}

export type CheckoutEvent =
  | Intent
  | { type: 'vipps.event'; reference: string; name: PaymentEventName }
  | { type: 'idle.reset' }
  | { type: 'idle.timeout' }
  /** HQ: out of order once no customer is using the kiosk, or back in service. */
  | { type: 'maintenance'; on: boolean };

const ACTIVITY = [
  'scan',
  'pay',
  'pay-phone',
  'back',
  'cancel',
  'set-quantity',
  'remove-line',
  'still-here',
  'try-again',
  'language',
  'join-club',
  'skip-club',
] as const;

// Handled on the idle region's own states: a transition declared on the region itself would take the
// whole parallel session as its domain and re-enter the checkout flow too.
const RESTART_IDLE = Object.fromEntries(
  [...ACTIVITY, 'idle.reset'].map((type) => [
    type,
    { target: '#checkout.session.idle.watching', reenter: true },
  ]),
);

type CreateInput = { request: CreatePaymentRequest; key: string };
type ReadInput = { reference: string };
type CaptureInput = { reference: string; amount: Amount; key: string };
type CancelInput = { reference: string; cancelTransactionOnly: boolean; key: string };
type EnrolInput = { accessToken: string; sub: string; msisdn: string };

/** Screens where nothing is in flight at Vipps, so an absent customer's basket can be cleared. */
const IDLE_CLEARS = ['basket', 'identify', 'clubOffer', 'approved', 'declined', 'unavailable'] as const;

const freshClub: ClubSession = { status: 'unknown', msisdn: null, login: null };

/** Where the club stands once it has been asked: the customer pays, at member prices or not. */
const CLUB_SETTLED: readonly ClubStatus[] = CLUB_STATUSES.filter(
  (status) => status !== 'unknown' && status !== 'offered',
);

const PAYING = '#checkout.session.flow.paying';
const BASKET = '#checkout.session.flow.basket';

/** CIBA: after `slow_down`, every later poll waits this much longer. */
const SLOW_DOWN_MS = 5_000;

// Where a reference read back after an unknown outcome leads: on with it if it still fits the basket,
// otherwise release it and start a new attempt.
const ROUTE_READ_BACK = [
  { guard: 'paymentCreatedForBasket', target: '#checkout.session.flow.awaitingApproval' },
  { guard: 'paymentAuthorizedForBasket', target: '#checkout.session.flow.capturing' },
  { guard: 'paymentStillOpen', target: '#checkout.session.flow.paying.resuming.discarding' },
  { target: '#checkout.session.flow.paying.creating' },
] as const;

/** Everything a customer's session holds, as it is before the first scan. */
function freshSession(language: Language) {
  return {
    language,
    basket: emptyBasket,
    customer: null,
    receiptNumber: null,
    attempt: 0,
    reference: null,
    request: null,
    referenceCustomer: null,
    amount: 0,
    expiresAt: null,
    declined: null,
    receipt: null,
    idleWarningEndsAt: null,
    club: freshClub,
  } satisfies Partial<CheckoutContext>;
}

/**
 * A customer named by a scan or the keypad. Someone else than the one the basket was priced for pays
 * shelf prices until the club has been asked about them.
 */
function identifyCustomer(context: CheckoutContext, customer: Customer, msisdn: string | null) {
  if (JSON.stringify(customer) === JSON.stringify(context.customer)) return { customer, declined: null };
  return {
    customer,
    declined: null,
    basket: withoutMemberPrices(context.basket),
    club: { ...freshClub, msisdn },
  };
}

const settleClub =
  (status: ClubStatus) =>
  ({ context }: { context: CheckoutContext }) => ({ club: { ...context.club, status, login: null } });

/** A login sent and not yet run out: the customer may still answer it in the app. */
function loginLive(context: CheckoutContext): boolean {
  const login = context.club.login;
  return login?.authReqId != null && login.expiresAt !== null && login.expiresAt > context.env.now();
}

const pollIs =
  (kind: LoginPoll['kind']) =>
  ({ event }: { event: unknown }) =>
    outputOf<LoginPoll>(event).kind === kind;

function requestFor(context: CheckoutContext, reference: string): CreatePaymentRequest {
  return paymentRequest({
    basket: context.basket,
    customer: context.customer!,
    market: context.env.catalog.market,
    kioskId: context.env.kioskId,
    storeName: context.env.storeName,
    receiptNumber: context.receiptNumber!,
    reference,
  });
}

const currentReference = ({ context }: { context: CheckoutContext }): ReadInput => ({
  reference: context.reference!,
});

/** Cancel of the current reference; `operation` names its Idempotency-Key (cancel-1 is the "only if unapproved" one). */
const cancelInput =
  (cancelTransactionOnly: boolean, operation: 'cancel-1' | 'cancel-2') =>
  ({ context }: { context: CheckoutContext }): CancelInput => ({
    reference: context.reference!,
    cancelTransactionOnly,
    key: operationKey(context.reference!, operation),
  });

const notProvided = (what: string) => async (): Promise<never> => {
  throw new Error(`checkout machine: the ${what} actor was not provided (see provideCheckout)`);
};

function currentAmount(context: CheckoutContext): Amount {
  return { currency: context.env.catalog.market.currency, value: context.amount };
}

/** What the actor an onDone event came from answered. */
function outputOf<T>(event: unknown): T {
  return (event as { output: T }).output;
}

const paymentOf = (event: unknown) => outputOf<GetPaymentResponse>(event);

const paymentIs =
  (...states: GetPaymentResponse['state'][]) =>
  ({ event }: { event: unknown }) =>
    states.includes(paymentOf(event).state);

const errorOf = (event: unknown) => (event as { error: unknown }).error;

/**
 * The checkout, from the first scan to the receipt. Money decisions are made only on what Vipps
 * says when asked (GET the payment); a timeout or a lost answer is "unknown", never "declined".
 */
export const checkoutMachine = setup({
  types: {
    context: {} as CheckoutContext,
    events: {} as CheckoutEvent,
    input: {} as CheckoutEnv,
  },
  actors: {
    reserveReceiptNumber: fromPromise<string, void>(notProvided('reserveReceiptNumber')),
    createPayment: fromPromise<CreatePaymentResponse, CreateInput>(notProvided('createPayment')),
    getPayment: fromPromise<GetPaymentResponse, ReadInput>(notProvided('getPayment')),
    capture: fromPromise<ModificationResponse, CaptureInput>(notProvided('capture')),
    cancel: fromPromise<ModificationResponse, CancelInput>(notProvided('cancel')),
    msisdnOf: fromPromise<string, { personalQr: string }>(notProvided('msisdnOf')),
    lookupMember: fromPromise<Member | null, { msisdn: string }>(notProvided('lookupMember')),
    startLogin: fromPromise<LoginStart, LoginRequest>(notProvided('startLogin')),
    pollLogin: fromPromise<LoginPoll, { authReqId: string }>(notProvided('pollLogin')),
    enrolMember: fromPromise<Member, EnrolInput>(notProvided('enrolMember')),
  },
  delays: {
    pollDelay: ({ context }) => context.pollDelayMs,
    settleRetry: ({ context }) => context.env.timing.settleRetryMs,
    idleAfter: ({ context }) => context.env.timing.idleAfterMs,
    idleWarning: ({ context }) => context.env.timing.idleWarningMs,
    approvalDeadline: ({ context }) =>
      Math.max(0, (context.expiresAt ?? 0) + context.env.timing.approvalGraceMs - context.env.now()),
    loginInterval: ({ context }) => context.club.login!.intervalMs,
    loginDeadline: ({ context }) => Math.max(0, (context.club.login?.expiresAt ?? 0) - context.env.now()),
  },
  guards: {
    scanIsProduct: ({ context, event }) =>
      event.type === 'scan' && applyScan(context, event.text).feedback?.kind === 'added',
    scanIsCustomer: ({ event }) => event.type === 'scan' && customerFromScan(event.text) !== null,
    basketHasItems: ({ context }) => context.basket.lines.length > 0,
    phoneIsPlausible: ({ event }) => event.type === 'pay-phone' && /^\d{10,15}$/.test(event.msisdn),
    hasReceiptNumber: ({ context }) => context.receiptNumber !== null,
    hasReference: ({ context }) => context.reference !== null,
    referenceMatches: ({ context, event }) =>
      event.type === 'vipps.event' && event.reference === context.reference,
    customerCanRetry: ({ context }) =>
      context.customer !== null &&
      context.declined !== 'unknown-customer' &&
      context.declined !== 'invalid-customer',
    outcomeUnknown: ({ event }) => isOutcomeUnknown(errorOf(event)),
    vippsUnreachable: ({ event }) => isVippsUnreachable(errorOf(event)),
    notFound: ({ event }) => isNotFound(errorOf(event)),
    authorizedMeanwhile: ({ event }) => isAuthorizedMeanwhile(errorOf(event)),
    worthRetrying: ({ event }) => isWorthRetrying(errorOf(event)),
    paymentAuthorized: paymentIs('AUTHORIZED'),
    paymentCreated: paymentIs('CREATED'),
    paymentAborted: paymentIs('ABORTED'),
    paymentExpired: paymentIs('EXPIRED'),
    paymentTerminated: paymentIs('TERMINATED'),
    paymentMatchesBasket: ({ context, event }) =>
      paymentOf(event).amount.value === basketTotal(context.basket),
    paymentSettled: ({ event }) => isSettled(paymentOf(event)),
    // Both a capture's answer and a read payment carry the aggregate: the money, not the state, decides.
    fullyCaptured: ({ context, event }) => paymentOf(event).aggregate.capturedAmount.value >= context.amount,
    sameRequest: ({ context }) =>
      context.request !== null &&
      JSON.stringify(requestFor(context, context.reference!)) === JSON.stringify(context.request),
    sameCustomer: ({ context }) =>
      JSON.stringify(context.customer) === JSON.stringify(context.referenceCustomer),
    paymentCreatedForBasket: and(['paymentCreated', 'paymentMatchesBasket', 'sameCustomer']),
    // Authorized and still reserved, by the customer paying now: a reservation already released (the
    // customer cancelled) is not reused, and one the previous customer approved is released, not captured.
    paymentAuthorizedForBasket: and([
      'paymentAuthorized',
      not('paymentSettled'),
      'paymentMatchesBasket',
      'sameCustomer',
    ]),
    paymentStillOpen: or(['paymentCreated', and(['paymentAuthorized', not('paymentSettled')])]),
    customerMayLeave: or(IDLE_CLEARS.map((state) => stateIn(`#checkout.session.flow.${state}`))),
    maintenanceWanted: ({ context }) => context.maintenance,
    cancelledByCustomer: ({ context }) => context.cancelCause === 'customer',
    cancelledByTimeout: ({ context }) => context.cancelCause === 'timeout',
    clubOff: ({ context }) => context.env.club === null,
    clubSettled: ({ context }) => CLUB_SETTLED.includes(context.club.status),
    msisdnKnown: ({ context }) => context.club.msisdn !== null,
    isMember: ({ event }) => outputOf<Member | null>(event) !== null,
    loginLive: ({ context }) => loginLive(context),
    loginPending: pollIs('pending'),
    loginSlowDown: pollIs('slow-down'),
    loginDenied: pollIs('denied'),
    loginExpired: pollIs('expired'),
    loginApproved: pollIs('approved'),
  },
  actions: {
    resetSession: assign(({ context }) => freshSession(context.env.defaultLanguage)),
    applyScan: assign(({ context, event }) => (event.type === 'scan' ? applyScan(context, event.text) : {})),
    setCustomerFromScan: assign(({ context, event }) => ({
      ...identifyCustomer(context, customerFromScan(event.type === 'scan' ? event.text : '')!, null),
      feedback: { seq: (context.feedback?.seq ?? 0) + 1, kind: 'customer' as const },
    })),
    setCustomerFromPhone: assign(({ context, event }) => {
      const msisdn = event.type === 'pay-phone' ? event.msisdn : '';
      return identifyCustomer(context, { phoneNumber: msisdn }, msisdn);
    }),
    settleClub: assign((args, status: ClubStatus) => settleClub(status)(args)),
    becomeMember: assign(({ context }, status: 'member' | 'joined') => ({
      basket: withMemberPrices(context.basket),
      ...settleClub(status)({ context }),
    })),
    setMsisdn: assign(({ context, event }) => ({
      club: { ...context.club, msisdn: outputOf<string>(event) },
    })),
    offerClub: assign(({ context }) => ({ club: { ...context.club, status: 'offered' as const } })),
    skipWithLoginOpen: assign(({ context }) => ({ club: { ...context.club, status: 'skipped' as const } })),
    ignoreScan: assign(({ context }) => ({
      feedback: { seq: (context.feedback?.seq ?? 0) + 1, kind: 'ignored' as const },
    })),
    // A login still open in the app (the customer went back to the basket and joins again) is waited on
    // again rather than sent twice: Vipps refuses a second one to the same person while one is open.
    prepareLogin: assign(({ context }) => ({
      club: {
        ...context.club,
        login: loginLive(context)
          ? context.club.login
          : {
              bindingMessage: context.env.club!.bindingMessage(),
              authReqId: null,
              // Vipps' answer sets it (`interval`); nothing waits on it before then.
              intervalMs: 0,
              expiresAt: null,
            },
      },
    })),
    loginStarted: assign(({ context, event }) => {
      const started = outputOf<LoginStart>(event);
      return {
        club: {
          ...context.club,
          login: {
            ...context.club.login!,
            authReqId: started.authReqId,
            intervalMs: started.intervalSeconds * 1000,
            expiresAt: context.env.now() + started.expiresInSeconds * 1000,
          },
        },
      };
    }),
    // CIBA's slow_down: every later poll waits 5 s longer.
    slowDown: assign(({ context }) => ({
      club: {
        ...context.club,
        login: { ...context.club.login!, intervalMs: context.club.login!.intervalMs + SLOW_DOWN_MS },
      },
    })),
    changeBasket: assign(({ context, event }) => applyBasketChange(context, event)),
    setLanguage: assign(({ context, event }) => ({
      language: event.type === 'language' ? event.language : context.language,
    })),
    nextAttempt: assign(({ context }) => {
      const attempt = context.attempt + 1;
      const reference = paymentReference(context.env.kioskId, context.receiptNumber!, attempt);
      return {
        attempt,
        reference,
        request: requestFor(context, reference),
        referenceCustomer: context.customer,
        amount: basketTotal(context.basket),
        expiresAt: null,
        declined: null,
      };
    }),
    // A reference the session lets go of while Vipps may still hold it live: the kiosk's recovery takes it.
    abandonReference: ({ context }) => {
      if (context.reference) context.env.onAbandon(context.reference);
    },
    startWaiting: assign(({ context }) => ({
      expiresAt: context.expiresAt ?? context.env.now() + context.env.timing.approvalWindowMs,
      pollDelayMs: context.env.timing.pollFirstMs,
      vippsReachable: true,
    })),
    pollAgainSoon: assign(({ context }) => ({
      pollDelayMs: context.env.timing.pollEveryMs,
      vippsReachable: true,
    })),
    // Vipps asked us to slow down (429) or could not be reached: double the wait, up to the cap.
    pollBackOff: assign(({ context, event }) => ({
      pollDelayMs: Math.min(context.env.timing.pollMaxBackoffMs, context.pollDelayMs * 2),
      vippsReachable: !isVippsUnreachable(errorOf(event)),
    })),
    markUnreachable: assign({ vippsReachable: false }),
    markReachable: assign({ vippsReachable: true }),
    decline: assign((_, reason: DeclineReason) => ({ declined: reason })),
    declineFromError: assign(({ event }) => ({ declined: declineReasonFor(errorOf(event)) })),
    causeCancel: assign((_, cause: CheckoutContext['cancelCause']) => ({ cancelCause: cause })),
    keepReceipt: assign(({ context }) => ({
      receipt: {
        receiptNumber: context.receiptNumber!,
        reference: context.reference!,
        paidAt: context.env.now(),
        orderLines: buildReceipt(context.basket, {
          market: context.env.catalog.market,
          posId: context.env.kioskId,
          receiptNumber: context.receiptNumber!,
        }).orderLines,
        total: context.amount,
      },
      basket: emptyBasket,
      customer: null,
      club: freshClub,
      receiptNumber: null,
      attempt: 0,
      reference: null,
      request: null,
      referenceCustomer: null,
      expiresAt: null,
    })),
    showIdleWarning: assign(({ context }) => ({
      idleWarningEndsAt: context.env.now() + context.env.timing.idleWarningMs,
    })),
    hideIdleWarning: assign({ idleWarningEndsAt: null }),
    resetIdle: raise({ type: 'idle.reset' }),
  },
}).createMachine({
  id: 'checkout',
  context: ({ input }) => ({
    env: input,
    ...freshSession(input.defaultLanguage),
    feedback: null,
    pollDelayMs: input.timing.pollFirstMs,
    cancelCause: 'customer',
    vippsReachable: true,
    maintenance: false,
  }),
  initial: 'attract',
  on: {
    language: { actions: 'setLanguage' },
    maintenance: { actions: assign({ maintenance: ({ event }) => event.on }) },
  },
  states: {
    attract: {
      tags: ['screen:attract'],
      entry: 'resetSession',
      always: { guard: 'maintenanceWanted', target: 'maintenance' },
      on: {
        scan: [{ guard: 'scanIsProduct', target: 'session', actions: 'applyScan' }, { actions: 'applyScan' }],
      },
    },
    // Out of order: no scan is taken; a payment in flight was finished before the kiosk came here.
    maintenance: {
      tags: ['screen:maintenance'],
      always: { guard: not('maintenanceWanted'), target: 'attract' },
    },
    session: {
      type: 'parallel',
      exit: 'abandonReference',
      on: {
        'idle.timeout': { target: 'attract' },
      },
      states: {
        flow: {
          initial: 'basket',
          states: {
            basket: {
              tags: ['screen:basket'],
              entry: 'resetIdle',
              always: { guard: not('basketHasItems'), target: '#checkout.attract' },
              on: {
                scan: [
                  { guard: 'scanIsCustomer', target: 'membership', actions: 'setCustomerFromScan' },
                  { actions: 'applyScan' },
                ],
                pay: { target: 'identify' },
                'set-quantity': { actions: 'changeBasket' },
                'remove-line': { actions: 'changeBasket' },
                'start-over': { target: '#checkout.attract' },
              },
            },
            identify: {
              tags: ['screen:identify'],
              entry: 'resetIdle',
              on: {
                scan: [
                  { guard: 'scanIsCustomer', target: 'membership', actions: 'setCustomerFromScan' },
                  { guard: 'scanIsProduct', target: 'basket', actions: 'applyScan' },
                  { actions: 'applyScan' },
                ],
                'pay-phone': {
                  guard: 'phoneIsPlausible',
                  target: 'membership',
                  actions: 'setCustomerFromPhone',
                },
                back: { target: 'basket' },
                'start-over': { target: '#checkout.attract' },
              },
            },
            // Customer club: who is paying decides the prices. Without a club, straight on to paying.
            membership: {
              tags: ['screen:club-checking'],
              initial: 'routing',
              states: {
                routing: {
                  always: [
                    { guard: or(['clubOff', 'clubSettled']), target: PAYING },
                    { guard: 'msisdnKnown', target: 'lookingUp' },
                    { target: 'exchanging' },
                  ],
                },
                exchanging: {
                  invoke: {
                    src: 'msisdnOf',
                    input: ({ context }) => ({
                      personalQr: (context.customer as { personalQr: string }).personalQr,
                    }),
                    onDone: { target: 'lookingUp', actions: 'setMsisdn' },
                    // The payment itself still goes to the scanned QR: only the club is skipped.
                    onError: { target: PAYING, actions: { type: 'settleClub', params: 'unavailable' } },
                  },
                },
                lookingUp: {
                  invoke: {
                    src: 'lookupMember',
                    input: ({ context }) => ({ msisdn: context.club.msisdn! }),
                    onDone: [
                      {
                        guard: 'isMember',
                        target: PAYING,
                        actions: { type: 'becomeMember', params: 'member' },
                      },
                      { target: '#checkout.session.flow.clubOffer', actions: 'offerClub' },
                    ],
                    // Not knowing is not "not a member": no offer, shelf prices this time.
                    onError: { target: PAYING, actions: { type: 'settleClub', params: 'unavailable' } },
                  },
                },
              },
            },
            clubOffer: {
              tags: ['screen:club-offer'],
              entry: 'resetIdle',
              on: {
                'join-club': { target: 'consent' },
                'skip-club': { target: 'paying', actions: { type: 'settleClub', params: 'skipped' } },
                back: { target: 'basket' },
                'start-over': { target: '#checkout.attract' },
                scan: [
                  { guard: 'scanIsProduct', target: 'basket', actions: 'applyScan' },
                  { actions: 'applyScan' },
                ],
              },
            },
            // A Vipps Login push (CIBA) to the customer's phone; the same code shows here and in the app.
            // Not idle-clearing: the customer is busy on their phone. A login that runs out leads back to
            // the basket, never on to a payment push nobody may be there to see.
            consent: {
              tags: ['screen:club-consent'],
              entry: ['prepareLogin', 'resetIdle'],
              initial: 'choosing',
              on: {
                // The request stays in the app (CIBA cannot withdraw it): the payment screens say to ignore it.
                'skip-club': { target: 'paying', actions: 'skipWithLoginOpen' },
                // Back to the basket; paying again offers the club again, and Join picks this login up.
                back: { target: 'basket' },
                'start-over': { target: '#checkout.attract' },
                // The basket being priced stays as it is while the customer decides in the app.
                scan: { actions: 'ignoreScan' },
              },
              states: {
                choosing: { always: [{ guard: 'loginLive', target: 'awaiting' }, { target: 'starting' }] },
                starting: {
                  invoke: {
                    src: 'startLogin',
                    input: ({ context }) => ({
                      msisdn: context.club.msisdn!,
                      scope: context.env.club!.scopes,
                      bindingMessage: context.club.login!.bindingMessage,
                      requestedExpirySeconds: context.env.club!.loginExpirySeconds,
                    }),
                    onDone: { target: 'awaiting', actions: 'loginStarted' },
                    onError: { target: PAYING, actions: { type: 'settleClub', params: 'unavailable' } },
                  },
                },
                awaiting: {
                  initial: 'waiting',
                  after: {
                    loginDeadline: { target: BASKET, actions: { type: 'settleClub', params: 'timeout' } },
                  },
                  states: {
                    waiting: { after: { loginInterval: 'polling' } },
                    polling: {
                      invoke: {
                        src: 'pollLogin',
                        input: ({ context }) => ({ authReqId: context.club.login!.authReqId! }),
                        onDone: [
                          { guard: 'loginPending', target: 'waiting' },
                          { guard: 'loginSlowDown', target: 'waiting', actions: 'slowDown' },
                          {
                            guard: 'loginDenied',
                            target: PAYING,
                            actions: { type: 'settleClub', params: 'declined' },
                          },
                          {
                            guard: 'loginExpired',
                            target: BASKET,
                            actions: { type: 'settleClub', params: 'timeout' },
                          },
                          { guard: 'loginApproved', target: '#checkout.session.flow.consent.enrolling' },
                        ],
                        // A blip on the way to Vipps: ask again at the next interval, until the login runs out.
                        onError: [
                          { guard: 'vippsUnreachable', target: 'waiting' },
                          { target: PAYING, actions: { type: 'settleClub', params: 'unavailable' } },
                        ],
                      },
                    },
                  },
                },
                // Approved in the app: a moment to enrol, and nothing the screen sends changes course.
                enrolling: {
                  on: { 'skip-club': {}, back: {}, 'start-over': {} },
                  invoke: {
                    src: 'enrolMember',
                    input: ({ context, event }) => {
                      const approved = outputOf<LoginPoll>(event) as Extract<LoginPoll, { kind: 'approved' }>;
                      return {
                        accessToken: approved.accessToken,
                        sub: approved.sub,
                        msisdn: context.club.msisdn!,
                      };
                    },
                    onDone: { target: PAYING, actions: { type: 'becomeMember', params: 'joined' } },
                    onError: { target: PAYING, actions: { type: 'settleClub', params: 'unavailable' } },
                  },
                },
              },
            },
            paying: {
              tags: ['screen:paying'],
              initial: 'numbering',
              states: {
                numbering: {
                  // A reference already made for this basket may still be alive at Vipps (an answer lost, a
                  // customer who approves late): read it back before any new request goes out.
                  always: [
                    { guard: and(['hasReceiptNumber', 'hasReference']), target: 'resuming' },
                    { guard: 'hasReceiptNumber', target: 'creating' },
                  ],
                  invoke: {
                    src: 'reserveReceiptNumber',
                    onDone: {
                      target: 'creating',
                      actions: assign({ receiptNumber: ({ event }) => event.output }),
                    },
                    onError: { target: '#checkout.session.flow.unavailable' },
                  },
                },
                creating: {
                  entry: 'nextAttempt',
                  always: 'sending',
                },
                // The create of the current reference, with the request it was first sent with: a repeat
                // (same key, same body) can never make a second payment.
                sending: {
                  invoke: {
                    src: 'createPayment',
                    input: ({ context }) => ({
                      request: context.request!,
                      key: operationKey(context.reference!, 'create'),
                    }),
                    onDone: { target: '#checkout.session.flow.awaitingApproval' },
                    onError: [
                      { guard: 'outcomeUnknown', target: 'verifying', actions: 'markUnreachable' },
                      {
                        guard: 'vippsUnreachable',
                        target: '#checkout.session.flow.unavailable',
                        actions: 'markUnreachable',
                      },
                      { target: '#checkout.session.flow.declined', actions: 'declineFromError' },
                    ],
                  },
                },
                // The create request may have reached Vipps even though its answer did not reach us.
                verifying: {
                  invoke: {
                    src: 'getPayment',
                    input: currentReference,
                    onDone: ROUTE_READ_BACK.map((route) => ({ ...route, actions: 'markReachable' as const })),
                    onError: { target: '#checkout.session.flow.unavailable', actions: 'markUnreachable' },
                  },
                },
                // "Try again" after Vipps was unreachable: first find out what became of the last reference.
                resuming: {
                  initial: 'reading',
                  states: {
                    reading: {
                      invoke: {
                        src: 'getPayment',
                        input: currentReference,
                        onDone: ROUTE_READ_BACK.map((route) => ({
                          ...route,
                          actions: 'markReachable' as const,
                        })),
                        onError: [
                          // Not at Vipps (yet): send the very same request again, so a late original is harmless.
                          {
                            guard: and(['notFound', 'sameRequest']),
                            target: '#checkout.session.flow.paying.sending',
                            actions: 'markReachable',
                          },
                          // The basket or customer changed: the old reference is left to recovery to watch.
                          {
                            guard: 'notFound',
                            target: '#checkout.session.flow.paying.creating',
                            actions: ['abandonReference', 'markReachable'],
                          },
                          { target: '#checkout.session.flow.unavailable', actions: 'markUnreachable' },
                        ],
                      },
                    },
                    // The basket changed while Vipps was away: release the old request before a new one.
                    discarding: {
                      invoke: {
                        src: 'cancel',
                        input: cancelInput(false, 'cancel-2'),
                        onDone: { target: '#checkout.session.flow.paying.creating' },
                        onError: { target: '#checkout.session.flow.unavailable', actions: 'markUnreachable' },
                      },
                    },
                  },
                },
              },
            },
            awaitingApproval: {
              tags: ['screen:awaiting-approval'],
              entry: 'startWaiting',
              initial: 'waiting',
              after: {
                approvalDeadline: {
                  target: 'cancelling',
                  actions: { type: 'causeCancel', params: 'timeout' },
                },
              },
              on: {
                cancel: { target: 'cancelling', actions: { type: 'causeCancel', params: 'customer' } },
                // A relayed webhook is a hint to look now; the decision still comes from reading the payment.
                'vipps.event': { guard: 'referenceMatches', target: '.polling' },
              },
              states: {
                waiting: { after: { pollDelay: 'polling' } },
                polling: {
                  invoke: {
                    src: 'getPayment',
                    input: currentReference,
                    onDone: [
                      { guard: 'paymentAuthorized', target: '#checkout.session.flow.capturing' },
                      {
                        guard: 'paymentAborted',
                        target: '#checkout.session.flow.declined',
                        actions: { type: 'decline', params: 'rejected' },
                      },
                      {
                        guard: 'paymentExpired',
                        target: '#checkout.session.flow.declined',
                        actions: { type: 'decline', params: 'expired' },
                      },
                      {
                        guard: 'paymentTerminated',
                        target: '#checkout.session.flow.declined',
                        actions: { type: 'decline', params: 'cancelled' },
                      },
                      { target: 'waiting', actions: 'pollAgainSoon' },
                    ],
                    onError: { target: 'waiting', actions: 'pollBackOff' },
                  },
                },
              },
            },
            cancelling: {
              tags: ['screen:cancelling'],
              initial: 'unapprovedOnly',
              states: {
                // cancelTransactionOnly: Vipps refuses (6060) if the customer approved in the meantime.
                unapprovedOnly: {
                  invoke: {
                    src: 'cancel',
                    input: cancelInput(true, 'cancel-1'),
                    onDone: { target: 'done', actions: 'markReachable' },
                    onError: [
                      { guard: 'authorizedMeanwhile', target: 'releasing' },
                      { guard: 'worthRetrying', target: 'pausing' },
                      { target: 'checking' },
                    ],
                  },
                },
                pausing: { after: { settleRetry: 'checking' } },
                checking: {
                  invoke: {
                    src: 'getPayment',
                    input: currentReference,
                    onDone: [
                      { guard: and(['paymentAuthorized', 'paymentSettled']), target: 'done' },
                      { guard: 'paymentAuthorized', target: 'releasing' },
                      { guard: 'paymentCreated', target: 'unapprovedOnly' },
                      { target: 'done' },
                    ],
                    onError: { target: 'pausing' },
                  },
                },
                // The customer asked to cancel and got no goods: release the whole reservation.
                releasing: {
                  invoke: {
                    src: 'cancel',
                    input: cancelInput(false, 'cancel-2'),
                    onDone: { target: 'done', actions: 'markReachable' },
                    onError: { target: 'pausing' },
                  },
                },
                done: { type: 'final' },
              },
              onDone: [
                { guard: 'cancelledByCustomer', target: 'basket' },
                {
                  guard: 'cancelledByTimeout',
                  target: 'declined',
                  actions: { type: 'decline', params: 'expired' },
                },
                { target: 'declined', actions: { type: 'decline', params: 'refused' } },
              ],
            },
            capturing: {
              tags: ['screen:capturing'],
              initial: 'requesting',
              states: {
                requesting: {
                  invoke: {
                    src: 'capture',
                    input: ({ context }) => ({
                      reference: context.reference!,
                      amount: currentAmount(context),
                      key: operationKey(context.reference!, 'capture-1'),
                    }),
                    onDone: [
                      { guard: 'fullyCaptured', target: '#checkout.session.flow.approved' },
                      { target: 'checking' },
                    ],
                    onError: [{ guard: 'worthRetrying', target: 'pausing' }, { target: 'checking' }],
                  },
                },
                // Same Idempotency-Key on every retry: a capture that did happen is not repeated.
                pausing: { after: { settleRetry: 'requesting' } },
                checking: {
                  invoke: {
                    src: 'getPayment',
                    input: currentReference,
                    onDone: [
                      { guard: 'fullyCaptured', target: '#checkout.session.flow.approved' },
                      {
                        target: '#checkout.session.flow.cancelling.releasing',
                        actions: { type: 'causeCancel', params: 'capture-refused' },
                      },
                    ],
                    onError: { target: 'pausing' },
                  },
                },
              },
            },
            approved: {
              tags: ['screen:approved'],
              entry: ['keepReceipt', 'resetIdle'],
              on: {
                done: { target: '#checkout.attract' },
                scan: [
                  {
                    guard: 'scanIsProduct',
                    target: 'basket',
                    actions: ['resetSession', 'applyScan'],
                  },
                  { actions: 'applyScan' },
                ],
              },
            },
            declined: {
              tags: ['screen:declined'],
              entry: 'resetIdle',
              on: {
                'try-again': [{ guard: 'customerCanRetry', target: 'membership' }, { target: 'identify' }],
                back: { target: 'basket' },
                scan: [
                  { guard: 'scanIsCustomer', target: 'membership', actions: 'setCustomerFromScan' },
                  { guard: 'scanIsProduct', target: 'basket', actions: 'applyScan' },
                  { actions: 'applyScan' },
                ],
                'start-over': { target: '#checkout.attract' },
              },
            },
            unavailable: {
              tags: ['screen:unavailable'],
              entry: 'resetIdle',
              always: { guard: not('basketHasItems'), target: '#checkout.attract' },
              on: {
                'try-again': { target: 'paying' },
                back: { target: 'basket' },
                // Scanning and editing still work while Vipps is away; the notice stays until it is back.
                scan: [
                  { guard: 'scanIsCustomer', target: 'membership', actions: 'setCustomerFromScan' },
                  { actions: 'applyScan' },
                ],
                'set-quantity': { actions: 'changeBasket' },
                'remove-line': { actions: 'changeBasket' },
                'start-over': { target: '#checkout.attract' },
              },
            },
          },
        },
        idle: {
          initial: 'watching',
          states: {
            watching: {
              on: RESTART_IDLE,
              after: {
                idleAfter: [
                  { guard: 'customerMayLeave', target: 'warning' },
                  { target: 'watching', reenter: true },
                ],
              },
            },
            warning: {
              on: RESTART_IDLE,
              entry: 'showIdleWarning',
              exit: 'hideIdleWarning',
              after: { idleWarning: { actions: raise({ type: 'idle.timeout' }) } },
            },
          },
        },
      },
    },
  },
});
