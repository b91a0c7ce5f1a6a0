import { type AnyActorRef, assign, fromPromise, not, setup } from 'xstate';
import type { Amount, GetPaymentResponse, ModificationResponse } from '../../contracts/vipps-types.js';
import { operationKey } from '../vipps/request-rules.js';
import { isSettled } from './domain/settlement.js';
import { clockNow } from './machine-clock.js';
import {
  callsInWindow,
  firstKey,
  keyFor,
  keyText,
  msUntilCallAllowed,
  type SettleKey,
} from './settle-rules.js';
import { attemptsOf, isAuthorizedMeanwhile, isWorthRetrying, keepsKey } from './vipps-outcomes.js';

// The settle loops: a payment the customer approved is captured, one the kiosk gives up on is
// cancelled, each asked again and read back until Vipps says it is settled, under the key and at the
// pace settle-rules.ts sets, and handed to recovery if that takes too long.
// A money decision is only ever made on what a read of the payment says.

type ReadInput = { reference: string };
type CaptureInput = { reference: string; amount: Amount; key: string };
export type CancelInput = { reference: string; cancelTransactionOnly: boolean; key: string };

export const notProvided = (what: string) => async (): Promise<never> => {
  throw new Error(`checkout machine: the ${what} actor was not provided (see provideCheckout)`);
};

/** What the actor an onDone event came from answered. */
export function outputOf<T>(event: unknown): T {
  return (event as { output: T }).output;
}

export const errorOf = (event: unknown) => (event as { error: unknown }).error;

const paymentIs =
  (state: GetPaymentResponse['state']) =>
  ({ event }: { event: unknown }) =>
    outputOf<GetPaymentResponse>(event).state === state;

/** What every settle loop starts from. */
interface LoopInput {
  reference: string;
  /** Pause before asking again after "not now". */
  retryMs: number;
  /** After this long without settling, the payment is handed to recovery and the customer let go. */
  handOverMs: number;
  /** Earlier create/capture/cancel calls of this reference (machine clock), counted against the rate limit. */
  sentAt: readonly number[];
}

/** Where a settle loop stands: its key, its calls in the last minute, when it began and what time it is. */
interface LoopContext extends Omit<LoopInput, 'sentAt'> {
  sentAt: number[];
  startedAt: number;
  /** The machine clock when the loop last looked (guards cannot read the clock; actions stamp it). */
  now: number;
  key: SettleKey;
  handedOver: boolean;
}

/** What every settle loop answers: whether it gave up to recovery, and the calls it made. */
export interface LoopOutput {
  /** Not settled after `handOverMs`: recovery takes the payment and keeps trying; staff are told. */
  handedOver: boolean;
  sentAt: number[];
}

type System = AnyActorRef['system'];

function loopContext(input: LoopInput, first: SettleKey): LoopContext {
  return { ...input, sentAt: [...input.sentAt], startedAt: 0, now: 0, key: first, handedOver: false };
}

// Shared by both loops: the clock, the rate limit and the hand-over deadline, read the same way.
const loopDelays = {
  // The pause asked for, or longer while the sliding minute is full.
  nextTry: ({ context, system }: { context: LoopContext; system: System }) =>
    Math.max(context.retryMs, msUntilCallAllowed(context.sentAt, clockNow(system))),
};
const loopGuards = {
  overdue: ({ context }: { context: LoopContext }) => context.now - context.startedAt >= context.handOverMs,
  callAllowed: ({ context }: { context: LoopContext }) =>
    msUntilCallAllowed(context.sentAt, context.now) === 0,
  worthRetrying: ({ event }: { event: unknown }) => isWorthRetrying(errorOf(event)),
};
const stampStart = ({ system }: { system: System }) => ({
  startedAt: clockNow(system),
  now: clockNow(system),
});
const stampNow = ({ system }: { system: System }) => ({ now: clockNow(system) });

/** The call about to go out: its key (the same or the next, settle-rules.ts) and its time. */
const startCall =
  (body: string) =>
  ({ context, system }: { context: LoopContext; system: System }) => ({
    key: keyFor(context.key, body),
    sentAt: [...callsInWindow(context.sentAt, clockNow(system)), clockNow(system)],
  });

/** Vipps refused or could not answer: the key is spent unless the answer says to ask again with it. */
const noteFailure = ({ context, event }: { context: LoopContext; event: unknown }) => {
  const error = errorOf(event);
  // The client may have tried more than once inside one call; each try counts against the limit.
  const extra = Array.from({ length: attemptsOf(error) - 1 }, () => context.sentAt.at(-1) ?? 0);
  return { key: { ...context.key, spent: !keepsKey(error) }, sentAt: [...context.sentAt, ...extra] };
};
const spendKey = ({ context }: { context: LoopContext }) => ({ key: { ...context.key, spent: true } });

