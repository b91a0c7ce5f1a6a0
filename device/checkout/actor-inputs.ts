import type { AnyActorRef } from 'xstate';
import type { CheckoutContext } from './checkout-types.js';
import { clockNow } from './machine-clock.js';
import { currentPayment } from './session.js';

// What the checkout machine hands the actors and child machines it invokes (machine.ts names them in
// each `invoke`): the reference to read, the settle loops' amounts and retry timing, the consent's login.

/** A reference no payment is made under: reading it asks Vipps only whether the kiosk may read at all. */
export const probeReference = ({ context }: { context: CheckoutContext }) => ({
  reference: `${context.env.kioskId}-setup-probe`,
});

/** The current reference, for the actors that read it back. */
export const readPayment = ({ context }: { context: CheckoutContext }) => ({
  reference: currentPayment(context).reference,
});

/** Earlier create/capture/cancel calls of the current reference; a create not yet counted counts as now. */
function sentSoFar(context: CheckoutContext, system: AnyActorRef['system']): readonly number[] {
  return currentPayment(context).sentAt ?? [clockNow(system)];
}

/** The capture loop (settle-payment.ts) for the current reference. */
export const captureInput = ({ context, self }: { context: CheckoutContext; self: AnyActorRef }) => {
  const { reference, amount } = currentPayment(context);
  const { timing, catalog } = context.env;
  return {
    reference,
    amount: { currency: catalog.market.currency, value: amount },
    retryMs: timing.settleRetryMs,
    handOverMs: timing.settleHandOverMs,
    sentAt: sentSoFar(context, self.system),
  };
};

/** The cancel loop for the current reference; after a refused capture, only the release is left. */
export const cancelLoopInput = ({ context, self }: { context: CheckoutContext; self: AnyActorRef }) => ({
  reference: currentPayment(context).reference,
  releaseOnly: context.cancelCause === 'capture-refused',
  retryMs: context.env.timing.settleRetryMs,
  handOverMs: context.env.timing.settleHandOverMs,
  sentAt: sentSoFar(context, self.system),
});

/** The consent child starts from the club as the session knows it, a login already sent included. */
export const consentInput = ({ context }: { context: CheckoutContext }) => ({
  msisdn: context.club.msisdn ?? '',
  scope: context.env.club?.scopes ?? '',
  loginExpirySeconds: context.env.club?.loginExpirySeconds ?? 0,
  login: context.club.login ?? {
    bindingMessage: '',
    authReqId: null,
    intervalMs: 0,
    expiresAt: null,
    notice: null,
  },
});
