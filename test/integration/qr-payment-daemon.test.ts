import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KioskUnderTest, ScreenSocket } from '../support/kiosk-under-test.js';

// The one-time payment QR end to end through the daemon: the screen asks for it over its socket, the
// model carries the code drawn from Vipps' answer, a phone scans and approves it, the receipt follows.

const MILK = '2000000000015';

describe('kiosk daemon: one-time payment QR', () => {
  let kiosk: KioskUnderTest;
  let screen: ScreenSocket;

  beforeEach(async () => {
    kiosk = await new KioskUnderTest().start();
    screen = await new ScreenSocket().open(kiosk);
  });
  afterEach(async () => {
    screen.close();
    await kiosk.stop();
  });

  it('shows the QR the screen asked for, and takes the scanner’s approval to a receipt', async () => {
    expect((await kiosk.scan(MILK)).status).toBe(202);
    await screen.next((m) => m.screen === 'basket');
    screen.send({ type: 'pay' });
    await screen.next((m) => m.screen === 'identify');
    screen.send({ type: 'pay-qr' });
    const waiting = await screen.next((m) => m.screen === 'awaiting-approval');
    const { reference, qr, customer } = waiting.payment!;
    expect(customer).toBeNull();
    expect(qr?.size).toBeGreaterThan(20);
    expect(qr?.path).toMatch(/^(M\d+ \d+h\d+v1h-\d+z)+$/);

    const [code] = await kiosk.control.openQrCodes();
    expect(code?.reference).toBe(reference);
    await kiosk.control.scanQr(code!.url, kiosk.sandbox.customers[0]!.msisdn);
    await kiosk.control.act(reference, 'approve');
    kiosk.clock.increment(5_000);
    const approved = await screen.next((m) => m.screen === 'approved');
    expect(approved.receipt).toMatchObject({ total: 2490, receiptNumber: '0000000001' });
    expect((await kiosk.control.payment(reference)).aggregate.capturedAmount.value).toBe(2490);
  });
});
