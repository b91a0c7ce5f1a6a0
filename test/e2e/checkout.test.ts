import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import type { Currency } from '../../contracts/vipps-types.js';
import { startDemoWebhooks } from '../../demo/demo-webhooks.js';
import { startEmbeddedBroker } from '../../demo/embedded-broker.js';
import { sandboxSettings } from '../../demo/sandbox-settings.js';
import type { Country } from '../../device/checkout/domain/market.js';
import { launchChromium } from '../support/chromium.js';
import { BREAD, COFFEE, fold, KIOSK_LARGE, KIOSK_SMALL, MILK, SALMON, Walkthrough } from './walkthrough.js';

// End to end: the whole daemon (composition root, server, checkout machine, Vipps client) against the
// sandbox, the real kiosk screen in Chromium driven the way a customer and the demo scanner drive it, and
// the sandbox's phone page where the customer approves. The kiosk's timers move only when a test moves
// its simulated clock; everything else is waited for on what the screen, the phone or the sandbox says.
// Screenshots of each step go to test-artifacts/e2e/.

const FIRST_RECEIPT = '0000000001';
const reference = (attempt: number) => `it-kiosk-1-${FIRST_RECEIPT}-${attempt}`;

let browser: Browser;
let walk: Walkthrough;
/** What a test started beside the walkthrough (the demo's broker and relay), stopped after it, last first. */
const alsoStop: Array<() => Promise<void>> = [];

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  const errors = walk.errors.splice(0);
  await walk.stop();
  for (const stop of alsoStop.splice(0).reverse()) await stop();
  expect(errors, 'errors in the kiosk or phone page').toEqual([]);
});

async function begin(
  name: string,
  viewport = KIOSK_LARGE,
  kiosk: Parameters<Walkthrough['start']>[1] = {},
): Promise<Walkthrough> {
  // Assigned before it starts, so afterEach stops whatever part of it did start.
  walk = new Walkthrough(browser, name);
  return walk.start(viewport, kiosk);
}

/** The customer approves on the phone; the kiosk sees it at its first poll, 5 s in, and captures. */
async function approveAndPoll(ref: string): Promise<string> {
  await walk.decideOnPhone(ref, 'approve', 'AUTHORIZED');
  await walk.shot('phone-approved', walk.phone);
  // Nothing has polled yet: the kiosk is still waiting, whatever the phone says.
  expect((await walk.state()).screen).toBe('awaiting-approval');
  walk.kiosk.clock.increment(5_000);
  return walk.onScreen('approved');
}

/**
 * What a customer reads in each market, written out (not read from the catalogs, so a catalog that says
 * the wrong thing fails too): the kiosk greets in the market's language, prices come from its demo catalog
 * in its currency, and the payment goes to the sandbox's sales unit there.
 */
interface MarketCase {
  market: Country;
  /** The demo catalog's milk, bread and coffee in this market. */
  products: readonly [milk: string, bread: string, coffee: string];
  attract: string[];
  added: string;
  /** Milk ×2 and bread ×1, as basket lines; the total and the basket's words then. */
  milkTwo: string;
  breadOne: string;
  totalThree: string;
  basketThree: string[];
  /** Bread ×2 after the +; the new total. */
  breadTwo: string;
  totalFour: string;
  basketFour: string;
  awaiting: string[];
  sentTo: string;
  receipt: string[];
  approved: string[];
  /** The basket of four in minor units, as the sandbox was asked for it. */
  amount: { currency: Currency; value: number };
  /** Paying by number: the coffee's line and total, the number typed as people write it, how it reads. */
  coffeeLine: string;
  coffeeTotal: string;
  coffeeValue: number;
  identify: string[];
  typed: string;
  display: string;
  masked: string;
}

