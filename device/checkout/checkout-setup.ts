import { and, assign, emit, enqueueActions, fromPromise, or, raise, setup, stateIn } from 'xstate';
import { isPlausibleMsisdn } from '../../contracts/phone-numbers.js';
import { CLUB_STATUSES, type ClubStatus, type DeclineReason } from '../../contracts/screen-model.js';
import type {
  CreatePaymentRequest,
  CreatePaymentResponse,
  GetPaymentResponse,
  ModificationResponse,
} from '../../contracts/vipps-types.js';
import { VippsOutcomeUnknownError } from '../vipps/errors.js';
import type { CheckoutContext, CheckoutEnv, CheckoutEvent, ClubSession } from './checkout-types.js';
import { type ConsentOutcome, consentMachine } from './club-consent.js';
import type { Member } from './domain/member.js';
import { withMemberPrices } from './domain/member-prices.js';
import { merchantSetupFault, readShowsFault } from './domain/merchant-setup-faults.js';
import { isSettled } from './domain/settlement.js';
import type { CheckoutDomainEvent } from './domain-events.js';
import { clockNow } from './machine-clock.js';
import { qrPicture } from './payment-qr.js';
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
  cancelMachine,
  captureMachine,
  errorOf,
  type LoopOutput,
  notProvided,
  outputOf,
} from './settle-payment.js';
import { declineReasonFor, isNotFound, isOutcomeUnknown, isVippsUnreachable } from './vipps-outcomes.js';

// The checkout machine's parts, named for what they mean: the actors it calls (adapters bound in
// provide.ts), the domain facts its guards ask, and the steps its actions take (most are plain
// functions in session.ts). The chart that says when each happens is machine.ts.

type FlowState = 'basket' | 'identify' | 'clubOffer' | 'consent' | 'approved' | 'declined' | 'unavailable';

/** The checkout flow is on one of these screens. */
export const inFlow = (...states: FlowState[]) => or(states.map((flow) => stateIn({ session: { flow } })));

/** Where the club stands once it has been asked: the customer pays, at member prices or not. */
const CLUB_SETTLED: readonly ClubStatus[] = CLUB_STATUSES.filter(
  (status) => status !== 'unknown' && status !== 'offered',
);

const consentEnded =
  (outcome: ConsentOutcome) =>
  ({ event }: { event: unknown }) =>
    outputOf<{ outcome: ConsentOutcome }>(event).outcome === outcome;

const readBack = (event: unknown) => outputOf<GetPaymentResponse>(event);
const paymentIs =
  (state: GetPaymentResponse['state']) =>
  ({ event }: { event: unknown }) =>
    readBack(event).state === state;

/** The printer's faults are `printer-<condition>` (device/printer/printer-rule.ts); Vipps' never are. */
const isPrinterFault = (fault: { code: string }) => fault.code.startsWith('printer-');

/** How often an out-of-order kiosk asks Vipps whether a fault a read can see is over. */
const OUT_OF_ORDER_PROBE_MS = 5 * 60_000;

/** The out-of-order fault a Vipps error means for this kiosk's sales unit, or null. */
function setupFaultOf(context: CheckoutContext, error: unknown) {
  return merchantSetupFault(error, {
    msn: context.env.merchantSerialNumber,
    currency: context.env.catalog.market.currency,
  });
}

/** Anything the customer does: restarts the idle timer. */
const ACTIVITY = [
  'scan',
  'pay',
  'pay-phone',
  'pay-qr',
  'back',
  'cancel',
  'set-quantity',
  'remove-line',
  'still-here',
  'try-again',
  'language',
  'theme',
  'join-club',
  'skip-club',
  'idle.reset',
] as const;

// Handled on the idle region's own states: a transition declared on the region itself would take the
// whole parallel session as its domain and re-enter the checkout flow too.
export const RESTART_IDLE = Object.fromEntries(
  ACTIVITY.map((type) => [type, { target: 'watching', reenter: true }]),
);

