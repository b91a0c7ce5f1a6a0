import { fromPromise } from 'xstate';
import type { Amount } from '../../contracts/vipps-types.js';
import { consentMachine } from './club-consent.js';
import { checkoutMachine } from './machine.js';
import type { CheckoutDeps, Membership, Payments } from './ports.js';
import { cancelMachine, captureMachine } from './settle-payment.js';

/** The checkout machine with its actors (and its child machines' actors) bound to real adapters. */
export function provideCheckout(deps: CheckoutDeps) {
  const { payments, receiptNumbers, membership } = deps;
  const actors = paymentActors(payments);
  return checkoutMachine.provide({
    actors: {
      ...(membership ? membershipActors(membership) : {}),
      reserveReceiptNumber: fromPromise(() => receiptNumbers.next()),
      // Answered (either way), the request is out: the next receipt number is reserved now, off the path
      // of the next payment and of this one.
      createPayment: fromPromise(({ input }) =>
        payments.createPayment(input.request, input.key).finally(() => receiptNumbers.reserveAhead?.()),
      ),
      getPayment: actors.getPayment,
      cancel: actors.cancel,
      capturePayment: captureMachine.provide({
        actors: { capture: actors.capture, getPayment: actors.getPayment },
      }),
      cancelPayment: cancelMachine.provide({
        actors: { cancel: actors.cancel, getPayment: actors.getPayment },
      }),
    },
  });
}

function paymentActors(payments: Payments) {
  return {
    getPayment: fromPromise(({ input }: { input: { reference: string } }) =>
      payments.getPayment(input.reference),
    ),
    capture: fromPromise(({ input }: { input: { reference: string; amount: Amount; key: string } }) =>
      payments.capture(input.reference, input.amount, input.key),
    ),
    cancel: fromPromise(
      ({ input }: { input: { reference: string; cancelTransactionOnly: boolean; key: string } }) =>
        payments.cancel(input.reference, { cancelTransactionOnly: input.cancelTransactionOnly }, input.key),
    ),
  };
}

function membershipActors(membership: Membership) {
  return {
    msisdnOf: fromPromise<string, { personalQr: string }>(({ input }) =>
      membership.msisdnOf(input.personalQr),
    ),
    lookupMember: fromPromise(({ input }: { input: { msisdn: string } }) => membership.lookup(input.msisdn)),
    consent: consentMachine.provide({
      actors: {
        startLogin: fromPromise(({ input }: { input: Parameters<Membership['startLogin']>[0] }) =>
          membership.startLogin(input),
        ),
        pollLogin: fromPromise(({ input }: { input: { authReqId: string } }) =>
          membership.pollLogin(input.authReqId),
        ),
        enrolMember: fromPromise(({ input }: { input: Parameters<Membership['enrol']>[0] }) =>
          membership.enrol(input),
        ),
      },
    }),
  };
}