const MARKETS: readonly MarketCase[] = [
  {
    market: 'NO',
    products: ['Melk 1 l', 'Brød grovt', 'Kaffe 250 g'],
    attract: ['Skann en vare for å starte', 'Godkjenn på telefonen'],
    added: 'Melk 1 l er lagt i handlekurven',
    milkTwo: 'Melk 1 l 24,90 kr/stk. 2 49,80 kr',
    breadOne: 'Brød grovt 42,90 kr/stk. 1 42,90 kr',
    totalThree: '92,70 kr',
    basketThree: ['Handlekurv 3 varer', 'Å betale', 'Betal'],
    breadTwo: 'Brød grovt 42,90 kr/stk. 2 85,80 kr',
    totalFour: '135,60 kr',
    basketFour: 'Handlekurv 4 varer',
    awaiting: [
      'Godkjenn i Vipps-appen',
      '135,60 kr',
      'Betalingsforespørselen er sendt til telefonen din.',
      'Avbryt',
    ],
    sentTo: 'Sendt til',
    receipt: [
      'Kvittering',
      `Nr. ${FIRST_RECEIPT}`,
      '2 × Melk 1 l 49,80 kr',
      '2 × Brød grovt 85,80 kr',
      'Totalt 135,60 kr',
      'Herav mva.',
      // 15 % food VAT, inside 135,60: 135,60 × 15 / 115 = 17,687.
      'Mva. 15 % 17,69 kr',
    ],
    approved: ['Takk for handelen!', 'Ferdig'],
    amount: { currency: 'NOK', value: 13560 },
    coffeeLine: 'Kaffe 250 g 69,90 kr/stk. 1 69,90 kr',
    coffeeTotal: '69,90 kr',
    coffeeValue: 6990,
    identify: [
      'Skann QR-koden din',
      'Å betale 69,90 kr',
      'Eller skriv inn mobilnummeret ditt',
      'Mobilnummer',
    ],
    typed: '98765432',
    display: '987 65 432',
    masked: 'Sendt til 47******32',
  },
  {
    market: 'DK',
    products: ['Mælk 1 l', 'Rugbrød', 'Kaffe 250 g'],
    attract: ['Scan en vare for at starte', 'Godkend på telefonen'],
    added: 'Mælk 1 l er lagt i kurven',
    milkTwo: 'Mælk 1 l 12,95 kr./stk. 2 25,90 kr.',
    breadOne: 'Rugbrød 24,95 kr./stk. 1 24,95 kr.',
    totalThree: '50,85 kr.',
    basketThree: ['Kurv 3 varer', 'At betale', 'Betal'],
    breadTwo: 'Rugbrød 24,95 kr./stk. 2 49,90 kr.',
    totalFour: '75,80 kr.',
    basketFour: 'Kurv 4 varer',
    awaiting: [
      'Godkend i MobilePay-appen',
      '75,80 kr.',
      'Betalingsanmodningen er sendt til din telefon.',
      'Annuller',
    ],
    sentTo: 'Sendt til',
    receipt: [
      'Kvittering',
      `Nr. ${FIRST_RECEIPT}`,
      '2 × Mælk 1 l 25,90 kr.',
      '2 × Rugbrød 49,90 kr.',
      'I alt 75,80 kr.',
      'Heraf moms',
      // Denmark has one VAT rate, 25 %, inside 75,80: 75,80 × 25 / 125 = 15,16.
      'Moms 25 % 15,16 kr.',
    ],
    approved: ['Tak for handlen!', 'Færdig'],
    amount: { currency: 'DKK', value: 7580 },
    coffeeLine: 'Kaffe 250 g 44,95 kr./stk. 1 44,95 kr.',
    coffeeTotal: '44,95 kr.',
    coffeeValue: 4495,
    identify: ['Scan din QR-kode', 'At betale 44,95 kr.', 'Eller indtast dit mobilnummer', 'Mobilnummer'],
    typed: '31234567',
    display: '31 23 45 67',
    masked: 'Sendt til 45******67',
  },
  {
    market: 'FI',
    products: ['Maito 1 l', 'Ruisleipä', 'Kahvi 250 g'],
    attract: ['Aloita skannaamalla tuote', 'Hyväksy puhelimessa'],
    added: 'Maito 1 l lisätty ostoskoriin',
    milkTwo: 'Maito 1 l 1,19 €/kpl 2 2,38 €',
    breadOne: 'Ruisleipä 2,49 €/kpl 1 2,49 €',
    totalThree: '4,87 €',
    basketThree: ['Ostoskori 3 tuotetta', 'Maksettavaa', 'Maksa'],
    breadTwo: 'Ruisleipä 2,49 €/kpl 2 4,98 €',
    totalFour: '7,36 €',
    basketFour: 'Ostoskori 4 tuotetta',
    awaiting: [
      'Hyväksy MobilePay-sovelluksessa',
      '7,36 €',
      'Maksupyyntö on lähetetty puhelimeesi.',
      'Peruuta',
    ],
    sentTo: 'Lähetetty numeroon',
    receipt: [
      'Kuitti',
      `Nro ${FIRST_RECEIPT}`,
      '2 × Maito 1 l 2,38 €',
      '2 × Ruisleipä 4,98 €',
      'Yhteensä 7,36 €',
      'Sisältää ALV:n',
      // 13,5 % food VAT, line by line as Vipps' receipt has it: inside 2,38 it is 0,283, inside 4,98 0,592.
      'ALV 13,5 % 0,87 €',
    ],
    approved: ['Kiitos ostoksestasi!', 'Valmis'],
    amount: { currency: 'EUR', value: 736 },
    coffeeLine: 'Kahvi 250 g 4,49 €/kpl 1 4,49 €',
    coffeeTotal: '4,49 €',
    coffeeValue: 449,
    identify: [
      'Skannaa QR-koodisi',
      'Maksettavaa 4,49 €',
      'Tai näppäile matkapuhelinnumerosi',
      'Puhelinnumero',
    ],
    // As Finns write it, with the trunk 0 the keypad drops.
    typed: '0507654321',
    display: '50 765 4321',
    masked: 'Lähetetty numeroon 35********21',
  },
];

