import { afterEach, describe, expect, it } from 'vitest';
import type { CheckoutDomainEvent } from '../../device/checkout/domain-events.js';
import { CheckoutHarness } from '../support/checkout-harness.js';

// Issue 14, item 5, in the checkout: Vipps Login answers lost on the way, through the real client into
// the strict sandbox on a simulated clock. A login start is sent once; a lost answer is "maybe sent" and is
// settled by asking once more with the same code; tokens lost after an approval are said, not dropped.

const MILK = '2000000000015'; // 24.90, no member price
const COFFEE = '2000000000039'; // 69.90, members 59.90
const SALMON = '2000000000114'; // 119.90, members 99.90
const SHELF = 2490 + 6990 + 11990;
const START = '/vipps-login-ciba/api/backchannel/authentication';
const TOKEN = '/access-management-1.0/access/oauth2/token';

describe('club login answers lost on the way', () => {
  let kiosk: CheckoutHarness;
  let events: CheckoutDomainEvent[];

  async function start() {
    kiosk = await new CheckoutHarness({ club: {}, timeouts: { loginStartMs: 300 } }).start();
    events = [];
    kiosk.service.onDomainEvent((event) => events.push(event));
  }
  afterEach(async () => {
    await kiosk?.stop();
  });

  /** Basket, the customer's QR, the offer, Join. */
  async function join(): Promise<void> {
    for (const code of [MILK, COFFEE, SALMON]) kiosk.scan(code);
    kiosk.scan(kiosk.customer.personalQrV2);
    await kiosk.until('club-offer');
    kiosk.send({ type: 'join-club' });
  }

  const starts = () => kiosk.clubCalls.filter((call) => call === 'start login').length;
  const notice = () => kiosk.model.club?.consent?.notice;

  async function payWithoutJoining(): Promise<void> {
    kiosk.send({ type: 'skip-club' });
    const paying = await kiosk.until('awaiting-approval');
    expect(paying.payment?.amount).toBe(SHELF);
  }

  it('"maybe sent" that did arrive: the code is shown, asked again once, then the customer is told to decline it', async () => {
    await start();
    await kiosk.control.faults({
      rules: [{ path: START, method: 'POST', hang: true, after: true, count: 1 }],
    });
    await join();
    const maybe = await kiosk.waitFor((m) => m.club?.consent?.notice === 'maybe-sent', 'maybe sent');
    const code = maybe.club!.consent!.bindingMessage;
    expect(code).toMatch(/^[A-Z0-9-]{5,8}$/);
    expect(starts()).toBe(1);

    kiosk.advance(4_999);
    expect(starts()).toBe(1);
    kiosk.advance(1);
    await kiosk.waitFor(() => notice() === 'ignore-request', 'told to decline it');
    expect(starts()).toBe(2);
    expect(kiosk.model.club?.consent?.bindingMessage).toBe(code);
    // One request reached the app, the one with the code on screen; the second start was refused.
    const logins = await kiosk.control.logins(kiosk.customer.msisdn);
    expect(logins.map((login) => [login.state, login.bindingMessage])).toEqual([['PENDING', code]]);

    await payWithoutJoining();
  });

  it('"maybe sent" that never arrived: asked again with the same code, polled and joined as usual', async () => {
    await start();
    await kiosk.control.faults({ rules: [{ path: START, method: 'POST', hang: true, count: 1 }] });
    await join();
    const maybe = await kiosk.waitFor((m) => m.club?.consent?.notice === 'maybe-sent', 'maybe sent');
    const code = maybe.club!.consent!.bindingMessage;

    kiosk.advance(5_000);
    const started = await kiosk.waitFor((m) => m.club?.consent?.expiresAt != null, 'the login started');
    expect(started.club?.consent).toMatchObject({ bindingMessage: code, notice: null });
    const [login] = await kiosk.control.logins(kiosk.customer.msisdn);
    expect(login).toMatchObject({ state: 'PENDING', bindingMessage: code });

    await kiosk.control.answerLogin(login!.authReqId, 'approve');
    kiosk.tick(5_000);
    const paying = await kiosk.until('awaiting-approval');
    expect(paying.club?.status).toBe('joined');
  });

  it('a login already waiting in the app (429, Retry-After) is said so, and paying without joining is offered', async () => {
    await start();
    await kiosk.control.refuseLogin(kiosk.customer.msisdn, '429', { retryAfter: 30 });
    await join();
    await kiosk.waitFor(() => notice() === 'already-waiting', 'already waiting');
    expect(kiosk.model.screen).toBe('club-consent');
    // Not sent again on its own: Vipps holds one waiting login per person.
    kiosk.advance(30_000);
    expect(starts()).toBe(1);

    await payWithoutJoining();
  });

  it('a customer who walks away from that notice is not pushed a payment: back to the basket', async () => {
    await start();
    await kiosk.control.refuseLogin(kiosk.customer.msisdn, '429', { retryAfter: 30 });
    await join();
    await kiosk.waitFor(() => notice() === 'already-waiting', 'already waiting');
    kiosk.advance(89_999);
    expect(kiosk.model.screen).toBe('club-consent');
    kiosk.advance(1);
    expect(kiosk.model).toMatchObject({ screen: 'basket', club: { status: 'timeout' } });
    expect(kiosk.calls).toEqual([]);
  });

  it('an approval whose tokens were lost is said on screen and to HQ (no personal data), then shelf prices', async () => {
    await start();
    await join();
    await kiosk.waitFor((m) => m.club?.consent?.expiresAt != null, 'the login started');
    const [login] = await kiosk.control.logins(kiosk.customer.msisdn);
    await kiosk.control.answerLogin(login!.authReqId, 'approve');
    await kiosk.control.faults({
      rules: [{ path: TOKEN, method: 'POST', status: 500, after: true, count: 1 }],
    });

    kiosk.tick(5_000);
    // The poll whose answer (the tokens) is lost: the kiosk waits its interval to ask again.
    await kiosk.waitFor(
      (m) =>
        kiosk.clubCalls.filter((c) => c === 'poll login').length === 1 &&
        m.machineState === 'session.flow.consent.awaiting.waiting',
      'the lost poll answered',
    );
    kiosk.tick(5_000);
    const paying = await kiosk.until('awaiting-approval');

    expect(paying.club?.status).toBe('approval-lost');
    expect(paying.payment?.amount).toBe(SHELF);
    expect(kiosk.clubCalls).not.toContain('enrol');
    expect(events.filter((event) => event.type === 'club.enrolment')).toEqual([
      { type: 'club.enrolment', outcome: 'approval-lost', basketSavings: 1000 + 2000 },
    ]);
  });
});
