import {
  and,
  assign,
  emit,
  enqueueActions,
  fromPromise,
  not,
  or,
  raise,
  sendTo,
  setup,
  stateIn,
} from 'xstate';
import { CLUB_STATUSES, type ClubStatus, type DeclineReason } from '../../contracts/screen-model.js';
import type {
  CreatePaymentRequest,
  CreatePaymentResponse,
  GetPaymentResponse,
  ModificationResponse,
} from '../../contracts/vipps-types.js';
import { operationKey } from '../vipps/request-rules.js';
import type { CheckoutContext, CheckoutEnv, CheckoutEvent } from './checkout-types.js';
import { type ConsentOutcome, consentMachine } from './club-consent.js';
import type { Member } from './domain/member.js';
import { withMemberPrices } from './domain/member-prices.js';
import type { CheckoutDomainEvent } from './domain-events.js';
import { clockNow } from './machine-clock.js';
import { applyBasketChange, applyScan, customerFromScan } from './scan-effects.js';
import {
  currentPayment,
  freshSession,
  identifyCustomer,
  nextAttempt,
  offerEnded,
  paidReceipt,
  paymentFitsSession,
  readBackFitsSession,
  saleCompleted,
} from './session.js';
import {
  type CancelInput,
  type CancelOutput,
  type CaptureOutput,
  cancelInput,
  cancelMachine,
  captureMachine,
  errorOf,
  notProvided,
  outputOf,
} from './settle-payment.js';
import {
  declineReasonFor,
  isNotFound,
  isOutcomeUnknown,
  isSettled,
  isVippsUnreachable,
} from './vipps-outcomes.js';

export type { CheckoutContext, CheckoutEnv, CheckoutEvent, ClubPolicy } from './checkout-types.js';

/**
 * The checkout, from the first scan to the receipt. Read the chart at the bottom first: each state is
 * a screen (its `screen:` tag); the club consent and the capture/cancel loops run as child machines.
 * Money decisions are made only on what Vipps says when asked (GET the payment); a timeout or a lost
 * answer is "unknown", never "declined". Facts (a sale, a decline, a payment let go) are emitted as
 * domain events for telemetry and the journal (domain-events.ts).
 */

/** Anything the customer does: restarts the idle timer. */
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
  'idle.reset',
] as const;

// Handled on the idle region's own states: a transition declared on the region itself would take the
// whole parallel session as its domain and re-enter the checkout flow too.
const RESTART_IDLE = Object.fromEntries(
  ACTIVITY.map((type) => [type, { target: 'watching', reenter: true }]),
);

type FlowState = 'basket' | 'identify' | 'clubOffer' | 'consent' | 'approved' | 'declined' | 'unavailable';
const inFlow = (...states: FlowState[]) => or(states.map((flow) => stateIn({ session: { flow } })));

/** Where the club stands once it has been asked: the customer pays, at member prices or not. */
const CLUB_SETTLED: readonly ClubStatus[] = CLUB_STATUSES.filter(
  (status) => status !== 'unknown' && status !== 'offered',
);

// Where a reference read back after an unknown outcome leads: on with it if it still fits the basket,
// otherwise release it and start a new attempt.
const ROUTE_READ_BACK = [
  { guard: 'createdForSession', target: '#flow.awaitingApproval', actions: 'markReachable' },
  { guard: 'authorizedForSession', target: '#flow.capturing', actions: 'markReachable' },
  { guard: 'paymentStillOpen', target: '#flow.paying.resuming.discarding', actions: 'markReachable' },
  { target: '#flow.paying.creating', actions: 'markReachable' },
] as const;

const consentEnded =
  (outcome: ConsentOutcome) =>
  ({ event }: { event: unknown }) =>
    outputOf<{ outcome: ConsentOutcome }>(event).outcome === outcome;

const readPayment = ({ context }: { context: CheckoutContext }) => ({
  reference: currentPayment(context).reference,
});
const readBack = (event: unknown) => outputOf<GetPaymentResponse>(event);
const paymentIs =
  (state: GetPaymentResponse['state']) =>
  ({ event }: { event: unknown }) =>
    readBack(event).state === state;