export interface CaptureOutput extends LoopOutput {
  /** False: Vipps will not capture it (the read-back shows less captured); the kiosk must release it. */
  captured: boolean;
  pspReference: string | null;
}

/**
 * Captures the amount approved, until Vipps' aggregate shows it captured or a read says it never will be.
 * "Not now" is read back and, if the capture is still due, asked again under the next key; at most five
 * calls a minute; after `handOverMs` the payment goes to recovery (still authorized, capture pending).
 */
export const captureMachine = setup({
  types: {
    input: {} as LoopInput & { amount: Amount },
    context: {} as LoopContext & { amount: Amount; pspReference: string | null; captured: boolean },
    output: {} as CaptureOutput,
  },
  actors: {
    capture: fromPromise<ModificationResponse, CaptureInput>(notProvided('capture')),
    getPayment: fromPromise<GetPaymentResponse, ReadInput>(notProvided('getPayment')),
  },
  delays: loopDelays,
  guards: {
    ...loopGuards,
    // Both a capture's answer and a read payment carry the aggregate: the money, not the state, decides.
    fullyCaptured: ({ context, event }) =>
      outputOf<ModificationResponse | GetPaymentResponse>(event).aggregate.capturedAmount.value >=
      context.amount.value,
    // Approved, the whole amount still reserved and nothing taken or released: the capture is still due.
    captureDue: ({ context, event }) => {
      const { state, aggregate } = outputOf<GetPaymentResponse>(event);
      return (
        state === 'AUTHORIZED' &&
        aggregate.capturedAmount.value === 0 &&
        aggregate.cancelledAmount.value === 0 &&
        aggregate.authorizedAmount.value >= context.amount.value
      );
    },
  },
  actions: {
    keepAnswer: assign(({ event }, captured: boolean) => ({
      captured,
      pspReference: outputOf<{ pspReference: string }>(event).pspReference ?? null,
    })),
    stampStart: assign(stampStart),
    stampNow: assign(stampNow),
    startCall: assign(({ context, system }) => startCall('capture')({ context, system })),
    noteFailure: assign(({ context, event }) => noteFailure({ context, event })),
    spendKey: assign(({ context }) => spendKey({ context })),
    handOver: assign({ handedOver: true }),
  },
}).createMachine({
  id: 'capture',
  context: ({ input }) => ({
    ...loopContext(input, firstKey('capture', 1)),
    amount: input.amount,
    pspReference: null,
    captured: false,
  }),
  entry: 'stampStart',
  initial: 'deciding',
  output: ({ context }) => ({
    captured: context.captured,
    pspReference: context.pspReference,
    handedOver: context.handedOver,
    sentAt: context.sentAt,
  }),
  states: {
    deciding: {
      always: [
        { guard: 'overdue', target: 'done', actions: 'handOver' },
        { guard: 'callAllowed', target: 'requesting' },
        { target: 'pausing' },
      ],
    },
    requesting: {
      entry: 'startCall',
      invoke: {
        src: 'capture',
        input: ({ context }) => ({
          reference: context.reference,
          amount: context.amount,
          key: keyText(context.reference, context.key),
        }),
        onDone: [
          { guard: 'fullyCaptured', target: 'done', actions: { type: 'keepAnswer', params: true } },
          { target: 'checking', actions: 'spendKey' },
        ],
        onError: [
          { guard: 'worthRetrying', target: 'pausing', actions: 'noteFailure' },
          { target: 'checking', actions: 'noteFailure' },
        ],
      },
    },
    pausing: { after: { nextTry: 'checking' } },
    // Only a read decides: captured after all, still due (ask again), or never (release it).
    checking: {
      invoke: {
        src: 'getPayment',
        input: ({ context }) => ({ reference: context.reference }),
        onDone: [
          { guard: 'fullyCaptured', target: 'done', actions: { type: 'keepAnswer', params: true } },
          { guard: 'captureDue', target: 'deciding', actions: 'stampNow' },
          { target: 'done', actions: { type: 'keepAnswer', params: false } },
        ],
        // AUTHORIZED is final: while Vipps cannot be read, the capture is still due.
        onError: { target: 'deciding', actions: 'stampNow' },
      },
    },
    done: { type: 'final' },
  },
});

export interface CancelOutput extends LoopOutput {
  /** Vipps answered a cancel (rather than a read showing nothing left to cancel): it is reachable. */
  cancelAnswered: boolean;
}

/** The body of a cancel, as its key remembers it. */
type CancelKind = 'unapproved-only' | 'release';

/**
 * Cancels until nothing is reserved. `releaseOnly` skips the "only if unapproved" cancel: for a
 * payment known to be approved (a capture Vipps refused). "Not now" (6250: the customer has the request
 * open) is read back and asked again under the next key, at most five calls a minute; after `handOverMs`
 * recovery keeps cancelling and the customer is let go.
 */
