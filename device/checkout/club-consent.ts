import { assign, fromPromise, sendParent, setup } from 'xstate';
import type { ConsentNotice } from '../../contracts/screen-model.js';
import { LoginMaybeSentError, LoginRefusedError, LoginTokensLostError } from '../vipps/login-errors.js';
import type { LoginPoll, LoginRequest, LoginStart } from '../vipps/login-types.js';
import type { ClubLogin } from './checkout-types.js';
import type { Member } from './domain/member.js';
import { clockNow } from './machine-clock.js';
import { errorOf, notProvided, outputOf } from './settle-payment.js';
import { isVippsUnreachable } from './vipps-outcomes.js';

// Joining the club: a Vipps Login push (CIBA) to the customer's phone, polled at the interval Vipps
// asks for until the customer answers or it runs out, then the enrolment. The customer may leave the
// consent screen (skip, back, start over) at any time before the app said yes.
// The start is sent once (it buzzes the phone and has no idempotency key). When its answer is lost the
// code is shown ("a request may be on your phone") and the same start is asked once more a moment later:
// it goes through if the first never arrived; Vipps answers "one waiting login per person" (busy) if it
// did, and that request can then only be declined by the customer, so they are told to and offered to pay.

/** CIBA: after `slow_down`, every later poll waits this much longer. */
const SLOW_DOWN_MS = 5_000;

/** After a start whose answer was lost: the moment before asking once more whether it arrived. */
const MAYBE_SENT_RECHECK_MS = 5_000;

/** A notice with nothing left to wait for stays this long before the kiosk gives up on the customer. */
const NOTICE_TIMEOUT_MS = 90_000;

export type ConsentOutcome =
  | 'joined'
  | 'declined'
  | 'timeout'
  | 'unavailable'
  /** Approved in the app, but the one answer carrying the approval was lost: not enrolled. */
  | 'approval-lost'
  /** The customer tapped "pay without joining", "back" or "start over" before answering in the app. */
  | 'skipped'
  | 'back'
  | 'start-over';

export interface ConsentInput {
  msisdn: string;
  scope: string;
  loginExpirySeconds: number;
  /** A login already sent and still live is waited on again, not sent twice (Vipps refuses that). */
  login: ClubLogin;
}

type ApprovedLogin = Extract<LoginPoll, { kind: 'approved' }>;

const pollIs =
  (kind: LoginPoll['kind']) =>
  ({ event }: { event: unknown }) =>
    outputOf<LoginPoll>(event).kind === kind;

const loginRequest = ({ context }: { context: ConsentInput }): LoginRequest => ({
  msisdn: context.msisdn,
  scope: context.scope,
  bindingMessage: context.login.bindingMessage,
  requestedExpirySeconds: context.loginExpirySeconds,
});

