import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { AttendedWalk } from './attended-walk.js';
import { BREAD, COFFEE, MILK, SALMON, until } from './walkthrough.js';

// "Done when" of attended mode (issue 18): both of Vipps' in-store flows played as a cashier plays them,
// through the reference cashier screen in real Chromium, against the sandbox: the cashier's scanner or
// the customer's reading the personal QR, with and without the club, and an abort. Each ends on what
// both screens show and on what the sandbox holds. The kiosk's timers move only when the test moves its
// simulated clock; the rest is waited for on the screens. Screenshots go to test-artifacts/e2e/.

let browser: Browser;
let walk: AttendedWalk;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  const errors = walk.errors.splice(0);
  await walk.stop();
  expect(errors, 'errors in the cashier page, the customer display or the phone page').toEqual([]);
});

async function begin(name: string, club = false): Promise<AttendedWalk> {
  walk = new AttendedWalk(browser, name);
  return walk.startAttended(club);
}

/** The customer approves on the phone; the kiosk reads it at its first poll, 5 s in, and captures. */
async function approve(reference: string): Promise<void> {
  await walk.decideOnPhone(reference, 'approve', 'AUTHORIZED');
  walk.kiosk.clock.increment(5_000);
  await walk.paymentStatus('completed');
}

describe('attended mode: the kiosk as the Vipps terminal of the cashier screen', () => {
  it("cashier-scanned QR: wares and the customer's QR on the cashier's scanner, approved on the phone", {
    timeout: 90_000,
  }, async () => {
    await begin('attended-cashier-qr');
    const kari = walk.kiosk.sandbox.customers[0]!;
    for (const code of [MILK, BREAD, MILK]) await walk.cashierScan(code);
    await walk.textOf(`line-${MILK}`, 'Melk 1 l 24,90 kr 15 % 49,80 kr ×', walk.cashier);
    await walk.textOf('basket-total', '92,70 kr', walk.cashier);
    await walk.cashierScan(kari.personalQrV2);
    await walk.textOf('customer', 'Kundens personlige QR-kode er skannet.', walk.cashier);
    await walk.shot('cashier-basket', walk.cashier);

    await walk.press('send-payment');
    await walk.paymentStatus('awaiting-approval');
    await walk.screenSays('awaiting-approval', ['92,70 kr']);
    await walk.textOf(`line-${MILK}`, 'Melk 1 l 2 × 24,90 kr 49,80 kr');
    const ref = await walk.reference();
    await walk.shot('customer-display-awaiting');

    await walk.openPhone(kari);
    const card = await walk.phoneRequest(ref);
    for (const part of ['92,70 kr', '2 × Melk 1 l 49,80 kr', '1 × Brød grovt 42,90 kr'])
      expect(card).toContain(part);
    await approve(ref);
    await walk.textOf('payment-status', 'Betalt.', walk.cashier);
    await walk.onScreen('approved');
    await walk.shot('cashier-paid', walk.cashier);
    await walk.shot('customer-display-paid');

    const paid = await walk.sandboxState(ref, 'AUTHORIZED');
    expect(paid.amount).toEqual({ currency: 'NOK', value: 9270 });
    expect(paid.aggregate.capturedAmount.value).toBe(9270);
    expect(paid.request['customer']).toEqual({ personalQr: kari.personalQrV2 });

    // The next sale starts empty.
    await walk.press('next-sale');
    await walk.cashier.getByTestId('basket-empty').waitFor();
  });

  it('customer-scanned QR: the customer display shows the amount, the customer scans on the kiosk', {
    timeout: 90_000,
  }, async () => {
    await begin('attended-customer-qr');
    const ola = walk.kiosk.sandbox.customers[1]!;
    for (const code of [COFFEE, BREAD]) await walk.cashierScan(code);
    await walk.textOf('basket-total', '112,80 kr', walk.cashier);
    await walk.press('send-payment');
    await walk.paymentStatus('waiting-for-customer');
    await walk.screenSays('identify', ['112,80 kr']);
    // The customer has not seen the basket on the kiosk: the POS's lines are on the customer display.
    await walk.textOf(`line-${COFFEE}`, 'Kaffe 250 g 1 × 69,90 kr 69,90 kr');
    await walk.textOf(`line-${BREAD}`, 'Brød grovt 1 × 42,90 kr 42,90 kr');
    await walk.shot('customer-display-identify');

    // The customer-facing scanner reads the personal QR (the demo overlay is the kiosk's scanner here).
    await walk.scan(ola.personalQrV2);
    await walk.paymentStatus('awaiting-approval');
    const ref = await walk.reference();
    await walk.openPhone(ola);
    expect(await walk.phoneRequest(ref)).toContain('112,80 kr');
    await approve(ref);
    await walk.onScreen('approved');

    const paid = await walk.sandboxState(ref, 'AUTHORIZED');
    expect(paid.aggregate.capturedAmount.value).toBe(11_280);
    expect(paid.request['customer']).toEqual({ personalQr: ola.personalQrV2 });
  });

  it('with the club: not a member, joins on the customer display, then pays member prices next time', {
    timeout: 90_000,
  }, async () => {
    await begin('attended-club', true);
    const kari = walk.kiosk.sandbox.customers[0]!;
    const ringUp = async () => {
      for (const code of [COFFEE, SALMON]) await walk.cashierScan(code);
      await walk.cashier.getByTestId('phone-input').fill(kari.msisdn.slice(2));
      await walk.press('use-phone');
      await walk.textOf('customer', `Betalingen sendes til +${kari.msisdn}.`, walk.cashier);
      await walk.press('request-membership');
    };

    // First visit: the club does not know the number, so the shelf prices stand.
    await ringUp();
    await walk.attributeOn('club-status', 'data-state', 'not-member');
    await walk.textOf('basket-total', '189,80 kr', walk.cashier);
    await walk.press('send-payment');
    // The customer display offers the club; the customer joins there with a Vipps Login on the phone.
    await walk.onScreen('club-offer');
    await walk.shot('customer-display-club-offer');
    await walk.tap('join-club');
    const code = await walk.textOf('binding-message', /^[A-Z0-9]{3}-[A-Z0-9]{3}$/);
    await walk.openPhone(kari);
    const [login] = await walk.kiosk.control.logins(kari.msisdn);
    await walk.textOf(`binding-${login!.authReqId}`, code, walk.phone);
    await walk.phone.getByRole('button', { name: 'Approve login', exact: true }).tap();
    await walk.textOf(`login-status-${login!.authReqId}`, /APPROVED|COMPLETED/, walk.phone);
    walk.tick(5_000);
    await walk.paymentStatus('awaiting-approval');
    const first = await walk.reference();
    await approve(first);
    expect((await walk.sandboxState(first, 'AUTHORIZED')).aggregate.capturedAmount.value).toBe(18_980);

    // Next visit: the cashier's Request membership finds the member, and the basket gets member prices.
    await walk.press('next-sale');
    await walk.cashier.getByTestId('basket-empty').waitFor();
    await ringUp();
    await walk.attributeOn('club-status', 'data-state', 'member');
    // Coffee 69,90 → 59,90 and salmon 119,90 → 99,90 for members.
    await walk.textOf('basket-total', '159,80 kr', walk.cashier);
    await walk.textOf('basket-savings', '−30,00 kr', walk.cashier);
    await walk.shot('cashier-member-prices', walk.cashier);
    await walk.press('send-payment');
    await walk.paymentStatus('awaiting-approval');
    const second = await walk.reference();
    expect(await walk.phoneRequest(second)).toContain('159,80 kr');
    await approve(second);
    const paid = await walk.sandboxState(second, 'AUTHORIZED');
    expect(paid.aggregate.capturedAmount.value).toBe(15_980);
    expect(paid.request['customer']).toEqual({ phoneNumber: kari.msisdn });
    expect(await walk.kiosk.control.logins(kari.msisdn)).toHaveLength(1);
  });

  it('with the club, enrolled by the cashier: approved on the phone against the code on the customer display, then paid at member prices', {
    timeout: 90_000,
  }, async () => {
    await begin('attended-club-enrol', true);
    const kari = walk.kiosk.sandbox.customers[0]!;
    for (const code of [COFFEE, SALMON]) await walk.cashierScan(code);
    await walk.cashier.getByTestId('phone-input').fill(kari.msisdn.slice(2));
    await walk.press('use-phone');
    await walk.press('request-membership');
    await walk.attributeOn('club-status', 'data-state', 'not-member');
    await walk.textOf('basket-total', '189,80 kr', walk.cashier);

    // The seed's button: the cashier starts the Vipps Login; the code is on the customer display.
    await walk.press('enrol');
    await walk.onScreen('club-consent');
    const code = await walk.textOf('binding-message', /^[A-Z0-9]{3}-[A-Z0-9]{3}$/);
    await walk.textOf('enrolment-code', code, walk.cashier);
    await walk.shot('customer-display-enrol-consent');
    await walk.shot('cashier-enrolling', walk.cashier);
    await walk.openPhone(kari);
    const logins = () => walk.kiosk.control.logins(kari.msisdn);
    await until('the login request at Vipps', async () => String((await logins()).length), '1');
    const [login] = await logins();
    await walk.textOf(`binding-${login!.authReqId}`, code, walk.phone);
    await walk.phone.getByRole('button', { name: 'Approve login', exact: true }).tap();
    await walk.textOf(`login-status-${login!.authReqId}`, /APPROVED|COMPLETED/, walk.phone);
    walk.tick(5_000);

    // Joined: member prices on the cashier's basket before any payment, the display back at attract.
    await walk.attributeOn('club-status', 'data-state', 'member');
    await walk.textOf('basket-total', '159,80 kr', walk.cashier);
    await walk.onScreen('attract');
    await walk.shot('cashier-enrolled-member-prices', walk.cashier);

    await walk.press('send-payment');
    await walk.paymentStatus('awaiting-approval');
    const ref = await walk.reference();
    expect(await walk.phoneRequest(ref)).toContain('159,80 kr');
    await approve(ref);
    const paid = await walk.sandboxState(ref, 'AUTHORIZED');
    expect(paid.aggregate.capturedAmount.value).toBe(15_980);
    expect(paid.request['customer']).toEqual({ phoneNumber: kari.msisdn });
    expect(await walk.kiosk.control.logins(kari.msisdn)).toHaveLength(1);
  });

  it('abort from the cashier page before approval: aborted on both screens, cancelled at Vipps', {
    timeout: 90_000,
  }, async () => {
    await begin('attended-abort');
    const lars = walk.kiosk.sandbox.customers[3]!;
    await walk.cashierScan(COFFEE);
    await walk.cashierScan(lars.personalQrV2);
    await walk.press('send-payment');
    await walk.paymentStatus('awaiting-approval');
    const ref = await walk.reference();
    await walk.openPhone(lars);
    await walk.phoneRequest(ref);

    await walk.press('abort-payment');
    await walk.paymentStatus('aborted');
    await walk.textOf('payment-status', 'Betalingen er avbrutt. Ingenting er trukket.', walk.cashier);
    await walk.onScreen('attract');
    await walk.shot('cashier-aborted', walk.cashier);

    const cancelled = await walk.sandboxState(ref, 'TERMINATED');
    expect(cancelled.aggregate.authorizedAmount.value).toBe(0);
    expect(cancelled.aggregate.capturedAmount.value).toBe(0);
    await walk.textOf(`status-${ref}`, 'TERMINATED', walk.phone);
  });
});
