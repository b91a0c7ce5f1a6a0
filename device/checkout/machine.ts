import { and, assign, not, or, raise, sendTo } from 'xstate';
import { operationKey } from '../vipps/request-rules.js';
import { cancelLoopInput, captureInput, consentInput, probeReference, readPayment } from './actor-inputs.js';
import { checkoutSetup, inFlow, RESTART_IDLE } from './checkout-setup.js';
import { currentPayment, freshSession } from './session.js';
import { cancelInput } from './settle-payment.js';

export type { CheckoutContext, CheckoutEnv, CheckoutEvent, ClubPolicy } from './checkout-types.js';

/**
 * The checkout, from the first scan to the receipt: the chart below is the flow a newcomer reads. It is
 * over 500 lines and kept whole on purpose: one customer's path runs through every state here, and split
 * across files a reader would jump between them to follow it; everything that is not the flow itself
 * (types, guards, actions, the child machines, the session's functions) already lives beside it.
 * Each flow state is a screen (its `screen:` tag); the club consent (club-consent.ts) and the
 * capture/cancel loops (settle-payment.ts) run as child machines; the guards and actions it names are
 * in checkout-setup.ts, and what each invoke hands its actor in actor-inputs.ts.
 * Money decisions are made only on what Vipps says when asked (GET the payment); a timeout or a lost
 * answer is "unknown", never "declined". Facts (a sale, a decline, a payment let go) are emitted as
 * domain events for telemetry and the journal (domain-events.ts).
 */

// Where a reference read back after an unknown outcome leads: on with it if it still fits the basket; the
// customer's own "no" (or letting it run out) declined as if heard while waiting, so nobody is pushed again
// unasked; otherwise release it and start a new attempt.
const ROUTE_READ_BACK = [
  // A one-time QR whose create answer was lost: the same create again (same key, same body) brings it back.
  {
    guard: and(['createdForSession', 'qrNotShown']),
    target: '#flow.paying.sending',
    actions: 'markReachable',
  },
  { guard: 'createdForSession', target: '#flow.awaitingApproval', actions: 'markReachable' },
  { guard: 'authorizedForSession', target: '#flow.capturing', actions: 'markReachable' },
  {
    guard: 'rejectedForSession',
    target: '#flow.declined',
    actions: ['markReachable', { type: 'decline', params: 'rejected' }],
  },
  {
    guard: 'expiredForSession',
    target: '#flow.declined',
    actions: ['markReachable', { type: 'decline', params: 'expired' }],
  },
  { guard: 'paymentStillOpen', target: '#flow.paying.resuming.discarding', actions: 'markReachable' },
  { target: '#flow.paying.creating', actions: 'markReachable' },
] as const;

