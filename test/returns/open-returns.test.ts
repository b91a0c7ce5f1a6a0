import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { openReturns } from '../../device/returns/open-returns.js';
import type { Refunds } from '../../device/returns/return-desk.js';
import { VippsUnavailableError } from '../../device/vipps/errors.js';
import { COMPANY } from '../cash-register/till.js';
import { type Counter, MILK, openCounter } from './return-counter.js';

describe('returns as the daemon wires them', () => {
  let counter: Counter;

  beforeEach(async () => {
    counter = await openCounter();
  });

  afterEach(async () => {
    await counter.stop();
  });

  it('a refund left pending is finished by recovery as soon as Vipps answers, without staff doing anything', async () => {
    const sale = await counter.sell([MILK]);
    const real = counter.kiosk.client.epayment;
    const calls: string[] = [];
    // The first answer is lost on the way back; Vipps answers the next ask.
    const lossy: Refunds = {
      async refund(reference, amount, key) {
        calls.push(key);
        if (calls.length === 1) {
          throw new VippsUnavailableError({ name: 'refund', reference }, 'timed out', {
            outcomeUnknown: true,
            attempts: 1,
          });
        }
        return real.refund(reference, amount, key);
      },
    };
    const returns = openReturns({
      till: counter.till,
      journal: counter.kiosk.journal!,
      vipps: lossy,
      seller: COMPANY,
      kioskId: 'kiosk-07',
      now: () => counter.kiosk.clock.now(),
      logger: silentLogger,
    });
    returns.recovery.start();
    await returns.recovery.settled();
    const outcome = await returns.desk.refund({
      receiptNumber: sale.receiptNumber,
      lines: [{ index: 0, quantity: 1 }],
      employeeId: 'E7',
    });
    expect(outcome).toMatchObject({ ok: false, pending: true });
    await returns.recovery.settled();
    await returns.recovery.stop();
    // Asked twice with one key; refunded once; journaled once.
    expect(calls).toEqual([`refund-${sale.receiptNumber}-1`, `refund-${sale.receiptNumber}-1`]);
    expect((await counter.kiosk.control.payment(sale.reference)).aggregate.refundedAmount.value).toBe(2490);
    expect(counter.till.store.ofKind('return')).toHaveLength(1);
    expect(counter.desk.find(sale.receiptNumber)).toMatchObject({ ok: false, code: 'nothing-left' });
  });
});
