import { assign, fromPromise, setup } from 'xstate';
import type { Amount, GetPaymentResponse, ModificationResponse } from '../../contracts/vipps-types.js';
import { operationKey } from '../vipps/request-rules.js';
import { isAuthorizedMeanwhile, isSettled, isWorthRetrying } from './vipps-outcomes.js';

// The settle loops: a payment the customer approved is captured, one the kiosk gives up on is
// cancelled, each asked again (same Idempotency-Key) and read back until Vipps says it is settled.
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

export interface CaptureOutput {
  /** False: Vipps will not capture it (the read-back shows less captured); the kiosk must release it. */
  captured: boolean;
  pspReference: string | null;
}

/** Captures the amount approved, until Vipps' aggregate shows it captured or a read says it never will be. */
export const captureMachine = setup({
  types: {
    input: {} as { reference: string; amount: Amount; retryMs: number },
    context: {} as {
      reference: string;
      amount: Amount;
      retryMs: number;
      pspReference: string | null;
      captured: boolean;
    },
    output: {} as CaptureOutput,
  },
  actors: {
    capture: fromPromise<ModificationResponse, CaptureInput>(notProvided('capture')),
    getPayment: fromPromise<GetPaymentResponse, ReadInput>(notProvided('getPayment')),
  },
  delays: { settleRetry: ({ context }) => context.retryMs },
  guards: {
    // Both a capture's answer and a read payment carry the aggregate: the money, not the state, decides.
    fullyCaptured: ({ context, event }) =>
      outputOf<ModificationResponse | GetPaymentResponse>(event).aggregate.capturedAmount.value >=
      context.amount.value,
    worthRetrying: ({ event }) => isWorthRetrying(errorOf(event)),
  },
  actions: {
    keepAnswer: assign(({ event }, captured: boolean) => ({
      captured,
      pspReference: outputOf<{ pspReference: string }>(event).pspReference ?? null,
    })),
  },
}).createMachine({
  id: 'capture',
  context: ({ input }) => ({ ...input, pspReference: null, captured: false }),
  initial: 'requesting',
  output: ({ context }) => ({ captured: context.captured, pspReference: context.pspReference }),
  states: {
    requesting: {
      invoke: {
        src: 'capture',
        input: ({ context }) => ({
          reference: context.reference,
          amount: context.amount,
          key: operationKey(context.reference, 'capture-1'),
        }),
        onDone: [
          { guard: 'fullyCaptured', target: 'done', actions: { type: 'keepAnswer', params: true } },
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
        input: ({ context }) => ({ reference: context.reference }),
        onDone: [
          { guard: 'fullyCaptured', target: 'done', actions: { type: 'keepAnswer', params: true } },
          { target: 'done', actions: { type: 'keepAnswer', params: false } },
        ],
        onError: { target: 'pausing' },
      },
    },
    done: { type: 'final' },
  },
});

export interface CancelOutput {
  /** Vipps answered a cancel (rather than a read showing nothing left to cancel): it is reachable. */
  cancelAnswered: boolean;
}

/**
 * Cancels until nothing is reserved. `releaseOnly` skips the "only if unapproved" cancel: for a
 * payment known to be approved (a capture Vipps refused).
 */
export const cancelMachine = setup({
  types: {
    input: {} as { reference: string; releaseOnly: boolean; retryMs: number },
    context: {} as { reference: string; releaseOnly: boolean; retryMs: number; cancelAnswered: boolean },
    output: {} as CancelOutput,
  },
  actors: {
    cancel: fromPromise<ModificationResponse, CancelInput>(notProvided('cancel')),
    getPayment: fromPromise<GetPaymentResponse, ReadInput>(notProvided('getPayment')),
  },
  delays: { settleRetry: ({ context }) => context.retryMs },
  guards: {
    releaseOnly: ({ context }) => context.releaseOnly,
    authorizedMeanwhile: ({ event }) => isAuthorizedMeanwhile(errorOf(event)),
    worthRetrying: ({ event }) => isWorthRetrying(errorOf(event)),
    paymentCreated: paymentIs('CREATED'),
    // Approved and still (partly) reserved: the whole reservation is released.
    reservedStill: ({ event }) => {
      const payment = outputOf<GetPaymentResponse>(event);
      return payment.state === 'AUTHORIZED' && !isSettled(payment);
    },
  },
  actions: {
    cancelAnswered: assign({ cancelAnswered: true }),
  },
}).createMachine({
  id: 'cancel',
  context: ({ input }) => ({ ...input, cancelAnswered: false }),
  initial: 'choosing',
  output: ({ context }) => ({ cancelAnswered: context.cancelAnswered }),
  states: {
    choosing: { always: [{ guard: 'releaseOnly', target: 'releasing' }, { target: 'unapprovedOnly' }] },
    // cancelTransactionOnly: Vipps refuses (6060) if the customer approved in the meantime.
    unapprovedOnly: {
      invoke: {
        src: 'cancel',
        input: ({ context }) => cancelInput(context.reference, true),
        onDone: { target: 'done', actions: 'cancelAnswered' },
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
        input: ({ context }) => ({ reference: context.reference }),
        onDone: [
          { guard: 'reservedStill', target: 'releasing' },
          { guard: 'paymentCreated', target: 'unapprovedOnly' },
          { target: 'done' },
        ],
        onError: { target: 'pausing' },
      },
    },
    // The customer got no goods: release the whole reservation.
    releasing: {
      invoke: {
        src: 'cancel',
        input: ({ context }) => cancelInput(context.reference, false),
        onDone: { target: 'done', actions: 'cancelAnswered' },
        onError: { target: 'pausing' },
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
