import { fromPromise } from 'xstate';
import { checkoutMachine } from './machine.js';
import type { CheckoutDeps, Membership } from './ports.js';

/** The checkout machine with its actors bound to real adapters; the composition root calls this. */
export function provideCheckout(deps: CheckoutDeps) {
  const { payments, receiptNumbers, membership } = deps;
  return checkoutMachine.provide({
    actors: {
      ...(membership ? membershipActors(membership) : {}),
      reserveReceiptNumber: fromPromise(() => receiptNumbers.next()),
      createPayment: fromPromise(({ input }) => payments.createPayment(input.request, input.key)),
      getPayment: fromPromise(({ input }) => payments.getPayment(input.reference)),
      capture: fromPromise(({ input }) => payments.capture(input.reference, input.amount, input.key)),
      cancel: fromPromise(({ input }) =>
        payments.cancel(input.reference, { cancelTransactionOnly: input.cancelTransactionOnly }, input.key),
      ),
    },
  });
}

function membershipActors(membership: Membership) {
  return {
    msisdnOf: fromPromise<string, { personalQr: string }>(({ input }) =>
      membership.msisdnOf(input.personalQr),
    ),
    lookupMember: fromPromise(({ input }: { input: { msisdn: string } }) => membership.lookup(input.msisdn)),
    startLogin: fromPromise(({ input }: { input: Parameters<Membership['startLogin']>[0] }) =>
      membership.startLogin(input),
    ),
    pollLogin: fromPromise(({ input }: { input: { authReqId: string } }) =>
      membership.pollLogin(input.authReqId),
    ),
    enrolMember: fromPromise(({ input }: { input: Parameters<Membership['enrol']>[0] }) =>
      membership.enrol(input),
    ),
  };
}
