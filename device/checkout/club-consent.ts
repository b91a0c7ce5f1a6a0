import { assign, fromPromise, sendParent, setup } from 'xstate';
import type { LoginPoll, LoginRequest, LoginStart } from '../vipps/login-types.js';
import type { ClubLogin } from './checkout-types.js';
import type { Member } from './domain/member.js';
import { clockNow } from './machine-clock.js';
import { errorOf, notProvided, outputOf } from './settle-payment.js';
import { isVippsUnreachable } from './vipps-outcomes.js';

// Joining the club: a Vipps Login push (CIBA) to the customer's phone, polled at the interval Vipps
// asks for until the customer answers or it runs out, then the enrolment. The customer may leave the
// consent screen (skip, back, start over) at any time before the app said yes.

/** CIBA: after `slow_down`, every later poll waits this much longer. */
const SLOW_DOWN_MS = 5_000;

export type ConsentOutcome =
  | 'joined'
  | 'declined'
  | 'timeout'
  | 'unavailable'
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
        },
      };
    }),
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
        input: ({ context }) => ({
          msisdn: context.msisdn,
          scope: context.scope,
          bindingMessage: context.login.bindingMessage,
          requestedExpirySeconds: context.loginExpirySeconds,
        }),
        onDone: { target: 'awaiting', actions: ['loginStarted', 'tellLogin'] },
        onError: { target: 'done', actions: { type: 'end', params: 'unavailable' } },
      },
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
