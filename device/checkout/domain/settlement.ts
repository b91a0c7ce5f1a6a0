import type { Aggregate, PaymentState } from '../../../contracts/vipps-types.js';

/** How a payment's money ended: taken, released, or never reserved because the customer did not approve. */
export type Settlement = 'captured' | 'cancelled' | 'declined';

/** What Vipps says of a payment in every answer that carries it: getPayment, capture, cancel. */
export type PaymentStanding = { state: PaymentState; aggregate: Aggregate };

/**
 * The one definition of "settled": nothing more can happen to the payment's money (API.md §3.4). The
 * state says whether the customer approved; once they did, AUTHORIZED is final and only the aggregate
 * moves, so the money decides: settled when captures and cancels cover the whole authorization.
 *
 * An AUTHORIZED answer means an approved amount of at least one minor unit is reserved (§0.2, §3.4), so
 * one whose aggregate authorizes nothing contradicts itself. It is not taken as settled: that would let
 * the kiosk walk away from a reservation the customer may be charged for; read again, the payment
 * resolves. A CREATED payment is never settled either, since the customer may still approve.
 */
export function settlementOf(payment: PaymentStanding): Settlement | null {
  switch (payment.state) {
    case 'ABORTED':
    case 'EXPIRED':
      return 'declined';
    case 'TERMINATED':
      return 'cancelled';
    case 'AUTHORIZED': {
      const { authorizedAmount, capturedAmount, cancelledAmount } = payment.aggregate;
      if (authorizedAmount.value <= 0) return null;
      if (capturedAmount.value + cancelledAmount.value < authorizedAmount.value) return null;
      return capturedAmount.value > 0 ? 'captured' : 'cancelled';
    }
    case 'CREATED':
      return null;
  }
}

export function isSettled(payment: PaymentStanding): boolean {
  return settlementOf(payment) !== null;
}