export const checkoutMachine = setup({
  types: {
    context: {} as CheckoutContext,
    events: {} as CheckoutEvent,
    input: {} as CheckoutEnv,
    emitted: {} as CheckoutDomainEvent,
  },
  actors: {
    reserveReceiptNumber: fromPromise<string, void>(notProvided('reserveReceiptNumber')),
    createPayment: fromPromise<CreatePaymentResponse, { request: CreatePaymentRequest; key: string }>(
      notProvided('createPayment'),
    ),
    cancel: fromPromise<ModificationResponse, CancelInput>(notProvided('cancel')),
    getPayment: fromPromise<GetPaymentResponse, { reference: string }>(notProvided('getPayment')),
    msisdnOf: fromPromise<string, { personalQr: string }>(notProvided('msisdnOf')),
    lookupMember: fromPromise<Member | null, { msisdn: string }>(notProvided('lookupMember')),
    consent: consentMachine,
    capturePayment: captureMachine,
    cancelPayment: cancelMachine,
  },
  delays: {
    pollDelay: ({ context }) => context.pollDelayMs,
    idleAfter: ({ context }) => context.env.timing.idleAfterMs,
    idleWarning: ({ context }) => context.env.timing.idleWarningMs,
    approvalDeadline: ({ context, system }) =>
      Math.max(0, (context.payment?.expiresAt ?? 0) + context.env.timing.approvalGraceMs - clockNow(system)),
  },
  guards: {
    scanNamesCustomer: ({ event }) => event.type === 'scan' && customerFromScan(event.text) !== null,
    basketHasItems: ({ context }) => context.basket.lines.length > 0,
    phoneIsPlausible: ({ event }) => event.type === 'pay-phone' && /^\d{10,15}$/.test(event.msisdn),
    hasReceiptNumber: ({ context }) => context.receiptNumber !== null,
    hasReference: ({ context }) => context.payment !== null,
    aboutCurrentReference: ({ context, event }) =>
      event.type === 'vipps.event' && event.reference === context.payment?.reference,
    customerCanRetry: ({ context }) =>
      context.customer !== null &&
      context.declined !== 'unknown-customer' &&
      context.declined !== 'invalid-customer',
    outcomeUnknown: ({ event }) => isOutcomeUnknown(errorOf(event)),
    vippsUnreachable: ({ event }) => isVippsUnreachable(errorOf(event)),
    notAtVipps: ({ event }) => isNotFound(errorOf(event)),
    paymentAuthorized: paymentIs('AUTHORIZED'),
    paymentCreated: paymentIs('CREATED'),
    paymentAborted: paymentIs('ABORTED'),
    paymentExpired: paymentIs('EXPIRED'),
    paymentTerminated: paymentIs('TERMINATED'),
    paymentReserved: ({ event }) => readBack(event).state === 'AUTHORIZED' && !isSettled(readBack(event)),
    readBackFitsSession: ({ context, event }) => readBackFitsSession(context, readBack(event)),
    paymentFitsSession: ({ context }) => paymentFitsSession(context),
    createdForSession: and(['paymentCreated', 'readBackFitsSession']),
    // Authorized and still reserved, by the customer paying now: a reservation already released (the
    // customer cancelled) is not reused, and one the previous customer approved is released, not captured.
    authorizedForSession: and(['paymentReserved', 'readBackFitsSession']),
    paymentStillOpen: or(['paymentCreated', 'paymentReserved']),
    captured: ({ event }) => outputOf<CaptureOutput>(event).captured,
    customerMayLeave: inFlow('basket', 'identify', 'clubOffer', 'approved', 'declined', 'unavailable'),
    maintenanceWanted: ({ context }) => context.maintenance,
    cancelledByCustomer: ({ context }) => context.cancelCause === 'customer',
    cancelledByTimeout: ({ context }) => context.cancelCause === 'timeout',
    clubOff: ({ context }) => context.env.club === null,
    clubSettled: ({ context }) => CLUB_SETTLED.includes(context.club.status),
    msisdnKnown: ({ context }) => context.club.msisdn !== null,
    isMember: ({ event }) => outputOf<Member | null>(event) !== null,
    joined: consentEnded('joined'),
    skipped: consentEnded('skipped'),
    saidNo: consentEnded('declined'),
    ranOut: consentEnded('timeout'),
    wentBack: consentEnded('back'),
    startedOver: consentEnded('start-over'),
  },
  actions: {
    resetSession: enqueueActions(({ context, enqueue }) => {
      const ended = offerEnded(context, 'unknown');
      if (ended) enqueue.emit(ended);
      enqueue.assign(freshSession(context.env.defaultLanguage));
    }),
    // The scan is worked out once; whether it put an item in the basket is raised for the screen to act on.
    applyScan: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'scan') return;
      const changes = applyScan(context, event.text);
      enqueue.assign(changes);
      if (changes.feedback.kind === 'added') enqueue.raise({ type: 'scan.added' });
    }),
    setCustomerFromScan: enqueueActions(({ context, event, enqueue }) => {
      const customer = event.type === 'scan' ? customerFromScan(event.text) : null;
      if (customer === null) return;
      const changes = identifyCustomer(context, customer, null);
      if ('club' in changes) {
        const ended = offerEnded(context, 'unknown');
        if (ended) enqueue.emit(ended);
      }
      enqueue.assign({ ...changes, feedback: { seq: (context.feedback?.seq ?? 0) + 1, kind: 'customer' } });
    }),
    setCustomerFromPhone: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'pay-phone') return;
      const changes = identifyCustomer(context, { phoneNumber: event.msisdn }, event.msisdn);
      if ('club' in changes) {
        const ended = offerEnded(context, 'unknown');
        if (ended) enqueue.emit(ended);
      }
      enqueue.assign(changes);
    }),
    settleClub: enqueueActions(({ context, enqueue }, status: ClubStatus) => {
      const ended = offerEnded(context, status);
      if (ended) enqueue.emit(ended);
      enqueue.assign({
        club: { ...context.club, status, login: status === 'skipped' ? context.club.login : null },
      });
    }),
    becomeMember: enqueueActions(({ context, enqueue }, status: 'member' | 'joined') => {
      const ended = offerEnded(context, status);
      if (ended) enqueue.emit(ended);
      enqueue.assign({
        basket: withMemberPrices(context.basket),
        club: { ...context.club, status, login: null },
      });
    }),
    setMsisdn: assign(({ context, event }) => ({
      club: { ...context.club, msisdn: outputOf<string>(event) },
    })),
    offerClub: assign(({ context }) => ({ club: { ...context.club, status: 'offered' as const } })),
    ignoreScan: assign(({ context }) => ({
      feedback: { seq: (context.feedback?.seq ?? 0) + 1, kind: 'ignored' as const },
    })),
    scanDropped: assign(({ context }) => ({
      feedback: { seq: (context.feedback?.seq ?? 0) + 1, kind: 'scan-incomplete' as const },
    })),
    // A login still open in the app (the customer went back to the basket and joins again) is waited on
    // again rather than sent twice: Vipps refuses a second one to the same person while one is open.
    prepareLogin: assign(({ context, system }) => {
      const { login } = context.club;
      const live = login?.authReqId != null && login.expiresAt !== null && login.expiresAt > clockNow(system);
      if (live) return {};
      const bindingMessage = context.env.club?.bindingMessage() ?? '';
      return {
        club: { ...context.club, login: { bindingMessage, authReqId: null, intervalMs: 0, expiresAt: null } },
      };
    }),
    keepLogin: assign(({ context, event }) =>
      event.type === 'club.login' ? { club: { ...context.club, login: event.login } } : {},
    ),
    changeBasket: assign(({ context, event }) => applyBasketChange(context, event)),
    setLanguage: assign(({ context, event }) => ({
      language: event.type === 'language' ? event.language : context.language,
    })),
    keepReceiptNumber: assign({ receiptNumber: ({ event }) => outputOf<string>(event) }),
    startAttempt: assign(({ context }) => {
      const { receiptNumber, customer } = context;
      if (receiptNumber === null || customer === null)
        throw new Error('checkout machine: a payment needs a receipt number and a customer');
      return nextAttempt(context, receiptNumber, customer);
    }),
    // A reference the session lets go of while Vipps may still hold it live: recovery must take it.
    abandonPayment: enqueueActions(({ context, enqueue }) => {
      if (context.payment) enqueue.emit({ type: 'payment.abandoned', reference: context.payment.reference });
    }),
    startWaiting: assign(({ context, system }) => {
      const payment = currentPayment(context);
      const expiresAt = payment.expiresAt ?? clockNow(system) + context.env.timing.approvalWindowMs;
      return {
        payment: { ...payment, expiresAt },
        pollDelayMs: context.env.timing.pollFirstMs,
        vippsReachable: true,
      };
    }),
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
    tellDeclined: emit(({ context }) => ({
      type: 'payment.declined' as const,
      reference: context.payment?.reference ?? null,
      reason: context.declined ?? 'refused',
      amount: context.payment?.amount ?? null,
    })),
    tellCancelled: emit(({ context }) => {
      const { reference, amount } = currentPayment(context);
      return { type: 'payment.cancelled' as const, reference, amount };
    }),
    markReachableIfCancelAnswered: assign(({ context, event }) => ({
      vippsReachable: outputOf<CancelOutput>(event).cancelAnswered || context.vippsReachable,
    })),
    // The sale is final: the receipt stays on screen, the session is cleared for the next customer.
    completeSale: enqueueActions(({ context, event, enqueue, system }) => {
      const { receiptNumber } = context;
      if (receiptNumber === null) throw new Error('checkout machine: a sale needs its receipt number');
      const receipt = paidReceipt(currentPayment(context), receiptNumber, clockNow(system));
      enqueue.emit(saleCompleted(context, receipt, outputOf<CaptureOutput>(event)));
      enqueue.assign({ ...freshSession(context.language), receipt });
    }),
    // The next customer starts where the last one left off only in the basket they scan into.
    startNextSale: assign(({ context }) => ({ language: context.env.defaultLanguage, receipt: null })),
    showIdleWarning: assign(({ context, system }) => ({
      idleWarningEndsAt: clockNow(system) + context.env.timing.idleWarningMs,
    })),
    hideIdleWarning: assign({ idleWarningEndsAt: null }),
    resetIdle: raise({ type: 'idle.reset' }),
    identify: enqueueActions(({ event, enqueue }) => {
      if (event.type !== 'identify') return;
      enqueue.cancel('identify');
      enqueue.assign({ identifying: true });
      enqueue.raise({ type: 'identify.ended' }, { id: 'identify', delay: event.seconds * 1000 });
    }),
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
    identifying: false,
  }),
  initial: 'attract',
  on: {
    language: { actions: 'setLanguage' },
    maintenance: { actions: assign({ maintenance: ({ event }) => event.on }) },
    identify: { actions: 'identify' },
    'identify.ended': { actions: assign({ identifying: false }) },
    'scan.dropped': { actions: 'scanDropped' },
  },
  states: {
    attract: {
      tags: ['screen:attract'],
      entry: 'resetSession',
      always: { guard: 'maintenanceWanted', target: 'maintenance' },
      on: { scan: { actions: 'applyScan' }, 'scan.added': { target: 'session' } },
    },
    // Out of order: no scan is taken; a payment in flight was finished before the kiosk came here.
    maintenance: {
      tags: ['screen:maintenance'],
      always: { guard: not('maintenanceWanted'), target: 'attract' },
    },
    session: {
      type: 'parallel',
      exit: 'abandonPayment',
      on: { 'idle.timeout': { target: 'attract' } },
      states: {
        flow: {
          id: 'flow',
          initial: 'basket',
          on: {
            // One rule for every screen that takes scans: a customer QR names who pays where paying can
            // start, anything else goes to the basket with its feedback. Screens act on `scan.added`.
            scan: [
              {
                guard: and(['scanNamesCustomer', inFlow('basket', 'identify', 'declined', 'unavailable')]),
                target: '.membership',
                actions: 'setCustomerFromScan',
              },
              {
                guard: inFlow('basket', 'identify', 'clubOffer', 'approved', 'declined', 'unavailable'),
                actions: 'applyScan',
              },
            ],
          },
          states: {
            basket: {
              tags: ['screen:basket'],
              entry: 'resetIdle',
              always: { guard: not('basketHasItems'), target: '#checkout.attract' },
              on: {
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
                'scan.added': { target: 'basket' },
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
                    { guard: or(['clubOff', 'clubSettled']), target: '#flow.paying' },
                    { guard: 'msisdnKnown', target: 'lookingUp' },
                    { target: 'exchanging' },
                  ],
                },
                exchanging: {
                  invoke: {
                    src: 'msisdnOf',
                    input: ({ context }) => ({
                      personalQr:
                        context.customer && 'personalQr' in context.customer
                          ? context.customer.personalQr
                          : '',
                    }),
                    onDone: { target: 'lookingUp', actions: 'setMsisdn' },
                    // The payment itself still goes to the scanned QR: only the club is skipped.
                    onError: {
                      target: '#flow.paying',
                      actions: { type: 'settleClub', params: 'unavailable' },
                    },
                  },
                },
                lookingUp: {
                  invoke: {
                    src: 'lookupMember',
                    input: ({ context }) => ({ msisdn: context.club.msisdn ?? '' }),
                    onDone: [
                      {
                        guard: 'isMember',
                        target: '#flow.paying',
                        actions: { type: 'becomeMember', params: 'member' },
                      },
                      { target: '#flow.clubOffer', actions: 'offerClub' },
                    ],
                    // Not knowing is not "not a member": no offer, shelf prices this time.
                    onError: {
                      target: '#flow.paying',
                      actions: { type: 'settleClub', params: 'unavailable' },
                    },
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
                'scan.added': { target: 'basket' },
              },
            },
            // The Vipps Login push and its answer (club-consent.ts). Not idle-clearing: the customer is
            // busy on their phone. A login that runs out leads back to the basket, never on to a payment
            // push nobody may be there to see; a skip leaves the request in the app (CIBA cannot withdraw it).
            consent: {
              tags: ['screen:club-consent'],
              entry: ['prepareLogin', 'resetIdle'],
              on: {
                'skip-club': { actions: sendTo('consent', ({ event }) => event) },
                back: { actions: sendTo('consent', ({ event }) => event) },
                'start-over': { actions: sendTo('consent', ({ event }) => event) },
                'club.login': { actions: 'keepLogin' },
                // The basket being priced stays as it is while the customer decides in the app.
                scan: { actions: 'ignoreScan' },
              },
              invoke: {
                id: 'consent',
                src: 'consent',
                input: ({ context }) => ({
                  msisdn: context.club.msisdn ?? '',
                  scope: context.env.club?.scopes ?? '',
                  loginExpirySeconds: context.env.club?.loginExpirySeconds ?? 0,
                  login: context.club.login ?? {
                    bindingMessage: '',
                    authReqId: null,
                    intervalMs: 0,
                    expiresAt: null,
                  },
                }),
                onDone: [
                  { guard: 'joined', target: 'paying', actions: { type: 'becomeMember', params: 'joined' } },
                  { guard: 'skipped', target: 'paying', actions: { type: 'settleClub', params: 'skipped' } },
                  { guard: 'saidNo', target: 'paying', actions: { type: 'settleClub', params: 'declined' } },
                  { guard: 'ranOut', target: 'basket', actions: { type: 'settleClub', params: 'timeout' } },
                  { guard: 'wentBack', target: 'basket' },
                  { guard: 'startedOver', target: '#checkout.attract' },
                  { target: 'paying', actions: { type: 'settleClub', params: 'unavailable' } },
                ],
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
                    onDone: { target: 'creating', actions: 'keepReceiptNumber' },
                    onError: { target: '#flow.unavailable' },
                  },
                },
                creating: { entry: 'startAttempt', always: 'sending' },
                // The create of the current reference, with the request it was first sent with: a repeat
                // (same key, same body) can never make a second payment.
                sending: {
                  invoke: {
                    src: 'createPayment',
                    input: ({ context }) => {
                      const { request, reference } = currentPayment(context);
                      return { request, key: operationKey(reference, 'create') };
                    },
                    onDone: { target: '#flow.awaitingApproval' },
                    onError: [
                      { guard: 'outcomeUnknown', target: 'verifying', actions: 'markUnreachable' },
                      { guard: 'vippsUnreachable', target: '#flow.unavailable', actions: 'markUnreachable' },
                      { target: '#flow.declined', actions: 'declineFromError' },
                    ],
                  },
                },
                // The create request may have reached Vipps even though its answer did not reach us.
                verifying: {
                  invoke: {
                    src: 'getPayment',
                    input: readPayment,
                    onDone: ROUTE_READ_BACK,
                    onError: { target: '#flow.unavailable', actions: 'markUnreachable' },
                  },
                },
                // "Try again" after Vipps was unreachable: first find out what became of the last reference.
                resuming: {
                  initial: 'reading',
                  states: {
                    reading: {
                      invoke: {
                        src: 'getPayment',
                        input: readPayment,
                        onDone: ROUTE_READ_BACK,
                        onError: [
                          // Not at Vipps (yet): send the very same request again, so a late original is harmless.
                          {
                            guard: and(['notAtVipps', 'paymentFitsSession']),
                            target: '#flow.paying.sending',
                            actions: 'markReachable',
                          },
                          // The basket or customer changed: the old reference is left to recovery to watch.
                          {
                            guard: 'notAtVipps',
                            target: '#flow.paying.creating',
                            actions: ['abandonPayment', 'markReachable'],
                          },
                          { target: '#flow.unavailable', actions: 'markUnreachable' },
                        ],
                      },
                    },
                    // The basket changed while Vipps was away: release the old request before a new one.
                    discarding: {
                      invoke: {
                        src: 'cancel',
                        input: ({ context }) => cancelInput(currentPayment(context).reference, false),
                        onDone: { target: '#flow.paying.creating' },
                        onError: { target: '#flow.unavailable', actions: 'markUnreachable' },
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
                'vipps.event': { guard: 'aboutCurrentReference', target: '.polling' },
              },
              states: {
                waiting: { after: { pollDelay: 'polling' } },
                polling: {
                  invoke: {
                    src: 'getPayment',
                    input: readPayment,
                    onDone: [
                      { guard: 'paymentAuthorized', target: '#flow.capturing' },
                      {
                        guard: 'paymentAborted',
                        target: '#flow.declined',
                        actions: { type: 'decline', params: 'rejected' },
                      },
                      {
                        guard: 'paymentExpired',
                        target: '#flow.declined',
                        actions: { type: 'decline', params: 'expired' },
                      },
                      {
                        guard: 'paymentTerminated',
                        target: '#flow.declined',
                        actions: { type: 'decline', params: 'cancelled' },
                      },
                      { target: 'waiting', actions: 'pollAgainSoon' },
                    ],
                    onError: { target: 'waiting', actions: 'pollBackOff' },
                  },
                },
              },
            },
            // Until nothing is reserved (settle-payment.ts); then where the cause of cancelling says.
            cancelling: {
              tags: ['screen:cancelling'],
              invoke: {
                id: 'settle',
                src: 'cancelPayment',
                input: ({ context }) => ({
                  reference: currentPayment(context).reference,
                  releaseOnly: context.cancelCause === 'capture-refused',
                  retryMs: context.env.timing.settleRetryMs,
                }),
                onDone: [
                  {
                    guard: 'cancelledByCustomer',
                    target: 'basket',
                    actions: ['markReachableIfCancelAnswered', 'tellCancelled'],
                  },
                  {
                    guard: 'cancelledByTimeout',
                    target: 'declined',
                    actions: ['markReachableIfCancelAnswered', { type: 'decline', params: 'expired' }],
                  },
                  {
                    target: 'declined',
                    actions: ['markReachableIfCancelAnswered', { type: 'decline', params: 'refused' }],
                  },
                ],
              },
            },
            capturing: {
              tags: ['screen:capturing'],
              invoke: {
                id: 'settle',
                src: 'capturePayment',
                input: ({ context }) => {
                  const { reference, amount } = currentPayment(context);
                  const { currency } = context.env.catalog.market;
                  return {
                    reference,
                    amount: { currency, value: amount },
                    retryMs: context.env.timing.settleRetryMs,
                  };
                },
                onDone: [
                  { guard: 'captured', target: 'approved', actions: 'completeSale' },
                  { target: 'cancelling', actions: { type: 'causeCancel', params: 'capture-refused' } },
                ],
              },
            },
            approved: {
              tags: ['screen:approved'],
              entry: 'resetIdle',
              on: {
                done: { target: '#checkout.attract' },
                'scan.added': { target: 'basket', actions: 'startNextSale' },
              },
            },
            declined: {
              tags: ['screen:declined'],
              entry: ['resetIdle', 'tellDeclined'],
              on: {
                'try-again': [{ guard: 'customerCanRetry', target: 'membership' }, { target: 'identify' }],
                back: { target: 'basket' },
                'scan.added': { target: 'basket' },
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
