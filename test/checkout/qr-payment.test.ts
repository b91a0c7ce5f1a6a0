import { afterEach, describe, expect, it } from 'vitest';
import { qrPicture } from '../../device/checkout/payment-qr.js';
import { CheckoutHarness, type CheckoutHarnessOptions } from '../support/checkout-harness.js';

// The one-time payment QR (ePayment userFlow QR) through the real client into the strict sandbox: the
// identify screen's "show a QR code", the code drawn from Vipps' answer, a phone scanning it, and then the
// same journal, polling, capture, receipt, expiry and cancel as a push.

const MILK = '2000000000015'; // Melk 1 l, 24.90
const BREAD = '2000000000022'; // Brød grovt, 42.90

describe('one-time payment QR', () => {
  let kiosk: CheckoutHarness;
  afterEach(async () => {
    await kiosk.stop();
  });

  async function showQr(options: CheckoutHarnessOptions = {}) {
    kiosk = await new CheckoutHarness({ journal: true, ...options }).start();
    kiosk.scan(MILK);
    kiosk.scan(BREAD);
    kiosk.send({ type: 'pay' });
    kiosk.send({ type: 'pay-qr' });
    const model = await kiosk.until('awaiting-approval');
    const reference = model.payment!.reference;
    const [code] = await kiosk.control.openQrCodes();
    expect(code?.reference).toBe(reference);
    return { model, reference, url: code!.url };
  }

  it('creates the payment with userFlow QR, shows the code Vipps returned, and is paid once scanned', async () => {
    const { model, reference, url } = await showQr();
    expect(model.payment).toMatchObject({ amount: 6780, customer: null });
    expect(model.payment?.qr).toEqual(qrPicture(url));
    expect(model.payment!.qr!.size).toBeGreaterThanOrEqual(29);
    const created = await kiosk.control.payment(reference);
    expect(created.request).toMatchObject({
      userFlow: 'QR',
      qrFormat: { format: 'TEXT/TARGETURL' },
      customerInteraction: 'CUSTOMER_PRESENT',
    });
    expect(created.request).not.toHaveProperty('customer');
    expect(created.events[0]?.idempotencyKey).toBe(`${reference}-create`);
    // Journaled as a push is: the exact body on disk, open until the money is settled.
    expect(kiosk.journal!.unfinished().map((payment) => payment.request)).toEqual([created.request]);

    await kiosk.control.scanQr(url, kiosk.customer.msisdn);
    await kiosk.control.act(reference, 'approve');
    kiosk.advance(5_000);
    const paid = await kiosk.until('approved');
    expect(paid.receipt).toMatchObject({ receiptNumber: '0000000001', total: 6780 });
    const payment = await kiosk.control.payment(reference);
    expect(payment.aggregate.capturedAmount.value).toBe(6780);
    expect(payment.events.filter((event) => event.name === 'CAPTURED').map((e) => e.idempotencyKey)).toEqual([
      `${reference}-capture-1`,
    ]);
    expect(kiosk.journal!.unfinished()).toEqual([]);
    expect(kiosk.journal!.outcome(reference)).toBe('captured');
  });

  it('declines as expired when nobody scans the code in time; try again shows a new code', async () => {
    const { model } = await showQr();
    kiosk.sandbox.clock.advance(5 * 60_000 + 1);
    kiosk.advance(5_000);
    expect((await kiosk.until('declined')).declined).toEqual({ reason: 'expired' });
    kiosk.send({ type: 'try-again' });
    const again = await kiosk.until('awaiting-approval');
    expect(again.payment?.reference).toBe('kiosk-07-0000000001-2');
    expect(again.payment?.qr).toBeDefined();
    expect(again.payment?.qr).not.toEqual(model.payment?.qr);
    expect((await kiosk.control.payment(again.payment!.reference)).request).toMatchObject({ userFlow: 'QR' });
  });

  it('cancels from the screen before anyone scans: terminated at Vipps, back to the basket', async () => {
    const { reference } = await showQr();
    kiosk.send({ type: 'cancel' });
    const model = await kiosk.until('basket');
    expect(model.basket.total).toBe(6780);
    expect(kiosk.calls).toContain(`cancel ${reference}-cancel-1`);
    expect((await kiosk.control.payment(reference)).state).toBe('TERMINATED');
    expect(kiosk.journal!.unfinished()).toEqual([]);
  });

  it('declines as rejected when the scanner says no in the app', async () => {
    const { reference, url } = await showQr();
    await kiosk.control.scanQr(url, kiosk.customer.msisdn);
    await kiosk.control.act(reference, 'reject');
    kiosk.advance(5_000);
    expect((await kiosk.until('declined')).declined).toEqual({ reason: 'rejected' });
  });

  it('asks for the same create again when its answer was lost, so the code can still be shown', async () => {
    kiosk = await new CheckoutHarness({ journal: true }).start();
    // Every attempt of the first create reaches Vipps, but no answer comes back.
    await kiosk.control.faults({
      rules: [{ path: '/epayment/v1/payments', method: 'POST', status: 502, after: true, count: 3 }],
    });
    kiosk.scan(MILK);
    kiosk.send({ type: 'pay' });
    kiosk.send({ type: 'pay-qr' });
    const model = await kiosk.waitFor((m) => m.payment?.qr !== undefined, 'the QR on screen');
    expect(model.screen).toBe('awaiting-approval');
    const reference = model.payment!.reference;
    const [code] = await kiosk.control.openQrCodes();
    expect(model.payment?.qr).toEqual(qrPicture(code!.url));
    const creates = kiosk.calls.filter((call) => call === `create ${reference}`);
    expect(creates).toHaveLength(2);
    expect((await kiosk.control.payments()).map((payment) => payment.reference)).toEqual([reference]);
  });

  it('skips the club: nobody is named, so nobody is looked up or offered to join', async () => {
    const { model } = await showQr({ club: {} });
    expect(model.club?.status).toBe('skipped');
    expect(kiosk.clubCalls).toEqual([]);
  });
});
