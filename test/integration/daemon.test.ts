import { get } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { screenAuthorization } from '../../contracts/screen-auth.js';
import { KioskUnderTest, ScreenSocket } from '../support/kiosk-under-test.js';

// The daemon end to end over its own HTTP and WebSocket, against the sandbox: full checkouts as the
// screen and the scanner drive them. The checkout's timers run on a clock the test moves.

/** A request with the path sent exactly as written, as an attacker's client would, not normalised. */
function rawStatus(baseUrl: string, path: string): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    get({ hostname, port, path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

const MILK = '2000000000015';
const COFFEE = '2000000000039';

describe('kiosk daemon with the sandbox', () => {
  let it_: KioskUnderTest;
  let screen: ScreenSocket;

  beforeEach(async () => {
    it_ = await new KioskUnderTest().start();
    screen = await new ScreenSocket().open(it_);
  });
  afterEach(async () => {
    screen.close();
    await it_.stop();
  });

  async function checkoutUntilWaiting(): Promise<string> {
    expect((await it_.scan(MILK)).status).toBe(202);
    expect((await it_.scan(COFFEE)).status).toBe(202);
    await it_.scan(it_.sandbox.customers[1]!.personalQrV2);
    const waiting = await screen.next((m) => m.screen === 'awaiting-approval');
    return waiting.payment!.reference;
  }

  it('sends the screen model on connect and after every change', async () => {
    expect(screen.models[0]).toMatchObject({ screen: 'attract', demo: { leds: { status: 'green' } } });
    await it_.scan(MILK);
    const basket = await screen.next((m) => m.screen === 'basket');
    expect(basket.basket.total).toBe(2490);
    expect(basket.feedback).toMatchObject({ kind: 'added', subject: 'Melk 1 l' });
  });

  it('takes a customer from items to receipt: approve on the phone, capture, receipt', async () => {
    const reference = await checkoutUntilWaiting();
    expect(reference).toBe('it-kiosk-1-0000000001-1');
    await it_.control.act(reference, 'approve');
    it_.clock.increment(5_000);
    const approved = await screen.next((m) => m.screen === 'approved');
    expect(approved.receipt).toMatchObject({ total: 2490 + 6990, receiptNumber: '0000000001' });
    expect((await it_.control.payment(reference)).aggregate.capturedAmount.value).toBe(9480);
    screen.send({ type: 'done' });
    await screen.next((m) => m.screen === 'attract' && m.receipt === null && screen.models.indexOf(m) > 0);
  });

  it('keeps the basket when the customer rejects on the phone', async () => {
    const reference = await checkoutUntilWaiting();
    await it_.control.act(reference, 'reject');
    it_.clock.increment(5_000);
    const declined = await screen.next((m) => m.screen === 'declined');
    expect(declined.declined).toEqual({ reason: 'rejected' });
    expect(declined.basket.total).toBe(9480);
  });

  it('declines as expired when the request runs out on the phone', async () => {
    await checkoutUntilWaiting();
    it_.sandbox.clock.advance(5 * 60_000 + 1);
    it_.clock.increment(5_000);
    expect((await screen.next((m) => m.screen === 'declined')).declined).toEqual({ reason: 'expired' });
  });

  it('cancels at the customer’s tap and returns to the basket', async () => {
    const reference = await checkoutUntilWaiting();
    screen.send({ type: 'cancel' });
    await screen.next((m) => m.screen === 'cancelling');
    await screen.next((m) => m.screen === 'basket' && m.basket.total === 9480);
    expect((await it_.control.payment(reference)).state).toBe('TERMINATED');
  });

  it('shows unavailable while Vipps is down, and the health check says so', async () => {
    await it_.control.faults({ rules: [{ path: '/epayment', status: 503, count: 100 }] });
    await it_.scan(MILK);
    await it_.scan(it_.sandbox.customers[0]!.personalQrV2);
    const model = await screen.next((m) => m.screen === 'unavailable');
    expect(model.demo?.leds).toEqual({ status: 'red', blink: false });
    const health = await (await fetch(`${it_.url}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', screen: 'unavailable', vippsReachable: false });
    expect((await it_.scan(COFFEE)).status).toBe(202);
    await screen.next((m) => m.screen === 'unavailable' && m.basket.itemCount === 2);
  });

  it('refuses what is not an intent, and says why', async () => {
    screen.raw('not json');
    screen.send({ type: 'pay-phone', msisdn: '+47 912' });
    screen.send({ type: 'format-disk' });
    await screen.next(() => screen.errors.length >= 3);
    expect(screen.errors).toEqual(['not JSON', 'not a known intent', 'not a known intent']);
    expect((await it_.state()).screen).toBe('attract');
  });

  it('serves the screen, the catalog and the health check on 127.0.0.1', async () => {
    expect(it_.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${it_.url}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/<script[^>]+app\.js/);
    expect((await fetch(`${it_.url}/app.js`)).status).toBe(200);
    expect(await rawStatus(it_.url, '/../../package.json')).toBe(404);
    expect(await rawStatus(it_.url, '/..%2f..%2fpackage.json')).toBe(404);
    const authorization = screenAuthorization(it_.screenToken);
    const catalog = (await (
      await fetch(`${it_.url}/api/catalog`, { headers: { authorization } })
    ).json()) as {
      products: unknown[];
    };
    expect(catalog.products.length).toBeGreaterThanOrEqual(20);
    const garbled = await fetch(`${it_.url}/api/scan`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: '{',
    });
    expect(await garbled.json()).toEqual({
      error: 'expected JSON {"text": "..."}',
    });
  });
});

describe('kiosk daemon outside demo mode', () => {
  it('has no scan endpoint and refuses scan intents from the screen', async () => {
    const it_ = await new KioskUnderTest().start({ demo: false });
    const screen = await new ScreenSocket().open(it_);
    try {
      expect((await it_.scan(MILK)).status).toBe(404);
      screen.send({ type: 'scan', text: MILK });
      await screen.next(() => screen.errors.length > 0);
      expect(screen.errors[0]).toMatch(/scans come from the scanner/);
      expect(screen.models[0]?.demo).toBeNull();
    } finally {
      screen.close();
      await it_.stop();
    }
  });
});
