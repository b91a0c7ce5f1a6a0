import { describe, expect, it } from 'vitest';
import type { PaymentState } from '../../../contracts/vipps-types.js';
import { isSettled, settlementOf } from '../../../device/checkout/domain/settlement.js';

const nok = (value: number) => ({ currency: 'NOK' as const, value });

function payment(state: PaymentState, authorized: number, captured = 0, cancelled = 0, refunded = 0) {
  return {
    state,
    aggregate: {
      authorizedAmount: nok(authorized),
      capturedAmount: nok(captured),
      cancelledAmount: nok(cancelled),
      refundedAmount: nok(refunded),
    },
  };
}

describe('settlementOf: the one definition of "settled"', () => {
  it('leaves a payment the customer has not answered open: they may still approve', () => {
    expect(settlementOf(payment('CREATED', 0))).toBeNull();
    expect(isSettled(payment('CREATED', 0))).toBe(false);
  });

  it.each([
    ['ABORTED', 'declined'],
    ['EXPIRED', 'declined'],
    ['TERMINATED', 'cancelled'],
  ] as const)('settles %s, which reserved nothing, as %s', (state, settlement) => {
    expect(settlementOf(payment(state, 0))).toBe(settlement);
    expect(isSettled(payment(state, 0))).toBe(true);
  });

  it('keeps an approved payment open while any of its reservation is left', () => {
    expect(settlementOf(payment('AUTHORIZED', 4990))).toBeNull();
    expect(settlementOf(payment('AUTHORIZED', 4990, 2000))).toBeNull();
    expect(settlementOf(payment('AUTHORIZED', 4990, 0, 4989))).toBeNull();
  });

  it('settles an approved payment once captures and cancels cover the authorization', () => {
    expect(settlementOf(payment('AUTHORIZED', 4990, 4990))).toBe('captured');
    expect(settlementOf(payment('AUTHORIZED', 4990, 0, 4990))).toBe('cancelled');
    // Captured in part, the rest released: money was taken, so it is a sale.
    expect(settlementOf(payment('AUTHORIZED', 4990, 2000, 2990))).toBe('captured');
  });

  it('does not reopen a captured payment when part of it is refunded', () => {
    expect(settlementOf(payment('AUTHORIZED', 4990, 4990, 0, 1000))).toBe('captured');
  });

  it('does not take an approval whose aggregate authorizes nothing as settled: it reads again instead', () => {
    // AUTHORIZED means at least one minor unit is reserved; a zero authorization contradicts the state.
    expect(settlementOf(payment('AUTHORIZED', 0))).toBeNull();
    expect(isSettled(payment('AUTHORIZED', 0))).toBe(false);
  });
});