const NORWAY = MARKETS[0]!;

/** Scans two products, one of them twice, adds one more with +, and pays with the personal QR: to receipt. */
async function happyPath(small: boolean, expected: MarketCase): Promise<void> {
  const customer = walk.kiosk.customers[0]!;
  await walk.screenSays('attract', expected.attract);
  await walk.led('green', false);
  await walk.shot('attract');

  // Below 1600 px the demo panel starts folded, so it hides nothing from the customer.
  expect(await walk.screen.getByTestId('demo-panel').count()).toBe(0);
  await walk.tap('demo-toggle');
  await walk.screen.getByTestId('demo-panel').waitFor();

  await walk.scan(MILK);
  await walk.onScreen('basket');
  await walk.textOf('scan-feedback', expected.added);
  if (small) await walk.shot('demo-panel-open');
  // From here on each scan opens the panel and folds it again, so it covers nothing in the screenshots.
  await walk.foldDemo();
  await walk.scan(BREAD);
  await walk.scan(MILK);
  await walk.textOf(`line-${MILK}-quantity`, '2');
  await walk.line(MILK, expected.milkTwo);
  await walk.line(BREAD, expected.breadOne);
  await walk.textOf('basket-total', expected.totalThree);
  await walk.screenSays('basket', expected.basketThree);
  await walk.shot('basket-scanned');

  await walk.tap(`line-${BREAD}-plus`);
  await walk.textOf(`line-${BREAD}-quantity`, '2');
  await walk.line(BREAD, expected.breadTwo);
  await walk.textOf('basket-total', expected.totalFour);
  await walk.screenSays('basket', [expected.basketFour]);
  await walk.shot('basket-plus');

  await walk.scan(customer.personalQrV2);
  const waiting = await walk.screenSays('awaiting-approval', expected.awaiting);
  // A personal QR names the customer without a number to show.
  expect(waiting).not.toContain(expected.sentTo);
  await walk.textOf('countdown', /^(10:00|9:5\d)$/);
  await walk.led('blue', true);
  const ref = await walk.reference();
  expect(ref).toBe(reference(1));
  await walk.shot('awaiting-approval');

  await walk.openPhone(customer);
  const card = await walk.phoneRequest(ref);
  for (const part of [expected.products[0], expected.products[1]]) expect(card).toContain(part);
  await walk.shot('phone-request', walk.phone);

  await approveAndPoll(ref);
  await walk.textOf('receipt-number', FIRST_RECEIPT);
  const receipt = await walk.textOf('receipt', (text) => text.includes(expected.receipt[4]!));
  for (const part of expected.receipt) expect(receipt).toContain(part);
  await walk.screenSays('approved', expected.approved);
  await walk.led('green', true);
  await walk.shot('approved');

  const paid = await walk.sandboxState(ref, 'AUTHORIZED');
  expect(paid.amount).toEqual(expected.amount);
  expect(paid.aggregate.authorizedAmount.value).toBe(expected.amount.value);
  expect(paid.aggregate.capturedAmount.value).toBe(expected.amount.value);
  expect(paid.aggregate.cancelledAmount.value).toBe(0);
  expect(paid.request['customer']).toEqual({ personalQr: customer.personalQrV2 });
  expect(await walk.kiosk.control.payments()).toHaveLength(1);

  await walk.tap('done');
  await walk.onScreen('attract');
  const after = await walk.state();
  expect(after.basket).toEqual({ lines: [], total: 0, itemCount: 0, savings: 0 });
  expect(after.receipt).toBeNull();
  await walk.shot('done');
}