export const consentMachine = setup({
  types: {
    input: {} as ConsentInput,
    context: {} as ConsentInput & { outcome: ConsentOutcome },
    output: {} as { outcome: ConsentOutcome },
    events: {} as { type: 'skip-club' } | { type: 'back' } | { type: 'start-over' },
  },
  actors: {
    startLogin: fromPromise<LoginStart, LoginRequest>(notProvided('startLogin')),
    pollLogin: fromPromise<LoginPoll, { authReqId: string }>(notProvided('pollLogin')),
    enrolMember: fromPromise<Member, { accessToken: string; sub: string; msisdn: string }>(
      notProvided('enrolMember'),
    ),
  },
  delays: {
    loginInterval: ({ context }) => context.login.intervalMs,
    loginDeadline: ({ context, system }) => Math.max(0, (context.login.expiresAt ?? 0) - clockNow(system)),
  },
  guards: {
    loginSent: ({ context }) => context.login.authReqId !== null,
    vippsUnreachable: ({ event }) => isVippsUnreachable(errorOf(event)),
    loginPending: pollIs('pending'),
    loginSlowDown: pollIs('slow-down'),
    loginDenied: pollIs('denied'),
    loginExpired: pollIs('expired'),
    loginApproved: pollIs('approved'),
    maybeSent: ({ event }) => errorOf(event) instanceof LoginMaybeSentError,
    // Vipps' 429 "one waiting login per person": a request is in the app that this start did not make.
    alreadyWaiting: ({ event }) => {
      const error = errorOf(event);
      return error instanceof LoginRefusedError && error.refusal === 'busy';
    },
    tokensLost: ({ event }) => errorOf(event) instanceof LoginTokensLostError,
  },
  actions: {
    end: assign((_, outcome: ConsentOutcome) => ({ outcome })),
    loginStarted: assign(({ context, event, system }) => {
      const started = outputOf<LoginStart>(event);
      return {
        login: {
          ...context.login,
          authReqId: started.authReqId,
          intervalMs: started.intervalSeconds * 1000,
          expiresAt: clockNow(system) + started.expiresInSeconds * 1000,
          notice: null,
        },
      };
    }),
    say: assign(({ context }, notice: ConsentNotice) => ({ login: { ...context.login, notice } })),
    slowDown: assign(({ context }) => ({
      login: { ...context.login, intervalMs: context.login.intervalMs + SLOW_DOWN_MS },
    })),
    // The checkout keeps the login: the screen shows it, and a customer who comes back joins with it.
    tellLogin: sendParent(({ context }) => ({ type: 'club.login', login: context.login })),
  },
}).createMachine({
  id: 'consent',
  context: ({ input }) => ({ ...input, outcome: 'unavailable' }),
  initial: 'choosing',
  output: ({ context }) => ({ outcome: context.outcome }),
  on: {
    'skip-club': { target: '.done', actions: { type: 'end', params: 'skipped' } },
    back: { target: '.done', actions: { type: 'end', params: 'back' } },
    'start-over': { target: '.done', actions: { type: 'end', params: 'start-over' } },
  },
  states: {
    choosing: { always: [{ guard: 'loginSent', target: 'awaiting' }, { target: 'starting' }] },
    starting: {
      invoke: {
        src: 'startLogin',
        input: loginRequest,
        onDone: { target: 'awaiting', actions: ['loginStarted', 'tellLogin'] },
        onError: [
          {
            guard: 'maybeSent',
            target: 'maybeSent',
            actions: [{ type: 'say', params: 'maybe-sent' }, 'tellLogin'],
          },
          {
            guard: 'alreadyWaiting',
            target: 'stranded',
            actions: [{ type: 'say', params: 'already-waiting' }, 'tellLogin'],
          },
          { target: 'done', actions: { type: 'end', params: 'unavailable' } },
        ],
      },
    },
    // The code is on screen; whether the request reached the app is asked once, with the same code.
    maybeSent: { after: { [MAYBE_SENT_RECHECK_MS]: 'askingAgain' } },
    askingAgain: {
      invoke: {
        src: 'startLogin',
        input: loginRequest,
        // The first never arrived: this one is the customer's request, polled as usual.
        onDone: { target: 'awaiting', actions: ['loginStarted', 'tellLogin'] },
        onError: [
          // The first did arrive: it waits in the app, where only the customer can decline it; the kiosk
          // cannot collect its answer.
          {
            guard: 'alreadyWaiting',
            target: 'stranded',
            actions: [{ type: 'say', params: 'ignore-request' }, 'tellLogin'],
          },
          // No answer twice (a 503, a timeout): Vipps Login cannot be reached now; shelf prices this time.
          { target: 'done', actions: { type: 'end', params: 'unavailable' } },
        ],
      },
    },
    // A request in the app the kiosk cannot follow: the notice says so, and the customer pays without
    // joining (skip), goes back, or walks away.
    stranded: {
      after: { [NOTICE_TIMEOUT_MS]: { target: 'done', actions: { type: 'end', params: 'timeout' } } },
    },
    awaiting: {
      initial: 'waiting',
      after: { loginDeadline: { target: 'done', actions: { type: 'end', params: 'timeout' } } },
      states: {
        waiting: { after: { loginInterval: 'polling' } },
        polling: {
          invoke: {
            src: 'pollLogin',
            input: ({ context }) => ({ authReqId: context.login.authReqId ?? '' }),
            onDone: [
              { guard: 'loginPending', target: 'waiting' },
              { guard: 'loginSlowDown', target: 'waiting', actions: ['slowDown', 'tellLogin'] },
              { guard: 'loginDenied', target: '#consent.done', actions: { type: 'end', params: 'declined' } },
              { guard: 'loginExpired', target: '#consent.done', actions: { type: 'end', params: 'timeout' } },
              { guard: 'loginApproved', target: '#consent.enrolling' },
            ],
            // A blip on the way to Vipps: ask again at the next interval, until the login runs out.
            onError: [
              {
                guard: 'tokensLost',
                target: '#consent.done',
                actions: { type: 'end', params: 'approval-lost' },
              },
              { guard: 'vippsUnreachable', target: 'waiting' },
              { target: '#consent.done', actions: { type: 'end', params: 'unavailable' } },
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
          const approved = outputOf<ApprovedLogin>(event);
          return { accessToken: approved.accessToken, sub: approved.sub, msisdn: context.msisdn };
        },
        onDone: { target: 'done', actions: { type: 'end', params: 'joined' } },
        onError: { target: 'done', actions: { type: 'end', params: 'unavailable' } },
      },
    },
    done: { type: 'final' },
  },
});
