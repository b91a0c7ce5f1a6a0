// Matching the kiosks' reported money against Vipps' settled ledger, per reference and movement.

import { describe, expect, it } from 'vitest';
import { type ReportedMoney, reconcile, type SettledMoney } from '../../hq/reconcile/reconcile.js';

const sale = (reference: string, amount: number, kiosk = 'oslo-1/kiosk-07'): ReportedMoney => ({
  reference,
  movement: 'capture',
  amount,
  currency: 'NOK',
  kiosk,
});
const settled = (reference: string, amount: number, psp = `psp-${reference}`): SettledMoney => ({
  reference,
  movement: amount >= 0 ? 'capture' : 'refund',
  amount,
  currency: 'NOK',
  pspReferences: [psp],
});

describe('reconcile', () => {
  it('matches a sale and its partial refund, and finds what only one side knows', () => {
    const refund: ReportedMoney = { ...sale('k07-1-1', 4_000), movement: 'refund' };
    const result = reconcile(
      [sale('k07-1-1', 10_000), refund, sale('k07-2-1', 5_000)],
      [settled('k07-1-1', 10_000), settled('k07-1-1', -4_000, 'psp-r'), settled('elsewhere-9', 7_700)],
    );
    expect(result.matched.map((m) => [m.movement, m.reference, m.amount, m.pspReferences])).toEqual([
      ['capture', 'k07-1-1', 10_000, ['psp-k07-1-1']],
      ['refund', 'k07-1-1', 4_000, ['psp-r']],
    ]);
    expect(result.reportedNotSettled.map((m) => m.reference)).toEqual(['k07-2-1']);
    expect(result.settledNotReported).toEqual([settled('elsewhere-9', 7_700)]);
    expect(result.totals).toEqual({ reported: 11_000, settled: 13_700 });
  });

  it('adds up partial captures of one reference before comparing, and says where amounts disagree', () => {
    const result = reconcile(
      [sale('k07-3-1', 9_000), sale('k07-4-1', 2_000)],
      [settled('k07-3-1', 5_000, 'a'), settled('k07-3-1', 4_000, 'b'), settled('k07-4-1', 1_999)],
    );
    expect(result.matched.map((m) => m.pspReferences)).toEqual([['a', 'b']]);
    expect(result.disagreeing).toEqual([
      {
        reference: 'k07-4-1',
        movement: 'capture',
        currency: 'NOK',
        reported: 2_000,
        settled: 1_999,
        kiosk: 'oslo-1/kiosk-07',
      },
    ]);
  });
});