/** Pays for one coffee with the number typed on the keypad, as the market writes its numbers. */
async function payByNumber(expected: MarketCase): Promise<void> {
  const customer = walk.kiosk.customers[1]!;
  await walk.scan(COFFEE);
  await walk.line(COFFEE, expected.coffeeLine);
  await walk.tap('pay');
  await walk.screenSays('identify', expected.identify);
  expect(await walk.screen.getByTestId('keypad-send').isDisabled()).toBe(true);
  for (const digit of expected.typed) await walk.tap(`keypad-${digit}`);
  await walk.textOf('keypad-display', expected.display);
  await walk.shot('keypad');
  expect(await walk.screen.getByTestId('keypad-send').isEnabled()).toBe(true);
  await walk.tap('keypad-send');

  await walk.screenSays('awaiting-approval', [expected.coffeeTotal, expected.masked]);
  const ref = await walk.reference();
  expect(ref).toBe(reference(1));
  const payment = await walk.kiosk.control.payment(ref);
  expect(payment.request['customer']).toEqual({ phoneNumber: customer.msisdn });
  expect(payment.amount).toEqual({ currency: expected.amount.currency, value: expected.coffeeValue });
  await walk.shot('awaiting-approval');

  await walk.openPhone(customer);
  await walk.phoneRequest(ref);
  await walk.shot('phone-request', walk.phone);
  await approveAndPoll(ref);
  const total = expected.receipt[4]!.replace(expected.totalFour, expected.coffeeTotal);
  const receipt = await walk.textOf('receipt', (text) => text.includes(total));
  expect(receipt).toContain(`1 × ${expected.products[2]} ${expected.coffeeTotal}`);
  await walk.textOf('receipt-number', FIRST_RECEIPT);
  await walk.shot('approved');
  expect((await walk.sandboxState(ref, 'AUTHORIZED')).aggregate.capturedAmount.value).toBe(
    expected.coffeeValue,
  );
}

// The same walk in each market the kiosk sells in, against the sandbox's sales unit of that currency.
// A whole walk with the phone takes most of the default 20 s on a busy two-core machine: given 90 s.
describe.each(MARKETS)(
  'a customer in market $market, with the phone in hand',
  { timeout: 90_000 },
  (expected) => {
    const tag = expected.market.toLowerCase();

    it('scans, adjusts, pays with the personal QR, approves on the phone and gets the receipt', async () => {
      await begin(`happy-path-${tag}`, KIOSK_LARGE, { market: expected.market });
      await happyPath(false, expected);
    });

    it('pays by phone number typed on the keypad', async () => {
      await begin(`phone-number-${tag}`, KIOSK_LARGE, { market: expected.market });
      await payByNumber(expected);
    });
  },
);

