import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckoutHarness } from '../support/checkout-harness.js';

// The checkout machine under a simulated clock, paying through the real client into the strict
// sandbox over loopback. Every timer is moved by the test; no test sleeps for seconds.

const MILK = '2000000000015'; // Melk 1 l, 24.90
const BREAD = '2000000000022'; // Brød grovt, 42.90

describe('checkout machine', () => {
  let kiosk: CheckoutHarness;

  beforeEach(async () => {
    kiosk = await new CheckoutHarness().start();
  });
  afterEach(async () => {
    await kiosk.stop();
  });

  describe('scanning', () => {
    it('starts a basket on the first product and adds a second scan of it to the same line', async () => {
      expect(kiosk.model.screen).toBe('attract');
      kiosk.scan(MILK);
      kiosk.scan(`${MILK}\r\n`);
      const model = await kiosk.until('basket');
      expect(model.basket).toEqual({
        lines: [{ gtin: MILK, name: 'Melk 1 l', quantity: 2, unitPrice: 2490, discount: 0, lineTotal: 4980 }],
        total: 4980,
        itemCount: 2,
        savings: 0,
      });
      expect(model.feedback).toEqual({ seq: 2, kind: 'added', subject: 'Melk 1 l' });
    });

    it.each([
      ['2000000009995', 'unknown-item'],
      ['2000000000016', 'not-recognised'],
      ['hello world', 'not-recognised'],
      ['https:--qr.vipps.no-p-abc', 'scanner-layout'],
    ])('answers %s with %s feedback and changes nothing', async (text, kind) => {
      kiosk.scan(text);
      expect(kiosk.model.screen).toBe('attract');
      expect(kiosk.model.feedback?.kind).toBe(kind);
      expect(kiosk.model.basket.lines).toEqual([]);
      kiosk.scan(MILK);
      kiosk.scan(text);
      expect(kiosk.model.screen).toBe('basket');
      expect(kiosk.model.feedback?.kind).toBe(kind);
      expect(kiosk.model.basket.total).toBe(2490);
      expect(kiosk.calls).toEqual([]);
    });

    it('ignores a personal QR while the basket is empty, sending nothing to Vipps', async () => {
      kiosk.scan(kiosk.customer.personalQrV2);
      expect(kiosk.model.screen).toBe('attract');
      expect(kiosk.model.feedback?.kind).toBe('ignored');
      expect(kiosk.calls).toEqual([]);
    });

    it('changes quantities, removes lines and returns to attract when the basket empties', async () => {
      kiosk.scan(MILK);
      kiosk.scan(BREAD);
      kiosk.send({ type: 'set-quantity', gtin: BREAD, quantity: 3 });
      expect(kiosk.model.basket.total).toBe(2490 + 3 * 4290);
      kiosk.send({ type: 'set-quantity', gtin: BREAD, quantity: 99 });
      kiosk.send({ type: 'remove-line', gtin: MILK });
      expect(kiosk.model.basket.lines.map((l) => [l.gtin, l.quantity])).toEqual([[BREAD, 99]]);
      kiosk.send({ type: 'remove-line', gtin: BREAD });
      expect(kiosk.model.screen).toBe('attract');
    });

    it('clears everything on start over', async () => {
      kiosk.scan(MILK);
      kiosk.send({ type: 'language', language: 'en' });
      kiosk.send({ type: 'start-over' });
      expect(kiosk.model).toMatchObject({ screen: 'attract', language: 'nb', basket: { lines: [] } });
    });
  });

  describe('paying', () => {
    it('pushes the payment for a scanned personal QR with the whole QR text, the receipt and CUSTOMER_PRESENT', async () => {
      const reference = await kiosk.startPayment();
      expect(reference).toBe('kiosk-07-0000000001-1');
      const payment = await kiosk.control.payment(reference);
      expect(payment.request).toMatchObject({
        amount: { currency: 'NOK', value: 2490 + 4290 },
        customer: { personalQr: kiosk.customer.personalQrV2 },
        customerInteraction: 'CUSTOMER_PRESENT',
        userFlow: 'PUSH_MESSAGE',
        paymentDescription: 'Butikken Test: 2 varer',
        receipt: { bottomLine: { currency: 'NOK', posId: 'kiosk-07', receiptNumber: '0000000001' } },
      });
      expect(payment.events[0]).toMatchObject({
        name: 'CREATED',
        idempotencyKey: 'kiosk-07-0000000001-1-create',
      });
      const model = kiosk.model;
      expect(model.payment).toMatchObject({ reference, amount: 6780, customer: null });
      expect(model.payment!.expiresAt).toBe(kiosk.clock.now() + 10 * 60_000);
    });

    it('pays by phone number from the keypad, refusing an implausible one', async () => {
      kiosk.scan(MILK);
      kiosk.send({ type: 'pay' });
      expect(kiosk.model.screen).toBe('identify');
      kiosk.send({ type: 'back' });
      expect(kiosk.model.screen).toBe('basket');
      kiosk.send({ type: 'pay' });
      expect(() => kiosk.send({ type: 'pay-phone', msisdn: '12345' })).toThrow(/intent refused/);
      expect(kiosk.model.screen).toBe('identify');
      kiosk.send({ type: 'pay-phone', msisdn: kiosk.customer.msisdn });
      const model = await kiosk.until('awaiting-approval');
      expect(model.payment?.customer).toBe('47******67');
      const payment = await kiosk.control.payment(model.payment!.reference);
      expect(payment.request.customer).toEqual({ phoneNumber: kiosk.customer.msisdn });
    });

    it('polls first after 5 s and then every 2 s, approves, captures the full amount and shows the receipt', async () => {
      const reference = await kiosk.startPayment();
      kiosk.advance(4_999);
      await kiosk.settle();
      expect(kiosk.calls.filter((c) => c.startsWith('get'))).toEqual([]);
      kiosk.advance(1);
      await kiosk.until('session.flow.awaitingApproval.waiting');
      await kiosk.settle();
      expect(kiosk.calls.filter((c) => c.startsWith('get'))).toHaveLength(1);
      kiosk.advance(1_999);
      await kiosk.settle();
      expect(kiosk.calls.filter((c) => c.startsWith('get'))).toHaveLength(1);

      await kiosk.control.act(reference, 'approve');
      kiosk.advance(1);
      const model = await kiosk.until('approved');
      const payment = await kiosk.control.payment(reference);
      expect(payment.aggregate.capturedAmount.value).toBe(6780);
      expect(payment.events.map((e) => [e.name, e.idempotencyKey])).toContainEqual([
        'CAPTURED',
        `${reference}-capture-1`,
      ]);
      expect(model.receipt).toMatchObject({
        receiptNumber: '0000000001',
        total: 6780,
        lines: [
          { gtin: MILK, name: 'Melk 1 l', quantity: 1, unitPrice: 2490, lineTotal: 2490 },
          { gtin: BREAD, name: 'Brød grovt', quantity: 1, unitPrice: 4290, lineTotal: 4290 },
        ],
        vat: [{ rate: 1500, amount: 325 + 560 }],
        // Not a cash register: the plain receipt, no Salgskvittering.
        sales: null,
      });
      expect(model.basket.lines).toEqual([]);
      kiosk.send({ type: 'done' });
      expect(kiosk.model.screen).toBe('attract');
    });

    it('looks at once when a relayed webhook says something happened to this payment', async () => {
      const reference = await kiosk.startPayment();
      await kiosk.control.act(reference, 'approve');
      kiosk.service.paymentEvent('kiosk-07-0000000099-1', 'AUTHORIZED');
      await kiosk.settle();
      expect(kiosk.calls.filter((c) => c.startsWith('get'))).toEqual([]);
      kiosk.service.paymentEvent(reference, 'AUTHORIZED');
      await kiosk.until('approved');
    });

    // The large-text theme and the language are the customer's: kept to the receipt, gone for the next one.
    it('keeps the customer’s theme and language to the receipt, and starts the next customer on the store’s', async () => {
      kiosk.send({ type: 'theme', theme: 'high-contrast' });
      kiosk.send({ type: 'language', language: 'fi' });
      expect(kiosk.model).toMatchObject({ theme: 'high-contrast', language: 'fi', market: 'NO' });
      const reference = await kiosk.startPayment();
      expect(kiosk.model).toMatchObject({ theme: 'high-contrast', language: 'fi' });
      await kiosk.control.act(reference, 'approve');
      kiosk.advance(5_000);
      expect(await kiosk.until('approved')).toMatchObject({ theme: 'high-contrast', language: 'fi' });
      kiosk.scan(BREAD);
      expect(await kiosk.until('basket')).toMatchObject({ theme: 'standard', language: 'nb' });
      kiosk.send({ type: 'theme', theme: 'high-contrast' });
      kiosk.send({ type: 'start-over' });
      expect(kiosk.model).toMatchObject({ screen: 'attract', theme: 'standard' });
    });

    it('starts the next customer on a product scan from the receipt screen', async () => {
      const reference = await kiosk.startPayment();
      await kiosk.control.act(reference, 'approve');
      kiosk.advance(5_000);
      await kiosk.until('approved');
      kiosk.scan(BREAD);
      const model = await kiosk.until('basket');
      expect(model.basket.lines.map((l) => l.gtin)).toEqual([BREAD]);
      expect(model.receipt).toBeNull();
      kiosk.scan(kiosk.customer.personalQrV1);
      const next = await kiosk.until('awaiting-approval');
      expect(next.payment?.reference).toBe('kiosk-07-0000000002-1');
    });
  });

  describe('declined', () => {
    it('keeps the basket when the customer rejects, and retries with a new reference', async () => {
      const reference = await kiosk.startPayment();
      await kiosk.control.act(reference, 'reject');
      kiosk.advance(5_000);
      const model = await kiosk.until('declined');
      expect(model.declined).toEqual({ reason: 'rejected' });
      expect(model.basket.total).toBe(6780);
      kiosk.send({ type: 'try-again' });
      const again = await kiosk.until('awaiting-approval');
      expect(again.payment?.reference).toBe('kiosk-07-0000000001-2');
      expect((await kiosk.control.payment('kiosk-07-0000000001-2')).request.customer).toEqual({
        personalQr: kiosk.customer.personalQrV2,
      });
    });

    it('declines as expired when Vipps lets the request expire', async () => {
      await kiosk.startPayment();
      kiosk.sandbox.clock.advance(5 * 60_000 + 1);
      kiosk.advance(5_000);
      expect((await kiosk.until('declined')).declined).toEqual({ reason: 'expired' });
      kiosk.send({ type: 'back' });
      expect(kiosk.model.screen).toBe('basket');
    });

    it('tells an unknown customer apart and sends them back to identify on try again', async () => {
      kiosk.scan(MILK);
      kiosk.send({ type: 'pay' });
      kiosk.send({ type: 'pay-phone', msisdn: '4799999999' });
      expect((await kiosk.until('declined')).declined).toEqual({ reason: 'unknown-customer' });
      kiosk.send({ type: 'try-again' });
      expect(kiosk.model.screen).toBe('identify');
    });

    it('cancels on its own once the approval window and its grace have passed without an answer', async () => {
      const reference = await kiosk.startPayment();
      // The sandbox's clock stands still, so Vipps never reports EXPIRED; only the kiosk's deadline ends it.
      for (let waited = 0; waited < 10 * 60_000 + 30_000; waited += 30_000) {
        kiosk.advance(30_000);
        await kiosk.settle(5);
      }
      expect((await kiosk.until('declined')).declined).toEqual({ reason: 'expired' });
      expect((await kiosk.control.payment(reference)).state).toBe('TERMINATED');
      // Declined lets the reference go (a new push makes a new one): recovery is told, once.
      expect(kiosk.abandoned).toEqual([reference]);
      kiosk.send({ type: 'start-over' });
      expect(kiosk.abandoned).toEqual([reference]);
    });
  });

  describe('customer cancel', () => {
    it('cancels an unapproved request with cancelTransactionOnly and returns to the basket', async () => {
      const reference = await kiosk.startPayment();
      kiosk.send({ type: 'cancel' });
      const model = await kiosk.until('basket');
      expect(model.basket.total).toBe(6780);
      expect(kiosk.calls).toContain(`cancel ${reference}-cancel-1`);
      expect((await kiosk.control.payment(reference)).state).toBe('TERMINATED');
    });

    it('releases the whole reservation when the customer approved just before cancelling (6060)', async () => {
      const reference = await kiosk.startPayment();
      await kiosk.control.act(reference, 'approve');
      kiosk.send({ type: 'cancel' });
      await kiosk.until('basket');
      expect(kiosk.calls.filter((c) => c.startsWith('cancel'))).toEqual([
        `cancel ${reference}-cancel-1`,
        `cancel ${reference}-cancel-2`,
      ]);
      const payment = await kiosk.control.payment(reference);
      expect(payment.state).toBe('AUTHORIZED');
      expect(payment.aggregate.cancelledAmount.value).toBe(6780);
      expect(payment.aggregate.capturedAmount.value).toBe(0);
    });

    it('waits while the customer has the request open (6250), then resolves what they chose', async () => {
      const reference = await kiosk.startPayment();
      await kiosk.control.act(reference, 'open');
      kiosk.send({ type: 'cancel' });
      await kiosk.until('session.flow.cancelling.pausing');
      kiosk.advance(2_000);
      await kiosk.until('session.flow.cancelling.pausing'); // still open on the phone: asked again, refused again
      await kiosk.control.act(reference, 'approve');
      kiosk.advance(2_000);
      await kiosk.until('basket');
      const payment = await kiosk.control.payment(reference);
      expect(payment.aggregate.cancelledAmount.value).toBe(6780);
      expect(payment.aggregate.capturedAmount.value).toBe(0);
    });

    it('lands in the basket when the customer rejected on the phone while the kiosk was cancelling', async () => {
      const reference = await kiosk.startPayment();
      await kiosk.control.act(reference, 'open');
      kiosk.send({ type: 'cancel' });
      await kiosk.until('session.flow.cancelling.pausing');
      await kiosk.control.act(reference, 'reject');
      kiosk.advance(2_000);
      await kiosk.until('basket');
      expect((await kiosk.control.payment(reference)).state).toBe('ABORTED');
    });
  });

  describe('Vipps unreachable', () => {
    /** Vipps makes payment -1 (and pushes it), but neither its answer nor a read-back reaches the kiosk. */
    async function loseTheCreate(): Promise<void> {
      await kiosk.control.faults({
        rules: [
          { path: '/epayment/v1/payments', method: 'POST', status: 500, after: true, count: 3 },
          { path: '/epayment/v1/payments/', method: 'GET', status: 503, count: 3 },
        ],
      });
      kiosk.scan(MILK);
      kiosk.scan(kiosk.customer.personalQrV2);
      await kiosk.until('unavailable');
    }

    it('shows unavailable when create fails on every attempt, keeps scanning, and tries again from the same receipt', async () => {
      await kiosk.control.faults({
        rules: [{ path: '/epayment/v1/payments', method: 'POST', status: 503, count: 6 }],
      });
      kiosk.scan(MILK);
      kiosk.scan(kiosk.customer.personalQrV2);
      const model = await kiosk.until('unavailable');
      expect(model.demo).toBeNull();
      expect(await kiosk.control.payments()).toEqual([]);

      kiosk.send({ type: 'set-quantity', gtin: MILK, quantity: 2 });
      expect(kiosk.model).toMatchObject({ screen: 'unavailable', basket: { total: 4980 } });
      kiosk.send({ type: 'set-quantity', gtin: MILK, quantity: 1 });
      kiosk.scan(kiosk.customer.personalQrV2);
      await kiosk.until('session.flow.paying');
      await kiosk.until('unavailable');
      kiosk.scan(BREAD);
      expect(kiosk.model).toMatchObject({ screen: 'unavailable', basket: { total: 2490 + 4290 } });
      kiosk.scan(kiosk.customer.personalQrV2);
      const again = await kiosk.until('awaiting-approval');
      // The unchanged basket was sent again as -1 (same key, same body); the changed one is a new attempt,
      // and -1, which Vipps never saw, is handed to recovery to watch.
      expect(again.payment?.reference).toBe('kiosk-07-0000000001-2');
      expect(again.payment?.amount).toBe(6780);
      expect(kiosk.abandoned).toEqual(['kiosk-07-0000000001-1']);
      expect(kiosk.calls.filter((c) => c.startsWith('create'))).toEqual([
        'create kiosk-07-0000000001-1',
        'create kiosk-07-0000000001-1',
        'create kiosk-07-0000000001-2',
      ]);
    });

    it('finds the payment a lost create answer did make, and waits for it rather than pushing twice', async () => {
      await kiosk.control.faults({
        rules: [{ path: '/epayment/v1/payments', method: 'POST', status: 500, after: true, count: 3 }],
      });
      const reference = await kiosk.startPayment();
      expect(reference).toBe('kiosk-07-0000000001-1');
      expect(await kiosk.control.payments()).toHaveLength(1);
      expect(kiosk.calls.filter((c) => c.startsWith('create'))).toHaveLength(1);
    });

    it('never leaves an earlier request reserved when the basket changed while Vipps was away', async () => {
      await loseTheCreate();
      await kiosk.control.act('kiosk-07-0000000001-1', 'approve'); // the lost request reached the phone
      kiosk.scan(BREAD);
      kiosk.scan(kiosk.customer.personalQrV2);
      const model = await kiosk.until('awaiting-approval');
      expect(model.payment).toMatchObject({ reference: 'kiosk-07-0000000001-2', amount: 2490 + 4290 });
      const first = await kiosk.control.payment('kiosk-07-0000000001-1');
      expect(first.aggregate).toMatchObject({
        authorizedAmount: { value: 2490 },
        cancelledAmount: { value: 2490 },
      });
      expect(first.aggregate.capturedAmount.value).toBe(0);
    });

    it('does not resume a request made to another customer', async () => {
      await loseTheCreate();
      kiosk.scan(kiosk.sandbox.customers[1]!.personalQrV2);
      const model = await kiosk.until('awaiting-approval');
      expect(model.payment?.reference).toBe('kiosk-07-0000000001-2');
      expect((await kiosk.control.payment('kiosk-07-0000000001-1')).state).toBe('TERMINATED');
    });

    it('never captures a request the previous customer approved for the next customer, even at the same amount', async () => {
      await loseTheCreate();
      await kiosk.control.act('kiosk-07-0000000001-1', 'approve'); // the first customer approves late
      kiosk.scan(kiosk.sandbox.customers[1]!.personalQrV2); // and someone else pays for the same basket
      const model = await kiosk.until('awaiting-approval');
      expect(model.payment?.reference).toBe('kiosk-07-0000000001-2');
      const first = await kiosk.control.payment('kiosk-07-0000000001-1');
      expect(first.aggregate.capturedAmount.value).toBe(0);
      expect(first.aggregate.cancelledAmount.value).toBe(2490);
    });

    it('reads the last request back before a new attempt after a decline', async () => {
      const reference = await kiosk.startPayment();
      await kiosk.control.act(reference, 'reject');
      kiosk.advance(5_000);
      await kiosk.until('declined');
      kiosk.send({ type: 'try-again' });
      await kiosk.until('awaiting-approval');
      expect(kiosk.calls.slice(-2)).toEqual([`get ${reference}`, 'create kiosk-07-0000000001-2']);
    });

    it('resumes the same reference on try again, capturing it if the customer approved meanwhile', async () => {
      await loseTheCreate();
      await kiosk.control.act('kiosk-07-0000000001-1', 'approve');
      kiosk.send({ type: 'try-again' });
      await kiosk.until('approved');
      const payment = await kiosk.control.payment('kiosk-07-0000000001-1');
      expect(payment.aggregate.capturedAmount.value).toBe(2490);
      expect(await kiosk.control.payments()).toHaveLength(1);
    });

    it('keeps polling through a Vipps outage and backs off, without declining', async () => {
      const reference = await kiosk.startPayment();
      await kiosk.control.faults({
        rules: [{ path: '/epayment/v1/payments/', method: 'GET', status: 503, count: 6 }],
      });
      kiosk.advance(5_000);
      await kiosk.until('session.flow.awaitingApproval.waiting');
      await kiosk.settle();
      kiosk.advance(10_000);
      await kiosk.settle();
      expect(kiosk.model.screen).toBe('awaiting-approval');
      await kiosk.control.act(reference, 'approve');
      kiosk.advance(20_000);
      await kiosk.until('approved');
    });

    it('retries a capture whose answer was lost with the same key and captures once', async () => {
      const reference = await kiosk.startPayment();
      await kiosk.control.faults({
        rules: [{ path: `/epayment/v1/payments/${reference}/capture`, status: 500, after: true, count: 1 }],
      });
      await kiosk.control.act(reference, 'approve');
      kiosk.advance(5_000);
      await kiosk.until('approved');
      const payment = await kiosk.control.payment(reference);
      expect(payment.aggregate.capturedAmount.value).toBe(6780);
      expect(payment.events.filter((e) => e.name === 'CAPTURED')).toHaveLength(1);
    });

    it('stays capturing while Vipps is down and finishes once it is back', async () => {
      const reference = await kiosk.startPayment();
      await kiosk.control.faults({
        rules: [{ path: `/epayment/v1/payments/${reference}/capture`, status: 503, count: 9 }],
      });
      await kiosk.control.act(reference, 'approve');
      kiosk.advance(5_000);
      await kiosk.until('session.flow.capturing.pausing');
      kiosk.advance(2_000);
      await kiosk.until('session.flow.capturing.pausing');
      expect(kiosk.model.screen).toBe('capturing');
      await kiosk.control.clearFaults();
      // Six calls (each tried three times by the client) reached Vipps within seconds: the next one waits
      // until the sliding minute has room (five create/capture/cancel calls a minute per reference).
      kiosk.advance(2_000);
      await kiosk.untilResting();
      expect(kiosk.model.screen).toBe('capturing');
      kiosk.advance(60_000);
      await kiosk.until('approved');
      expect((await kiosk.control.payment(reference)).aggregate.capturedAmount.value).toBe(6780);
    });
  });

  describe('maintenance', () => {
    it('goes out of order at once when nobody is using the kiosk, takes no scans, and comes back', async () => {
      kiosk.service.maintenance(true);
      expect(kiosk.model).toMatchObject({ screen: 'maintenance', leds: { status: 'amber', blink: false } });
      kiosk.scan(MILK);
      expect(kiosk.model.screen).toBe('maintenance');
      kiosk.service.maintenance(false);
      expect(kiosk.model.screen).toBe('attract');
      kiosk.scan(MILK);
      expect(kiosk.model.screen).toBe('basket');
    });

    it('lets a payment in flight finish, then goes out of order', async () => {
      const reference = await kiosk.startPayment();
      kiosk.service.maintenance(true);
      expect(kiosk.model.screen).toBe('awaiting-approval');
      await kiosk.control.act(reference, 'approve');
      kiosk.advance(5_000);
      await kiosk.until('approved');
      expect((await kiosk.control.payment(reference)).aggregate.capturedAmount.value).toBe(6780);
      kiosk.send({ type: 'done' });
      expect(kiosk.model.screen).toBe('maintenance');
    });
  });

  describe('idle timeouts (WCAG 2.2.1)', () => {
    it('warns after a minute of quiet, lets one tap extend, then clears the basket', async () => {
      kiosk.scan(MILK);
      kiosk.advance(59_999);
      expect(kiosk.model.idleWarning).toBeNull();
      kiosk.advance(1);
      expect(kiosk.model.idleWarning).toEqual({ endsAt: kiosk.clock.now() + 30_000 });
      kiosk.send({ type: 'still-here' });
      expect(kiosk.model.idleWarning).toBeNull();
      kiosk.advance(60_000);
      expect(kiosk.model.idleWarning).not.toBeNull();
      kiosk.advance(29_999);
      expect(kiosk.model.screen).toBe('basket');
      kiosk.advance(1);
      expect(kiosk.model).toMatchObject({ screen: 'attract', idleWarning: null, basket: { lines: [] } });
    });

    it.each(['identify', 'declined'] as const)('clears an abandoned %s screen too', async (screen) => {
      kiosk.scan(MILK);
      if (screen === 'identify') kiosk.send({ type: 'pay' });
      else {
        kiosk.send({ type: 'pay' });
        kiosk.send({ type: 'pay-phone', msisdn: '4799999999' });
      }
      await kiosk.until(screen);
      kiosk.advance(60_000);
      expect(kiosk.model.idleWarning).not.toBeNull();
      kiosk.advance(30_000);
      expect(kiosk.model.screen).toBe('attract');
    });

    it('never clears while a payment is waiting for approval', async () => {
      await kiosk.startPayment();
      for (let i = 0; i < 5; i++) {
        kiosk.advance(30_000);
        await kiosk.settle(20);
      }
      expect(kiosk.model.screen).toBe('awaiting-approval');
      expect(kiosk.model.idleWarning).toBeNull();
    });

    it('returns from the receipt to attract after the warning', async () => {
      const reference = await kiosk.startPayment();
      await kiosk.control.act(reference, 'approve');
      kiosk.advance(5_000);
      await kiosk.until('approved');
      kiosk.advance(60_000);
      expect(kiosk.model.idleWarning).not.toBeNull();
      kiosk.advance(30_000);
      expect(kiosk.model.screen).toBe('attract');
    });
  });
});
