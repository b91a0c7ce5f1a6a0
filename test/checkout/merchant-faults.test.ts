import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckoutDomainEvent } from '../../device/checkout/domain-events.js';
import { CheckoutHarness } from '../support/checkout-harness.js';
import type { SalesUnitSwitches } from '../support/sandbox-control.js';

// Issue 14, items 3 and 4, in the checkout machine on a simulated clock, through the real client into the
// strict sandbox. A sales unit Vipps refuses is a fault for staff, not a customer's decline; a customer's
// own "no" found on reading back a lost create is a decline, not a reason to push again.

const MILK = '2000000000015'; // 24.90
const PAYMENTS = '/epayment/v1/payments';
const FIVE_MINUTES = 5 * 60_000;

describe('merchant setup faults and lost answers in the checkout', () => {
  let kiosk: CheckoutHarness;
  let events: CheckoutDomainEvent[];

  beforeEach(async () => {
    kiosk = await new CheckoutHarness().start();
    events = [];
    kiosk.service.onDomainEvent((event) => events.push(event));
  });
  afterEach(async () => {
    await kiosk.stop();
  });

  const msn = () => kiosk.sandbox.credentials.merchantSerialNumber;
  const types = () => events.map((event) => event.type);

  function pay(): void {
    kiosk.scan(MILK);
    kiosk.scan(kiosk.customer.personalQrV2);
  }

  describe('item 3: a sales unit Vipps refuses puts the kiosk out of order', () => {
    it('5080: out of order with the code for staff, an event for HQ, not a decline', async () => {
      await kiosk.control.salesUnit(msn(), { pushMessage: false });
      pay();
      const model = await kiosk.until('out-of-order');

      expect(model.outOfOrder).toEqual({ code: 'vipps-5080', message: expect.stringMatching(/5080.*push/) });
      expect(model.declined).toBeNull();
      expect(model.basket.lines).toEqual([]);
      expect(events).toContainEqual({
        type: 'kiosk.out-of-order',
        code: 'vipps-5080',
        message: model.outOfOrder!.message,
      });
      expect(types()).not.toContain('payment.declined');
      // Vipps answered: it is not unreachable.
      expect(model.vippsReachable).toBe(true);
    });

    it('the next customer is not invited: a scan is answered "out of order" and starts no basket', async () => {
      await kiosk.control.salesUnit(msn(), { pushMessage: false });
      pay();
      await kiosk.until('out-of-order');

      kiosk.scan(MILK);
      expect(kiosk.model).toMatchObject({ screen: 'out-of-order', feedback: { kind: 'out-of-order' } });
      expect(kiosk.model.basket.lines).toEqual([]);
      kiosk.scan(kiosk.customer.personalQrV2);
      expect(kiosk.model.screen).toBe('out-of-order');
      expect(kiosk.calls.filter((call) => call.startsWith('create'))).toHaveLength(1);
    });

    it.each([
      ['5040', { currencies: ['EUR'] }, 'vipps-5040'],
      ['403 Merchant not allowed', { epayment: false }, 'vipps-merchant-not-allowed'],
    ] as const)('%s: out of order too', async (_, switches, code) => {
      await kiosk.control.salesUnit(msn(), switches as SalesUnitSwitches);
      pay();
      const model = await kiosk.until('out-of-order');
      expect(model.outOfOrder?.code).toBe(code);
      expect(types()).toContain('kiosk.out-of-order');
    });

    it("keys Vipps refuses at the token are out of order, not 'Vipps unavailable'", async () => {
      await kiosk.control.faults({ rules: [{ path: '/accesstoken/get', status: 401, count: 1000 }] });
      pay();
      const model = await kiosk.until('out-of-order');
      expect(model.outOfOrder?.code).toBe('vipps-keys-refused');
    });

    it('a 5080 to a retry after a lost first attempt: read back, found not created, then out of order', async () => {
      // The first attempt gets a 502 (it may have reached Vipps); by the retry the unit refuses pushes.
      await kiosk.control.faults({ rules: [{ path: PAYMENTS, method: 'POST', status: 502, count: 1 }] });
      await kiosk.control.salesUnit(msn(), { pushMessage: false });
      pay();
      const model = await kiosk.until('out-of-order');
      expect(model.outOfOrder?.code).toBe('vipps-5080');
      expect(model.vippsReachable).toBe(true);
      expect(kiosk.calls).toEqual(['create kiosk-07-0000000001-1', 'get kiosk-07-0000000001-1']);
    });

    it('HQ switching maintenance on and off brings it back into service', async () => {
      await kiosk.control.salesUnit(msn(), { pushMessage: false });
      pay();
      await kiosk.until('out-of-order');
      await kiosk.control.salesUnit(msn(), { pushMessage: true });

      kiosk.service.maintenance(true);
      expect(kiosk.model).toMatchObject({ screen: 'maintenance', outOfOrder: null });
      expect(events.at(-1)).toEqual({ type: 'kiosk.back-in-order', code: 'vipps-5080' });
      kiosk.service.maintenance(false);
      expect(kiosk.model.screen).toBe('attract');

      pay();
      await kiosk.until('awaiting-approval');
    });

    it('a fault a read can see is probed every 5 minutes, and the kiosk comes back when it is fixed', async () => {
      await kiosk.control.salesUnit(msn(), { epayment: false });
      pay();
      await kiosk.until('out-of-order');
      const before = kiosk.calls.length;

      kiosk.advance(FIVE_MINUTES - 1);
      expect(kiosk.calls).toHaveLength(before);
      kiosk.advance(1);
      await kiosk.waitFor(() => kiosk.calls.length === before + 1, 'the probe');
      await kiosk.until('out-of-order');
      expect(types()).not.toContain('kiosk.back-in-order');

      await kiosk.control.salesUnit(msn(), { epayment: true });
      kiosk.advance(FIVE_MINUTES);
      await kiosk.until('attract');
      expect(events.at(-1)).toEqual({ type: 'kiosk.back-in-order', code: 'vipps-merchant-not-allowed' });
      expect(kiosk.model.outOfOrder).toBeNull();
    });
  });

  describe("item 4: a lost create read back as the customer's own no", () => {
    it.each([
      ['rejected', 'reject'],
      ['expired', 'expire'],
    ] as const)(
      'goes to declined (%s) and pushes again only when the customer asks',
      async (reason, what) => {
        // The create reaches Vipps but no answer comes back, and Vipps cannot be read for a while.
        await kiosk.control.faults({
          rules: [
            { path: PAYMENTS, method: 'POST', status: 500, after: true, count: 1000 },
            { path: `${PAYMENTS}/`, method: 'GET', status: 503, count: 1000 },
          ],
        });
        pay();
        await kiosk.until('unavailable');
        const reference = 'kiosk-07-0000000001-1';
        // Meanwhile the customer says no in the app, or lets it run out.
        if (what === 'reject') await kiosk.control.act(reference, 'reject');
        else kiosk.sandbox.clock.advance(11 * 60_000);
        await kiosk.control.clearFaults();

        kiosk.send({ type: 'try-again' });
        const model = await kiosk.until('declined');
        expect(model.declined).toEqual({ reason });
        expect(kiosk.calls.filter((call) => call.startsWith('create'))).toEqual([`create ${reference}`]);

        kiosk.send({ type: 'try-again' });
        await kiosk.until('awaiting-approval');
        expect(kiosk.calls.filter((call) => call.startsWith('create'))).toEqual([
          `create ${reference}`,
          'create kiosk-07-0000000001-2',
        ]);
      },
    );
  });
});