describe('a customer at the kiosk, with the phone in hand', () => {
  it('keeps the basket when the customer rejects, and Try again sends a new request that is approved', async () => {
    await begin('decline');
    const ingrid = walk.kiosk.sandbox.customers[2]!;
    await walk.scan(BREAD);
    await walk.scan(MILK);
    await walk.textOf('basket-total', '67,80 kr');
    // The older, clear-text form of the personal QR.
    await walk.scan(ingrid.personalQrV1);
    await walk.screenSays('awaiting-approval', ['67,80 kr']);
    const first = await walk.reference();
    expect(first).toBe(reference(1));

    await walk.openPhone(ingrid);
    await walk.phoneRequest(first);
    await walk.decideOnPhone(first, 'reject', 'ABORTED');
    await walk.shot('phone-rejected', walk.phone);
    walk.kiosk.clock.increment(5_000);
    await walk.textOf('decline-title', 'Betalingen ble avvist');
    await walk.screenSays('declined', [
      'Den ble avvist i appen. Ingenting er trukket, og varene ligger i handlekurven.',
      'Prøv igjen',
      'Tilbake til handlekurven',
    ]);
    await walk.led('amber', true);
    await walk.shot('declined');
    const declined = await walk.state();
    expect(declined.declined).toEqual({ reason: 'rejected' });
    expect(declined.basket.total).toBe(6780);
    expect(declined.basket.lines.map((line) => [line.name, line.quantity])).toEqual([
      ['Brød grovt', 1],
      ['Melk 1 l', 1],
    ]);

    await walk.tap('try-again');
    await walk.screenSays('awaiting-approval', ['67,80 kr']);
    const second = await walk.reference();
    expect(second).toBe(reference(2));
    await walk.phoneRequest(second);
    await walk.shot('phone-second-request', walk.phone);
    await approveAndPoll(second);
    await walk.textOf('receipt-number', FIRST_RECEIPT);
    expect(await walk.textOf('receipt', (text) => text.includes('Totalt'))).toContain('Totalt 67,80 kr');
    await walk.shot('approved');

    const rejected = await walk.kiosk.control.payment(first);
    expect(rejected.state).toBe('ABORTED');
    expect(rejected.aggregate.capturedAmount.value).toBe(0);
    expect((await walk.sandboxState(second, 'AUTHORIZED')).aggregate.capturedAmount.value).toBe(6780);
  });

  it('goes back to the basket when the customer cancels, and nothing stays reserved', async () => {
    await begin('cancel');
    const lars = walk.kiosk.sandbox.customers[3]!;
    await walk.scan(COFFEE);
    await walk.scan(MILK);
    await walk.textOf('basket-total', '94,80 kr');
    await walk.scan(lars.personalQrV2);
    await walk.screenSays('awaiting-approval', ['94,80 kr']);
    const ref = await walk.reference();
    await walk.openPhone(lars);
    await walk.phoneRequest(ref);

    await walk.tap('cancel');
    await walk.onScreen('basket');
    await walk.line(COFFEE, 'Kaffe 250 g 69,90 kr/stk. 1 69,90 kr');
    await walk.line(MILK, 'Melk 1 l 24,90 kr/stk. 1 24,90 kr');
    await walk.textOf('basket-total', '94,80 kr');
    await walk.led('green', false);
    await walk.shot('basket-after-cancel');

    const cancelled = await walk.sandboxState(ref, 'TERMINATED');
    expect(cancelled.aggregate.authorizedAmount.value).toBe(0);
    expect(cancelled.aggregate.capturedAmount.value).toBe(0);
    // The request is gone from the phone, and its history says why.
    await walk.textOf(`status-${ref}`, 'TERMINATED', walk.phone);
    expect(await walk.phone.getByTestId(`payment-${ref}`).count()).toBe(0);
    await walk.shot('phone-terminated', walk.phone);
  });

  it('says Vipps is unavailable, keeps scanning, and pays once Vipps is back', async () => {
    await begin('vipps-down');
    const sofie = walk.kiosk.sandbox.customers[4]!;
    await walk.kiosk.control.faults({ rules: [{ path: '/epayment', status: 503, count: 100 }] });
    await walk.scan(MILK);
    await walk.scan(sofie.personalQrV2);
    await walk.screenSays('unavailable', [
      'Vipps er midlertidig utilgjengelig',
      'Handlekurven er tatt vare på, og du kan fortsatt skanne varer. Prøv igjen om litt.',
      'Melk 1 l',
      '24,90 kr',
      'Prøv igjen',
    ]);
    await walk.led('red', false);
    await walk.shot('unavailable');

    await walk.scan(BREAD);
    await walk.line(BREAD, 'Brød grovt 42,90 kr/stk. 1 42,90 kr');
    await walk.textOf('basket-total', '67,80 kr');
    await walk.shot('scanned-while-down');
    // Still down: the customer's QR brings the notice back, now for the bigger basket.
    await walk.scan(sofie.personalQrV2);
    await walk.screenSays('unavailable', ['Vipps er midlertidig utilgjengelig', '67,80 kr']);
    expect(await walk.kiosk.control.payments()).toEqual([]);

    await walk.kiosk.control.clearFaults();
    await walk.tap('try-again');
    await walk.screenSays('awaiting-approval', ['67,80 kr']);
    const ref = await walk.reference();
    expect(ref.startsWith(`it-kiosk-1-${FIRST_RECEIPT}-`)).toBe(true);
    await walk.led('blue', true);
    await walk.openPhone(sofie);
    await walk.phoneRequest(ref);
    await approveAndPoll(ref);
    expect(await walk.textOf('receipt', (text) => text.includes('Totalt'))).toContain('Totalt 67,80 kr');
    await walk.shot('approved');
    // One request reached the customer's phone for this basket, and it was paid in full.
    const payments = await walk.kiosk.control.payments();
    expect(payments.map((payment) => payment.reference)).toEqual([ref]);
    expect(payments[0]!.aggregate.capturedAmount.value).toBe(6780);
  });

  it('warns an idle customer, keeps the basket on "still here", and clears it when nobody answers', async () => {
    await begin('idle');
    await walk.scan(MILK);
    await walk.textOf('basket-total', '24,90 kr');

    walk.kiosk.clock.increment(60_000);
    const warning = walk.screen.getByTestId('idle-warning');
    await warning.waitFor({ state: 'visible' });
    await walk.textOf('idle-countdown', /^(30|29)$/);
    const says = fold(await warning.textContent());
    for (const part of [
      'Er du fortsatt der?',
      'Handlekurven tømmes når tiden er ute.',
      'Jeg er her fortsatt',
    ])
      expect(says).toContain(part);
    await walk.shot('idle-warning');

    await walk.tap('still-here');
    await warning.waitFor({ state: 'detached' });
    await walk.textOf('basket-total', '24,90 kr');
    expect((await walk.state()).idleWarning).toBeNull();
    await walk.shot('still-here');

    walk.kiosk.clock.increment(60_000);
    await warning.waitFor({ state: 'visible' });
    walk.kiosk.clock.increment(30_000);
    await walk.onScreen('attract');
    await warning.waitFor({ state: 'detached' });
    expect((await walk.state()).basket).toEqual({ lines: [], total: 0, itemCount: 0, savings: 0 });
    await walk.shot('cleared');
  });

  it('works the same on the 800×480 screen', async () => {
    await begin('happy-path-800x480', KIOSK_SMALL);
    await happyPath(true, NORWAY);
  });
});

