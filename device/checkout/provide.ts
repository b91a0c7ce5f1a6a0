import { fromPromise } from 'xstate';
import { checkoutMachine } from './machine.js';
import type { CheckoutDeps } from './ports.js';

/** The checkout machine with its actors bound to real adapters; the composition root calls this. */
export function provideCheckout(deps: CheckoutDeps) {
  const { payments, receiptNumbers } = deps;
  return checkoutMachine.provide({
    actors: {
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
