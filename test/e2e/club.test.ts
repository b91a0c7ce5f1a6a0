import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { COFFEE, fold, MILK, SALMON, Walkthrough } from './walkthrough.js';

// End to end, the customer-club flow as a customer lives it: the whole daemon with the club on (a real
// SQLite club file), the kiosk screen in Chromium, and the sandbox's phone page where the customer first
// approves joining (Vipps Login, CIBA) and then the payment. Screenshots go to test-artifacts/e2e/.

let browser: Browser;
let walk: Walkthrough;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  const errors = walk.errors.splice(0);
  await walk.stop();
  expect(errors, 'errors in the kiosk or phone page').toEqual([]);
});

it('joins the club at the kiosk with a Vipps Login push, pays member prices, and is recognised next time', async () => {
  walk = new Walkthrough(browser, 'club');
  await walk.start(undefined, { club: { enabled: true } });
  const kari = walk.kiosk.sandbox.customers[0]!;

  for (const code of [MILK, COFFEE, SALMON]) await walk.scan(code);
  await walk.textOf('basket-total', '214,70 kr');
  await walk.scan(kari.personalQrV2);

  // Not a member: the offer says what joining saves on this very basket (coffee 10 kr, salmon 20 kr).
  await walk.screenSays('club-offer', [
    'Bli med i kundeklubben?',
    'Medlemmer sparer 30,00 kr på denne handlekurven',
    'Bli med og spar',
    'Nei takk, bare betal',
  ]);
  await walk.shot('club-offer');
  await walk.tap('join-club');

  // The code on the kiosk is the code in the app.
  await walk.screenSays('club-consent', ['Bekreft i appen', 'Betal uten å bli med']);
  const code = await walk.textOf('binding-message', /^[A-Z0-9]{3}-[A-Z0-9]{3}$/);
  await walk.led('blue', true);
  await walk.shot('club-consent');

  await walk.openPhone(kari);
  const [login] = await walk.kiosk.control.logins(kari.msisdn);
  await walk.textOf(`binding-${login!.authReqId}`, code, walk.phone);
  await walk.shot('phone-login', walk.phone);
  await walk.phone.getByRole('button', { name: 'Approve login', exact: true }).tap();
  await walk.textOf(`login-status-${login!.authReqId}`, /APPROVED|COMPLETED/, walk.phone);

  // The kiosk looks at its next poll, one interval (5 s) after it sent the request.
  walk.tick(5_000);
  await walk.screenSays('awaiting-approval', ['Velkommen i klubben! Medlemspriser er brukt.', '184,70 kr']);
  await walk.shot('awaiting-approval-member');

  const ref = await walk.reference();
  const card = await walk.phoneRequest(ref);
  expect(card).toContain('184,70 kr');
  await walk.decideOnPhone(ref, 'approve', 'AUTHORIZED');
  walk.tick(5_000);
  await walk.onScreen('approved');
  const receipt = await walk.textOf('receipt', (text) => text.includes('Du sparte'));
  for (const part of [
    '1 × Kaffe 250 g 59,90 kr',
    'Medlemspris, du sparer 10,00 kr',
    '1 × Laksefilet 400 g 99,90 kr',
    'Medlemspris, du sparer 20,00 kr',
    'Totalt 184,70 kr',
    'Du sparte 30,00 kr',
  ])
    expect(receipt).toContain(part);
  await walk.shot('approved-member');
  await walk.tap('done');
  await walk.onScreen('attract');

  // The next visit: recognised by the club at once, no login push, member prices straight away.
  await walk.scan(COFFEE);
  await walk.scan(kari.personalQrV2);
  const again = await walk.screenSays('awaiting-approval', ['Medlemspriser er brukt', '59,90 kr']);
  expect(again).not.toContain('Velkommen');
  expect(await walk.kiosk.control.logins(kari.msisdn)).toHaveLength(1);
  await walk.shot('awaiting-approval-returning-member');
  expect(fold(await walk.phoneRequest(await walk.reference()))).toContain('59,90 kr');
});