// The customer-club flow as a customer lives it: the club on (a real SQLite club file); the customer first
// approves joining on the phone page (Vipps Login, CIBA), then the payment.
it('joins the club at the kiosk with a Vipps Login push, pays member prices, and is recognised next time', async () => {
  await begin('club', KIOSK_LARGE, { club: { enabled: true } });
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

// The demo as a store runs: the sandbox delivers its signed webhook to the embedded relay, which publishes
// it to the embedded broker, where the kiosk listens for its payment. The kiosk's clock never moves in this
// test, so its first poll (5 s after the request) never comes: only the relayed AUTHORIZED can bring the
// receipt to the screen.
it('shows the receipt once the approval comes through the webhook relay, before any poll', async () => {
  const broker = await startEmbeddedBroker(0);
  alsoStop.push(() => broker.close());
  // The embedded broker speaks MQTT 3.1.1, which has no will delay (as in `vipps-kiosk demo`).
  const telemetry = { brokerUrl: broker.url, protocolVersion: 4, willDelaySeconds: 0 };
  await begin('webhook-approval', KIOSK_LARGE, { telemetry });
  const { sandbox } = walk.kiosk;
  const webhooks = await startDemoWebhooks(
    sandboxSettings(sandbox, { stateDir: walk.kiosk.stateDir, port: 0, extra: { telemetry } }),
    silentLogger,
  );
  alsoStop.push(() => webhooks.stop());
  const kari = sandbox.customers[0]!;

  await walk.scan(MILK);
  await walk.onScreen('basket');
  await walk.scan(kari.personalQrV2);
  await walk.onScreen('awaiting-approval');
  const ref = await walk.reference();
  await walk.openPhone(kari);
  await walk.phoneRequest(ref);
  await walk.decideOnPhone(ref, 'approve', 'AUTHORIZED');

  await walk.onScreen('approved');
  await walk.textOf('receipt-number', FIRST_RECEIPT);
  await walk.shot('approved-by-webhook');
  expect(webhooks.relay.stats()).toMatchObject({ rejected: {}, unusable: {} });
  expect(webhooks.relay.stats().accepted).toBeGreaterThanOrEqual(1);
  const deliveries = (await (await fetch(`${sandbox.url}/_sandbox/webhooks`)).json()) as {
    attempts: Array<{ reference: string; name: string; status: number | null }>;
  };
  expect(deliveries.attempts.find((a) => a.reference === ref && a.name === 'AUTHORIZED')).toMatchObject({
    status: 200,
  });
});