export const checkoutSetup = setup({
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
    outOfOrderProbe: OUT_OF_ORDER_PROBE_MS,
  },
  guards: {
    posNamesCustomer: ({ event }) => event.type === 'pos.payment' && event.customer !== null,
    clubOn: ({ context }) => context.env.club !== null,
    scanNamesCustomer: ({ event }) => event.type === 'scan' && customerFromScan(event.text) !== null,
    basketHasItems: ({ context }) => context.basket.lines.length > 0,
    phoneIsPlausible: ({ event }) => event.type === 'pay-phone' && isPlausibleMsisdn(event.msisdn),
    hasReceiptNumber: ({ context }) => context.receiptNumber !== null,
    hasReference: ({ context }) => context.payment !== null,
    qrNotShown: ({ context }) =>
      context.payment !== null && 'oneTimeQr' in context.payment.customer && !context.payment.qr,
    aboutCurrentReference: ({ context, event }) =>
      event.type === 'vipps.event' && event.reference === context.payment?.reference,
    customerCanRetry: ({ context }) =>
      context.customer !== null &&
      context.declined !== 'unknown-customer' &&
      context.declined !== 'invalid-customer',
    outcomeUnknown: ({ event }) => isOutcomeUnknown(errorOf(event)),
    vippsUnreachable: ({ event }) => isVippsUnreachable(errorOf(event)),
    notAtVipps: ({ event }) => isNotFound(errorOf(event)),
    setupFault: ({ context, event }) => setupFaultOf(context, errorOf(event)) !== null,
    refusedForSetup: ({ context }) => context.refusedForSetup !== null,
    readShowsFault: ({ context }) => context.outOfOrder !== null && readShowsFault(context.outOfOrder),
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
    // The customer's own answer to this very push, found on reading back: the same as hearing it while waiting.
    rejectedForSession: and(['paymentAborted', 'readBackFitsSession']),
    expiredForSession: and(['paymentExpired', 'readBackFitsSession']),
    captured: ({ event }) => outputOf<CaptureOutput>(event).captured,
    handedOver: ({ event }) => outputOf<LoopOutput>(event).handedOver,
    customerMayLeave: inFlow('basket', 'identify', 'clubOffer', 'approved', 'declined', 'unavailable'),
    maintenanceWanted: ({ context }) => context.maintenance,
    printerFaulty: ({ context }) => context.printerFault !== null,
    printerFaultOver: ({ context }) =>
      context.outOfOrder !== null &&
      isPrinterFault(context.outOfOrder) &&
      context.outOfOrder.code !== context.printerFault?.code,
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
    approvalLost: consentEnded('approval-lost'),
    leftConsent: or([consentEnded('skipped'), consentEnded('back'), consentEnded('start-over')]),
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
    // A QR payment names nobody, so the club cannot be asked: shelf prices, as if "no thanks" was said.
    payByQr: enqueueActions(({ context, enqueue }) => {
      const changes = identifyCustomer(context, { oneTimeQr: true }, null);
      const ended = offerEnded(context, 'skipped');
      if (ended) enqueue.emit(ended);
      const club: ClubSession = 'club' in changes && changes.club ? changes.club : context.club;
      enqueue.assign({ ...changes, club: { ...club, status: 'skipped' } });
    }),
    takePosPayment: assign(({ context, event }) => {
      if (event.type !== 'pos.payment') return {};
      return {
        basket: event.basket,
        customer: event.customer,
        club: { ...context.club, msisdn: event.msisdn },
      };
    }),
    // The cashier's enrolment is an offer the customer answers on the consent screen: ended, it is told
    // as the same `club.enrolment` event as a join at the kiosk.
    takePosEnrolment: assign(({ event }) => {
      if (event.type !== 'pos.enrol') return {};
      return { club: { status: 'offered' as const, msisdn: event.msisdn, login: null } };
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
        club: {
          ...context.club,
          login: { bindingMessage, authReqId: null, intervalMs: 0, expiresAt: null, notice: null },
        },
      };
    }),
    keepLogin: assign(({ context, event }) =>
      event.type === 'club.login' ? { club: { ...context.club, login: event.login } } : {},
    ),
    changeBasket: assign(({ context, event }) => applyBasketChange(context, event)),
    setLanguage: assign(({ context, event }) => ({
      language: event.type === 'language' ? event.language : context.language,
    })),
    setTheme: assign(({ context, event }) => ({
      theme: event.type === 'theme' ? event.theme : context.theme,
    })),
    keepReceiptNumber: assign({ receiptNumber: ({ event }) => outputOf<string>(event) }),
    startAttempt: assign(({ context }) => {
      const { receiptNumber, customer } = context;
      if (receiptNumber === null || customer === null)
        throw new Error('checkout machine: a payment needs a receipt number and a customer');
      return nextAttempt(context, receiptNumber, customer);
    }),
    // Vipps' answer to a QR payment's create carries the code to show (its target URL): drawn once, here.
    keepPaymentQr: assign(({ context, event }) => {
      const payment = currentPayment(context);
      const targetUrl = outputOf<CreatePaymentResponse>(event).redirectUrl;
      if (!('oneTimeQr' in payment.customer) || targetUrl === undefined) return {};
      return { payment: { ...payment, qr: qrPicture(targetUrl) } };
    }),
    // A reference the session lets go of while Vipps may still hold it live: recovery must take it.
    abandonPayment: enqueueActions(({ context, enqueue }) => {
      if (context.payment) enqueue.emit({ type: 'payment.abandoned', reference: context.payment.reference });
    }),
    startWaiting: assign(({ context, system }) => {
      const payment = currentPayment(context);
      const expiresAt = payment.expiresAt ?? clockNow(system) + context.env.timing.approvalWindowMs;
      // The create went out no later than now: counted from here against Vipps' rate limit.
      const sentAt = payment.sentAt ?? [clockNow(system)];
      return {
        payment: { ...payment, expiresAt, sentAt },
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
    // A refusal after an attempt whose answer was lost: the outcome is unknown, but Vipps did answer.
    markUnreachableUnlessAnswered: assign({
      vippsReachable: ({ event }) => errorOf(event) instanceof VippsOutcomeUnknownError,
    }),
    noteRefusedForSetup: assign(({ context, event }) => {
      const error = errorOf(event);
      return {
        refusedForSetup:
          error instanceof VippsOutcomeUnknownError ? setupFaultOf(context, error.refusal) : null,
      };
    }),
    // The fault is this error's, or the one a create's retry was refused with (noteRefusedForSetup).
    goOutOfOrder: enqueueActions(({ context, event, enqueue }) => {
      const fault = setupFaultOf(context, errorOf(event)) ?? context.refusedForSetup;
      if (fault === null) return;
      enqueue.assign({ outOfOrder: fault, refusedForSetup: null, vippsReachable: true });
      enqueue.emit({ type: 'kiosk.out-of-order', ...fault });
    }),
    backInOrder: enqueueActions(({ context, enqueue }) => {
      if (context.outOfOrder === null) return;
      enqueue.emit({ type: 'kiosk.back-in-order', code: context.outOfOrder.code });
      enqueue.assign({ outOfOrder: null });
    }),
    setMaintenance: assign({ maintenance: ({ event }) => event.type === 'maintenance' && event.on }),
    refuseStaffCard: assign(({ context, event }) => ({
      feedback: {
        seq: (context.feedback?.seq ?? 0) + 1,
        kind: 'staff-card-refused' as const,
        subject: event.type === 'staff.refused' ? event.reason : 'forged',
      },
    })),
    setPrinterFault: assign({ printerFault: ({ event }) => (event.type === 'printer' ? event.fault : null) }),
    goOutOfOrderForPrinter: enqueueActions(({ context, enqueue }) => {
      if (context.printerFault === null) return;
      enqueue.assign({ outOfOrder: context.printerFault });
      enqueue.emit({ type: 'kiosk.out-of-order', ...context.printerFault });
    }),
    refuseScanOutOfOrder: assign(({ context }) => ({
      feedback: { seq: (context.feedback?.seq ?? 0) + 1, kind: 'out-of-order' as const },
    })),
    // A declined reference is done with (refused, rejected, expired, cancelled): reading it back on "try
    // again" would find the same "no" again, so a new push makes a new reference.
    forgetPayment: assign({ payment: null }),
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
    // Only once Vipps confirmed nothing is reserved; a cancel handed to recovery is not yet that.
    tellCancelled: enqueueActions(({ context, event, enqueue }) => {
      if (outputOf<LoopOutput>(event).handedOver) return;
      const { reference, amount } = currentPayment(context);
      enqueue.emit({ type: 'payment.cancelled' as const, reference, amount });
    }),
    // A settle loop gave up waiting on Vipps: recovery takes the reference over, staff are alerted.
    tellIfHandedOver: enqueueActions(({ context, event, enqueue }, operation: 'capture' | 'cancel') => {
      if (!outputOf<LoopOutput>(event).handedOver) return;
      enqueue.emit({
        type: 'payment.settle-handed-over',
        reference: currentPayment(context).reference,
        operation,
      });
    }),
    // The calls a settle loop made stay counted for the next loop of the same reference.
    keepSentAt: assign(({ context, event }) => ({
      payment: { ...currentPayment(context), sentAt: outputOf<LoopOutput>(event).sentAt },
    })),
    markReachableIfCancelAnswered: assign(({ context, event }) => ({
      vippsReachable: outputOf<CancelOutput>(event).cancelAnswered || context.vippsReachable,
    })),
    // The sale is final: the receipt stays on screen, the session is cleared for the next customer.
    completeSale: enqueueActions(({ context, event, enqueue, system }) => {
      const { receiptNumber } = context;
      if (receiptNumber === null) throw new Error('checkout machine: a sale needs its receipt number');
      const answer = outputOf<CaptureOutput>(event);
      const receipt = paidReceipt(currentPayment(context), receiptNumber, clockNow(system), answer);
      enqueue.emit(saleCompleted(context, receipt));
      enqueue.assign({ ...freshSession(context.language, context.theme), receipt });
    }),
    // The next customer starts where the last one left off only in the basket they scan into.
    startNextSale: assign(({ context }) => ({
      language: context.env.defaultLanguage,
      theme: 'standard' as const,
      receipt: null,
    })),
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
});