export const cancelMachine = setup({
  types: {
    input: {} as LoopInput & { releaseOnly: boolean },
    context: {} as LoopContext & { next: CancelKind; cancelAnswered: boolean },
    output: {} as CancelOutput,
  },
  actors: {
    cancel: fromPromise<ModificationResponse, CancelInput>(notProvided('cancel')),
    getPayment: fromPromise<GetPaymentResponse, ReadInput>(notProvided('getPayment')),
  },
  delays: loopDelays,
  guards: {
    ...loopGuards,
    releaseNext: ({ context }) => context.next === 'release',
    authorizedMeanwhile: ({ event }) => isAuthorizedMeanwhile(errorOf(event)),
    paymentCreated: paymentIs('CREATED'),
    // Approved and still (partly) reserved: the whole reservation is released.
    reservedStill: ({ event }) => {
      const payment = outputOf<GetPaymentResponse>(event);
      return payment.state === 'AUTHORIZED' && !isSettled(payment);
    },
  },
  actions: {
    cancelAnswered: assign({ cancelAnswered: true }),
    next: assign((_, next: CancelKind) => ({ next })),
    stampStart: assign(stampStart),
    stampNow: assign(stampNow),
    startCall: assign(({ context, system }) => startCall(context.next)({ context, system })),
    noteFailure: assign(({ context, event }) => noteFailure({ context, event })),
    handOver: assign({ handedOver: true }),
  },
}).createMachine({
  id: 'cancel',
  // The first "only if unapproved" cancel is cancel-1 and a first release cancel-2, as recovery expects.
  context: ({ input }) => ({
    ...loopContext(input, firstKey('cancel', input.releaseOnly ? 2 : 1)),
    next: input.releaseOnly ? 'release' : 'unapproved-only',
    cancelAnswered: false,
  }),
  entry: 'stampStart',
  initial: 'deciding',
  output: ({ context }) => ({
    cancelAnswered: context.cancelAnswered,
    handedOver: context.handedOver,
    sentAt: context.sentAt,
  }),
  states: {
    deciding: {
      always: [
        { guard: 'overdue', target: 'done', actions: 'handOver' },
        { guard: not('callAllowed'), target: 'pausing' },
        { guard: 'releaseNext', target: 'releasing' },
        { target: 'unapprovedOnly' },
      ],
    },
    // cancelTransactionOnly: Vipps refuses (6060) if the customer approved in the meantime.
    unapprovedOnly: {
      entry: 'startCall',
      invoke: {
        src: 'cancel',
        input: ({ context }) => ({
          reference: context.reference,
          cancelTransactionOnly: true,
          key: keyText(context.reference, context.key),
        }),
        onDone: { target: 'done', actions: 'cancelAnswered' },
        onError: [
          {
            guard: 'authorizedMeanwhile',
            target: 'deciding',
            actions: ['noteFailure', { type: 'next', params: 'release' }, 'stampNow'],
          },
          { guard: 'worthRetrying', target: 'pausing', actions: 'noteFailure' },
          { target: 'checking', actions: 'noteFailure' },
        ],
      },
    },
    // The customer got no goods: release the whole reservation.
    releasing: {
      entry: 'startCall',
      invoke: {
        src: 'cancel',
        input: ({ context }) => ({
          reference: context.reference,
          cancelTransactionOnly: false,
          key: keyText(context.reference, context.key),
        }),
        onDone: { target: 'done', actions: 'cancelAnswered' },
        onError: { target: 'pausing', actions: 'noteFailure' },
      },
    },
    pausing: { after: { nextTry: 'checking' } },
    // Only a read decides what is still to cancel.
    checking: {
      invoke: {
        src: 'getPayment',
        input: ({ context }) => ({ reference: context.reference }),
        onDone: [
          {
            guard: 'reservedStill',
            target: 'deciding',
            actions: [{ type: 'next', params: 'release' }, 'stampNow'],
          },
          {
            guard: 'paymentCreated',
            target: 'deciding',
            actions: [{ type: 'next', params: 'unapproved-only' }, 'stampNow'],
          },
          { target: 'done' },
        ],
        onError: { target: 'deciding', actions: 'stampNow' },
      },
    },
    done: { type: 'final' },
  },
});

/** A cancel of `reference`; its Idempotency-Key names which (cancel-1 is the "only if unapproved" one). */
export function cancelInput(reference: string, cancelTransactionOnly: boolean): CancelInput {
  return {
    reference,
    cancelTransactionOnly,
    key: operationKey(reference, cancelTransactionOnly ? 'cancel-1' : 'cancel-2'),
  };
}