export const checkoutMachine = checkoutSetup.createMachine({
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
    outOfOrder: null,
    refusedForSetup: null,
    printerFault: null,
  }),
  initial: 'attract',
  on: {
    language: { actions: 'setLanguage' },
    theme: { actions: 'setTheme' },
    maintenance: { actions: 'setMaintenance' },
    identify: { actions: 'identify' },
    'identify.ended': { actions: assign({ identifying: false }) },
    'scan.dropped': { actions: 'scanDropped' },
    'staff.refused': { actions: 'refuseStaffCard' },
    printer: { actions: 'setPrinterFault' },
  },
  states: {
    attract: {
      tags: ['screen:attract'],
      entry: 'resetSession',
      always: [
        { guard: 'maintenanceWanted', target: 'maintenance' },
        { guard: 'printerFaulty', target: 'outOfOrder', actions: 'goOutOfOrderForPrinter' },
      ],
      on: {
        scan: { actions: 'applyScan' },
        'scan.added': { target: 'session' },
        'staff.open': { target: 'staff' },
        // Attended mode: the POS's lines are the basket; the customer scans their QR here unless the
        // cashier's scanner already read it, and from there it is the same payment as self-service.
        'pos.payment': [
          { guard: 'posNamesCustomer', target: '#flow.membership', actions: 'takePosPayment' },
          { target: '#flow.identify', actions: 'takePosPayment' },
        ],
        'pos.enrol': { guard: 'clubOn', target: 'posEnrolment', actions: 'takePosEnrolment' },
      },
    },
    // Attended mode: the cashier's "Enrol in the club" (device/terminal/pos-enrolments.ts). The consent
    // child of the self-service join, its code on the customer display; the POS stopping or the customer
    // skipping ends it as left. However it ends, the display is back at attract for the POS's payment.
    posEnrolment: {
      tags: ['screen:club-consent'],
      entry: 'prepareLogin',
      on: {
        'pos.enrol.abort': { actions: sendTo('consent', { type: 'skip-club' }) },
        'skip-club': { actions: sendTo('consent', ({ event }) => event) },
        'club.login': { actions: 'keepLogin' },
        scan: { actions: 'ignoreScan' },
      },
      invoke: {
        id: 'consent',
        src: 'consent',
        // Each step of the child is a step of the checkout: its state shows in machineState.
        onSnapshot: {},
        input: consentInput,
        onDone: [
          { guard: 'joined', target: 'attract', actions: { type: 'becomeMember', params: 'joined' } },
          { guard: 'saidNo', target: 'attract', actions: { type: 'settleClub', params: 'declined' } },
          { guard: 'ranOut', target: 'attract', actions: { type: 'settleClub', params: 'timeout' } },
          {
            guard: 'approvalLost',
            target: 'attract',
            actions: { type: 'settleClub', params: 'approval-lost' },
          },
          { guard: 'leftConsent', target: 'attract', actions: { type: 'settleClub', params: 'skipped' } },
          { target: 'attract', actions: { type: 'settleClub', params: 'unavailable' } },
        ],
      },
    },
    // Out of order: no scan is taken; a payment in flight was finished before the kiosk came here. Staff
    // may open staff mode here (to turn it off again).
    maintenance: {
      tags: ['screen:maintenance'],
      always: { guard: not('maintenanceWanted'), target: 'attract' },
      on: { 'staff.open': { target: 'staff' } },
    },
    // Staff mode (device/staff/staff-mode.ts owns its pages, PIN and time-out): opened only from the
    // screens where no payment runs (attract, maintenance, basket: that customer's basket goes), and
    // always left to attract, which goes on to maintenance if staff switched the kiosk out of order.
    staff: {
      tags: ['screen:staff'],
      on: { 'staff.close': { target: 'attract' } },
    },
    // Vipps refused the sales unit's setup or the kiosk's keys: no customer can pay until staff or Vipps fix
    // it, so none is invited (a scan is answered "out of order"). HQ's maintenance switch (either way) or a
    // restart ends it; a fault a read can see is probed every 5 minutes and ends when Vipps answers the read.
    outOfOrder: {
      tags: ['screen:out-of-order'],
      // The customer who met the fault cannot pay here either: their basket goes.
      entry: 'resetSession',
      exit: 'backInOrder',
      // The printer prints again (or now fails otherwise): attract, which takes the kiosk back here if need be.
      always: { guard: 'printerFaultOver', target: 'attract' },
      on: {
        scan: { actions: 'refuseScanOutOfOrder' },
        maintenance: { target: 'attract', actions: 'setMaintenance' },
      },
      initial: 'waiting',
      states: {
        waiting: { after: { outOfOrderProbe: { guard: 'readShowsFault', target: 'probing' } } },
        probing: {
          invoke: {
            src: 'getPayment',
            input: probeReference,
            // Any answer to the read but the fault itself (no such payment: 404) means the fault is over.
            onDone: { target: '#checkout.attract' },
            onError: [
              { guard: 'setupFault', target: 'waiting' },
              { guard: 'notAtVipps', target: '#checkout.attract' },
              { target: 'waiting' },
            ],
          },
        },
      },
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
            // Start over where the customer is still choosing (the consent screen asks its child first).
            'start-over': {
              guard: inFlow('basket', 'identify', 'clubOffer', 'declined', 'unavailable'),
              target: '#checkout.attract',
            },
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
                'staff.open': { target: '#checkout.staff' },
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
                // No number, no personal QR: the code on the screen is for whoever scans it; no club.
                'pay-qr': { target: 'paying', actions: 'payByQr' },
                back: { target: 'basket' },
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
                // Each step of the child is a step of the checkout: its state shows in machineState.
                onSnapshot: {},
                input: consentInput,
                onDone: [
                  { guard: 'joined', target: 'paying', actions: { type: 'becomeMember', params: 'joined' } },
                  { guard: 'skipped', target: 'paying', actions: { type: 'settleClub', params: 'skipped' } },
                  { guard: 'saidNo', target: 'paying', actions: { type: 'settleClub', params: 'declined' } },
                  { guard: 'ranOut', target: 'basket', actions: { type: 'settleClub', params: 'timeout' } },
                  // Approved, but the approval was lost on the way back: said on the paying screens.
                  {
                    guard: 'approvalLost',
                    target: 'paying',
                    actions: { type: 'settleClub', params: 'approval-lost' },
                  },
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
                    onDone: { target: '#flow.awaitingApproval', actions: 'keepPaymentQr' },
                    onError: [
                      {
                        guard: 'outcomeUnknown',
                        target: 'verifying',
                        actions: ['markUnreachableUnlessAnswered', 'noteRefusedForSetup'],
                      },
                      // Not this customer's doing: the sales unit or the kiosk's keys (merchant-setup-faults.ts).
                      { guard: 'setupFault', target: '#checkout.outOfOrder', actions: 'goOutOfOrder' },
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
                    onError: [
                      // Nothing was made, and the retry was refused for the sales unit's setup: that stands.
                      {
                        guard: and(['notAtVipps', 'refusedForSetup']),
                        target: '#checkout.outOfOrder',
                        actions: 'goOutOfOrder',
                      },
                      { target: '#flow.unavailable', actions: 'markUnreachable' },
                    ],
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
                // The push is out: another QR (a customer scanning during a cashier's payment) charges nobody.
                scan: { actions: 'ignoreScan' },
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
                // Each step of the child is a step of the checkout: its state shows in machineState.
                onSnapshot: {},
                input: cancelLoopInput,
                // Handed over (Vipps kept saying "not now"): the customer lands where the cause says, as
                // if cancelled, while recovery finishes the cancel in the background.
                onDone: [
                  {
                    guard: 'cancelledByCustomer',
                    target: 'basket',
                    actions: [
                      'markReachableIfCancelAnswered',
                      { type: 'tellIfHandedOver', params: 'cancel' },
                      'tellCancelled',
                    ],
                  },
                  // Declined lets the reference go: told as abandoned, so recovery watches it should the
                  // cancel loop have ended without Vipps confirming it (the journal knows if it did).
                  {
                    guard: 'cancelledByTimeout',
                    target: 'declined',
                    actions: [
                      'markReachableIfCancelAnswered',
                      { type: 'tellIfHandedOver', params: 'cancel' },
                      'abandonPayment',
                      { type: 'decline', params: 'expired' },
                    ],
                  },
                  {
                    target: 'declined',
                    actions: [
                      'markReachableIfCancelAnswered',
                      { type: 'tellIfHandedOver', params: 'cancel' },
                      'abandonPayment',
                      { type: 'decline', params: 'refused' },
                    ],
                  },
                ],
              },
            },
            capturing: {
              tags: ['screen:capturing'],
              invoke: {
                id: 'settle',
                src: 'capturePayment',
                // Each step of the child is a step of the checkout: its state shows in machineState.
                onSnapshot: {},
                input: captureInput,
                onDone: [
                  { guard: 'captured', target: 'approved', actions: 'completeSale' },
                  // Approved and reserved in full, but Vipps would not take the capture yet: the customer's
                  // part is done, so they get their receipt; recovery collects the amount.
                  {
                    guard: 'handedOver',
                    target: 'approved',
                    actions: [{ type: 'tellIfHandedOver', params: 'capture' }, 'completeSale'],
                  },
                  {
                    target: 'cancelling',
                    actions: ['keepSentAt', { type: 'causeCancel', params: 'capture-refused' }],
                  },
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
              // The reference is let go here, not when the session ends: a new push makes a new one.
              entry: ['resetIdle', 'tellDeclined', 'forgetPayment'],
              on: {
                'try-again': [{ guard: 'customerCanRetry', target: 'membership' }, { target: 'identify' }],
                back: { target: 'basket' },
                'scan.added': { target: 'basket' },
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
