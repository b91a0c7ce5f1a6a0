import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScreenModel } from '../../contracts/screen-model.js';
import type { ClubPolicy } from '../../device/checkout/machine.js';
import { CheckoutHarness } from '../support/checkout-harness.js';
import type { SandboxLogin } from '../support/sandbox-control.js';

// The customer-club flow (Vipps' "in-store payments with customer club") in the checkout machine on a
// simulated clock: the real client into the strict sandbox's QR exchange and Vipps Login (CIBA), and a
// real SQLite club file. Login polls wait on the machine's clock; `tick` moves sandbox time alongside.

const MILK = '2000000000015'; // 24.90, no member price
const COFFEE = '2000000000039'; // 69.90, members 59.90
const SALMON = '2000000000114'; // 119.90, members 99.90
const SHELF = 2490 + 6990 + 11990;
const MEMBER = 2490 + 5990 + 9990;

describe('customer club in the checkout', () => {
  let kiosk: CheckoutHarness;

  async function start(club: Partial<ClubPolicy> = {}) {
    kiosk = await new CheckoutHarness({ club }).start();
    return kiosk;
  }
  afterEach(async () => {
    await kiosk?.stop();
  });

  function scanBasket(): void {
    for (const code of [MILK, COFFEE, SALMON]) kiosk.scan(code);
  }

  /** The login the sandbox holds for the customer, once the kiosk has started it. */
  async function pendingLogin(): Promise<SandboxLogin> {
    await kiosk.waitFor((m) => m.club?.consent?.expiresAt != null, 'the login started');
    const [login] = await kiosk.control.logins(kiosk.customer.msisdn);
    expect(login?.state).toBe('PENDING');
    return login!;
  }

  /** Basket, the customer's QR, the offer, Join: the login the sandbox then holds. */
  async function joinFromOffer(): Promise<SandboxLogin> {
    scanBasket();
    kiosk.scan(kiosk.customer.personalQrV2);
    await kiosk.until('club-offer');
    kiosk.send({ type: 'join-club' });
    return pendingLogin();
  }

  function storedMember(sub: string) {
    const db = new Database(kiosk.clubPath!, { readonly: true });
    try {
      return db.prepare('SELECT * FROM members WHERE sub = ?').get(sub) as {
        claims: string;
        consents: string | null;
        kiosk_id: string;
      };
    } finally {
      db.close();
    }
  }

  async function paymentRequest(model: ScreenModel) {
    const payment = await kiosk.control.payment(model.payment!.reference);
    return payment.request as {
      amount: { value: number };
      receipt: { orderLines: Array<{ id: string; totalAmount: number; discount?: number }> };
    };
  }

  it('offers a non-member the club with what it saves on this basket, and "no thanks" pays shelf prices', async () => {
    await start();
    scanBasket();
    kiosk.scan(kiosk.customer.personalQrV2);
    const offer = await kiosk.until('club-offer');
    expect(offer.club).toEqual({
      status: 'offered',
      offerSavings: SHELF - MEMBER,
      consent: null,
      loginLeftOpen: false,
    });
    expect(kiosk.clubCalls).toEqual(['exchange', 'lookup']);

    kiosk.send({ type: 'skip-club' });
    const waiting = await kiosk.until('awaiting-approval');
    expect(waiting.club?.status).toBe('skipped');
    expect(waiting.payment?.amount).toBe(SHELF);
    expect((await paymentRequest(waiting)).amount.value).toBe(SHELF);
    expect(await kiosk.club!.lookup(kiosk.customer.msisdn)).toBeNull();
  });

  it('joins with a Vipps Login push: the same code on both screens, member prices on this basket, enrolled with what the consent gave', async () => {
    await start();
    const login = await joinFromOffer();
    const consent = kiosk.model;
    expect(consent.screen).toBe('club-consent');
    expect(consent.club?.consent?.bindingMessage).toMatch(/^[A-Z0-9-]{5,8}$/);
    expect(login.bindingMessage).toBe(consent.club?.consent?.bindingMessage);
    expect(login.scopes).toEqual(['openid', 'name', 'phoneNumber']);

    await kiosk.control.answerLogin(login.authReqId, 'approve');
    kiosk.tick(5_000);
    const waiting = await kiosk.until('awaiting-approval');
    expect(kiosk.warnings).toEqual([]);
    expect(waiting.club?.status).toBe('joined');
    expect(waiting.payment?.amount).toBe(MEMBER);
    expect(waiting.basket.savings).toBe(SHELF - MEMBER);
    const request = await paymentRequest(waiting);
    expect(request.amount.value).toBe(MEMBER);
    expect(request.receipt.orderLines.find((line) => line.id === COFFEE)).toMatchObject({
      totalAmount: 5990,
      discount: 1000,
    });

    const member = await kiosk.club!.lookup(kiosk.customer.msisdn);
    expect(member).toMatchObject({ sub: kiosk.customer.sub, msisdn: kiosk.customer.msisdn });
    // Exactly what the scopes released (name, phoneNumber), nothing more: no email, address or birth date.
    const row = storedMember(kiosk.customer.sub);
    expect(JSON.parse(row.claims)).toEqual({
      name: kiosk.customer.name,
      given_name: kiosk.customer.name.split(' ')[0],
      family_name: kiosk.customer.name.split(' ').slice(1).join(' '),
      phone_number: kiosk.customer.msisdn,
    });
    expect(row.consents).toBeNull();
    expect(row.kiosk_id).toBe('kiosk-07');
    expect(kiosk.clubCalls).toEqual(['exchange', 'lookup', 'start login', 'poll login', 'enrol']);

    await kiosk.control.act(waiting.payment!.reference, 'approve');
    kiosk.tick(5_000);
    const paid = await kiosk.until('approved');
    expect(paid.receipt?.savings).toBe(SHELF - MEMBER);
    expect(paid.receipt?.total).toBe(MEMBER);
  });

  it('keeps the merchant consents exactly as answered when the store asks for them (delegatedConsents)', async () => {
    await start({ scopes: 'openid name email delegatedConsents' });
    const login = await joinFromOffer();
    expect(login.scopes).toEqual(['openid', 'name', 'email', 'delegatedConsents']);
    await kiosk.control.answerLogin(login.authReqId, 'approve', ['email', 'personal']);
    kiosk.tick(5_000);
    await kiosk.until('awaiting-approval');

    const row = storedMember(kiosk.customer.sub);
    const claims = JSON.parse(row.claims);
    expect(Object.keys(claims).sort()).toEqual([
      'email',
      'email_verified',
      'family_name',
      'given_name',
      'name',
    ]);
    const consents = JSON.parse(row.consents!);
    expect(
      consents.answers.map((answer: { id: string; accepted: boolean }) => [answer.id, answer.accepted]),
    ).toEqual([
      ['email', true],
      ['sms', false],
      ['digital', false],
      ['personal', true],
    ]);
    expect(consents.timeOfConsent).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('recognises a member at once on their next visit, and prices what they scan afterwards too', async () => {
    await start();
    await kiosk.club!.enrol({
      sub: kiosk.customer.sub,
      msisdn: kiosk.customer.msisdn,
      claims: { name: kiosk.customer.name },
      consents: null,
      consentedAt: Date.parse('2026-01-01T00:00:00Z'),
      enrolledAt: Date.parse('2026-01-01T00:00:00Z'),
      kioskId: 'kiosk-02',
    });
    kiosk.scan(MILK);
    kiosk.scan(kiosk.customer.personalQrV2);
    const waiting = await kiosk.until('awaiting-approval');
    expect(waiting.club?.status).toBe('member');
    expect(kiosk.clubCalls).toEqual(['exchange', 'lookup']);
    expect(await kiosk.control.logins()).toEqual([]);

    // Back to the basket: a product with a member price scanned now is priced for the member too.
    kiosk.send({ type: 'cancel' });
    await kiosk.until('basket');
    kiosk.scan(COFFEE);
    const basket = await kiosk.waitFor((m) => m.basket.itemCount === 2, 'coffee added');
    expect(basket.basket.total).toBe(2490 + 5990);
    expect(basket.basket.lines.find((line) => line.gtin === COFFEE)?.discount).toBe(1000);
  });

  it('the phone-number keypad path looks the number up without a QR exchange', async () => {
    await start();
    scanBasket();
    kiosk.send({ type: 'pay' });
    await kiosk.until('identify');
    kiosk.send({ type: 'pay-phone', msisdn: kiosk.customer.msisdn });
    await kiosk.until('club-offer');
    expect(kiosk.clubCalls).toEqual(['lookup']);
    kiosk.send({ type: 'join-club' });
    const login = await pendingLogin();
    expect(login.customer).toBe(kiosk.customer.msisdn);
  });

  it('"no" in the app pays shelf prices and enrols nobody', async () => {
    await start();
    const login = await joinFromOffer();
    await kiosk.control.answerLogin(login.authReqId, 'reject');
    kiosk.tick(5_000);
    const waiting = await kiosk.until('awaiting-approval');
    expect(waiting.club?.status).toBe('declined');
    expect(waiting.payment?.amount).toBe(SHELF);
    expect(await kiosk.club!.lookup(kiosk.customer.msisdn)).toBeNull();
  });

  it('keeps polling while the customer has not answered; when the login runs out, back to the basket with no push sent', async () => {
    await start({ loginExpirySeconds: 60 });
    await joinFromOffer();
    for (let polls = 1; polls <= 3; polls++) {
      kiosk.tick(5_000);
      await kiosk.waitFor(
        () => kiosk.clubCalls.filter((call) => call === 'poll login').length === polls,
        `poll ${polls}`,
      );
      await kiosk.until('session.flow.consent.awaiting.waiting');
    }
    kiosk.tick(60_000);
    // Nobody may be there any more: no payment push, and the basket screen can time out as usual.
    const basket = await kiosk.until('basket');
    expect(basket.club?.status).toBe('timeout');
    expect(await kiosk.control.payments()).toEqual([]);

    // A customer who is still there pays at shelf prices, without being offered the club again.
    kiosk.send({ type: 'pay' });
    await kiosk.until('identify');
    kiosk.scan(kiosk.customer.personalQrV2);
    const waiting = await kiosk.until('awaiting-approval');
    expect(waiting.payment?.amount).toBe(SHELF);
    expect(kiosk.clubCalls.filter((call) => call === 'start login')).toHaveLength(1);
  });

  it('on the consent screen: scans wait; Back to the basket, and joining again picks up the login still open in the app', async () => {
    await start();
    const login = await joinFromOffer();
    const code = kiosk.model.club?.consent?.bindingMessage;
    kiosk.scan(MILK);
    const ignored = await kiosk.waitFor((m) => m.feedback?.kind === 'ignored', 'the scan refused');
    expect(ignored.screen).toBe('club-consent');
    expect(ignored.basket.itemCount).toBe(3);

    kiosk.send({ type: 'back' });
    await kiosk.until('basket');
    kiosk.scan(kiosk.customer.personalQrV2);
    const offer = await kiosk.until('club-offer');
    expect(offer.club?.status).toBe('offered');
    kiosk.send({ type: 'join-club' });
    const again = await kiosk.until('session.flow.consent.awaiting');
    expect(again.club?.consent?.bindingMessage).toBe(code);
    expect(kiosk.clubCalls.filter((call) => call === 'start login')).toHaveLength(1);

    await kiosk.control.answerLogin(login.authReqId, 'approve');
    kiosk.tick(5_000);
    const waiting = await kiosk.until('awaiting-approval');
    expect(waiting.club?.status).toBe('joined');
    expect(waiting.payment?.amount).toBe(MEMBER);
  });

  it('"Pay without joining" after the push reached the app pays shelf prices and says the request there can be ignored', async () => {
    await start();
    await joinFromOffer();
    kiosk.send({ type: 'skip-club' });
    const waiting = await kiosk.until('awaiting-approval');
    expect(waiting.club).toMatchObject({ status: 'skipped', loginLeftOpen: true });
    expect(waiting.payment?.amount).toBe(SHELF);
  });

  it('Start over on the consent screen ends the session, and no payment is pushed', async () => {
    await start();
    await joinFromOffer();
    kiosk.send({ type: 'start-over' });
    const attract = await kiosk.until('attract');
    expect(attract.basket.itemCount).toBe(0);
    expect(await kiosk.control.payments()).toEqual([]);
  });

  it('a poll that comes too soon for Vipps gets slow_down, and every later poll waits 5 s longer', async () => {
    await start();
    const login = await joinFromOffer();
    // The kiosk's clock runs ahead of Vipps': to Vipps the poll comes before the interval is up.
    kiosk.advance(5_000);
    await kiosk.waitFor(() => kiosk.clubCalls.includes('poll login'), 'the first poll');
    await kiosk.until('session.flow.consent.awaiting.waiting');
    expect((await kiosk.control.logins())[0]?.intervalSeconds).toBe(10);

    await kiosk.control.answerLogin(login.authReqId, 'approve');
    kiosk.tick(9_999);
    await kiosk.settle();
    expect(kiosk.clubCalls.filter((call) => call === 'poll login')).toHaveLength(1);
    kiosk.tick(1);
    const waiting = await kiosk.until('awaiting-approval');
    expect(waiting.club?.status).toBe('joined');
  });

  it('Vipps Login unavailable: the customer pays shelf prices once asking again gets no answer either', async () => {
    await start();
    await kiosk.control.faults({
      rules: [{ method: 'POST', path: '/vipps-login-ciba/api/backchannel/authentication', status: 503 }],
    });
    scanBasket();
    kiosk.scan(kiosk.customer.personalQrV2);
    await kiosk.until('club-offer');
    kiosk.send({ type: 'join-club' });
    // A 503 may come from behind the gateway: the request may be in the app, so it is asked once more.
    await kiosk.waitFor((m) => m.club?.consent?.notice === 'maybe-sent', 'maybe sent');
    kiosk.advance(5_000);
    const waiting = await kiosk.until('awaiting-approval');
    expect(waiting.club?.status).toBe('unavailable');
    expect(waiting.payment?.amount).toBe(SHELF);
  });

  it('a QR the exchange cannot read still pays, at shelf prices and with no offer', async () => {
    await start();
    await kiosk.control.faults({
      rules: [{ method: 'POST', path: '/qr/v1/exchange', status: 503 }],
    });
    scanBasket();
    kiosk.scan(kiosk.customer.personalQrV2);
    const waiting = await kiosk.until('awaiting-approval');
    expect(waiting.club?.status).toBe('unavailable');
    expect(kiosk.clubCalls).toEqual(['exchange']);
  });

  it('a different customer after a member is priced afresh: shelf prices until the club knows them', async () => {
    await start();
    const [member, other] = kiosk.sandbox.customers;
    await kiosk.club!.enrol({
      sub: member!.sub,
      msisdn: member!.msisdn,
      claims: {},
      consents: null,
      consentedAt: 0,
      enrolledAt: 0,
      kioskId: 'kiosk-07',
    });
    scanBasket();
    kiosk.scan(member!.personalQrV2);
    const first = await kiosk.until('awaiting-approval');
    expect(first.payment?.amount).toBe(MEMBER);
    await kiosk.control.act(first.payment!.reference, 'reject');
    kiosk.tick(5_000);
    await kiosk.until('declined');

    kiosk.scan(other!.personalQrV2);
    const offer = await kiosk.until('club-offer');
    expect(offer.basket.total).toBe(SHELF);
    expect(offer.club?.offerSavings).toBe(SHELF - MEMBER);
  });

  it('with the club off, a QR goes straight to the payment: no exchange, no lookup', async () => {
    kiosk = await new CheckoutHarness().start();
    scanBasket();
    kiosk.scan(kiosk.customer.personalQrV2);
    const waiting = await kiosk.until('awaiting-approval');
    expect(waiting.club).toBeNull();
    expect(waiting.payment?.amount).toBe(SHELF);
    expect(kiosk.clubCalls).toEqual([]);
  });
});
