// The cashier screen's register against the real kiosk in attended mode: the daemon and its terminal API
// over loopback, the typed client, the sandbox as Vipps. What a page reload sees, two tills at one
// kiosk, and an abort that comes after the customer approved. The kiosk's timers move only with its
// simulated clock; everything else is waited for on the register's model or the sandbox.

import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { packageRoot } from '../../common/package-root.js';
import { openTerminalDb, TERMINAL_DB_FILE } from '../../device/terminal/terminal-db.js';
import { loadPosCatalog } from '../../pos/catalog/pos-catalog.js';
import { TerminalClient } from '../../pos/client/terminal-client.js';
import type { OpenPayment } from '../../pos/sale/open-payment.js';
import type { RegisterModel } from '../../pos/sale/register-model.js';
import { PosServer } from '../../pos/server/pos-server.js';
import { Register } from '../../pos/server/register.js';
import { KioskUnderTest } from '../support/kiosk-under-test.js';

const MILK = '2000000000015';
const COFFEE = '2000000000039';
const CATALOG = join(packageRoot(), 'device', 'catalog', 'demo-catalog.json');

const stops: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** A kiosk in attended mode, its terminal API on loopback; with the store's club when `club` says so. */
async function attendedKiosk(club = false): Promise<KioskUnderTest> {
  const kiosk = await new KioskUnderTest().start({
    ...(club ? { club: { enabled: true } } : {}),
    settings: { mode: 'attended', terminal: { host: '127.0.0.1', port: 0 } },
  });
  stops.push(() => kiosk.stop());
  return kiosk;
}

/** A till paired with the kiosk: its own token, client and register. */
async function till(kiosk: KioskUnderTest, label: string): Promise<Register> {
  const db = openTerminalDb(join(kiosk.stateDir, TERMINAL_DB_FILE), Date.now);
  const { token } = db.pairings.pair(label);
  db.close();
  const terminal = new TerminalClient({ url: kiosk.kiosk.terminal!.url, token });
  const register = new Register({ terminal, catalog: await loadPosCatalog(CATALOG), logger: silentLogger });
  stops.push(
    () => terminal.close(),
    () => register.close(),
  );
  return register;
}

function until(register: Register, what: (model: RegisterModel) => boolean): Promise<RegisterModel> {
  return vi.waitFor(
    () => {
      const model = register.model();
      if (!what(model)) throw new Error(`register is at ${JSON.stringify(model.payment ?? model.notice)}`);
      return model;
    },
    { timeout: 5_000, interval: 20 },
  );
}

async function ringUp(register: Register, customerQr: string): Promise<void> {
  register.handle({ type: 'scan', text: MILK });
  register.handle({ type: 'scan', text: COFFEE });
  register.handle({ type: 'scan', text: customerQr });
  register.handle({ type: 'send' });
  await until(register, (m) => m.payment?.status === 'awaiting-approval');
}

it('keeps the sale in its server: a reloaded page gets the running payment, then sees it completed', {
  timeout: 60_000,
}, async () => {
  const kiosk = await attendedKiosk();
  const register = await till(kiosk, 'till 1');
  const server = new PosServer({ register, pageDir: '/nonexistent', port: 0, logger: silentLogger });
  await server.start();
  stops.push(() => server.stop());
  await ringUp(register, kiosk.sandbox.customers[0]!.personalQrV2);
  const running = register.model().payment!;

  // The page reloads: what it is given first is the sale as the server holds it.
  const reloaded = (await (await fetch(`${server.url}/api/state`)).json()) as RegisterModel;
  expect(reloaded.payment).toEqual(running);
  expect(reloaded.basket.total).toBe(2490 + 6990);
  expect(reloaded.locked).toBe(true);

  const { reference } = (await kiosk.screen('awaiting-approval')).payment!;
  await kiosk.control.act(reference, 'approve');
  kiosk.clock.increment(5_000);
  const done = await until(register, (m) => m.payment?.status === 'completed');
  expect(done.payment).toMatchObject({ id: running.id, amount: 9480, final: true });
  expect((await kiosk.control.payment(reference)).aggregate.capturedAmount.value).toBe(9480);
});

it("refuses a second till's payment while the first one's runs, and charges nobody for it", {
  timeout: 60_000,
}, async () => {
  const kiosk = await attendedKiosk();
  const [first, second] = [await till(kiosk, 'till 1'), await till(kiosk, 'till 2')];
  await ringUp(first, kiosk.sandbox.customers[0]!.personalQrV2);

  second.handle({ type: 'scan', text: MILK });
  second.handle({ type: 'send' });
  const refused = await until(second, (m) => m.notice?.kind === 'terminal');
  expect(refused.payment).toBeNull();
  expect(refused.locked).toBe(false);
  expect(await kiosk.control.payments()).toHaveLength(1);
});

it('aborts a payment the customer approved before the kiosk captured it: released at Vipps, nothing charged', {
  timeout: 60_000,
}, async () => {
  const kiosk = await attendedKiosk();
  const register = await till(kiosk, 'till 1');
  await ringUp(register, kiosk.sandbox.customers[1]!.personalQrV2);
  const { reference } = (await kiosk.screen('awaiting-approval')).payment!;
  // Approved at Vipps, but the kiosk has not polled yet: the reservation is still only a reservation.
  await kiosk.control.act(reference, 'approve');

  register.handle({ type: 'abort' });
  expect(register.model().payment?.aborting).toBe(true);
  const done = await until(register, (m) => m.payment?.final === true);
  expect(done.payment).toMatchObject({ status: 'aborted', aborting: false, final: true });
  expect(done.locked).toBe(false);
  const atVipps = await kiosk.control.payment(reference);
  expect(atVipps.aggregate.capturedAmount.value).toBe(0);
  expect(atVipps.aggregate.cancelledAmount.value).toBe(9480);
});

it("enrols a non-member from the cashier's button: the code on both screens, member prices once joined", {
  timeout: 60_000,
}, async () => {
  const kiosk = await attendedKiosk(true);
  const register = await till(kiosk, 'till 1');
  const kari = kiosk.customers[0]!;
  register.handle({ type: 'scan', text: COFFEE });
  register.handle({ type: 'phone', phoneNumber: kari.msisdn.slice(2) });
  register.handle({ type: 'request-membership' });
  await until(register, (m) => m.club?.state === 'not-member');
  expect(register.model().basket.total).toBe(6990);

  register.handle({ type: 'enrol' });
  const enrolling = await until(
    register,
    (m) => m.club?.state === 'enrolling' && m.club.bindingMessage !== null,
  );
  const display = await kiosk.screen('club-consent');
  expect(enrolling.club).toMatchObject({ bindingMessage: display.club!.consent!.bindingMessage });
  // One thing at a time: no payment while the enrolment runs.
  register.handle({ type: 'send' });
  expect(register.model().payment).toBeNull();

  const [login] = await vi.waitFor(async () => {
    const sent = await kiosk.control.logins(kari.msisdn);
    if (sent.length === 0) throw new Error('no login request yet');
    return sent;
  });
  await kiosk.control.answerLogin(login!.authReqId, 'approve');
  kiosk.sandbox.clock.advance(5_000);
  kiosk.clock.increment(5_000);
  const joined = await until(register, (m) => m.club?.state === 'member');
  expect(joined.club).toMatchObject({ joined: true });
  // Coffee 69,90 → 59,90 for members.
  expect(joined.basket.total).toBe(5990);
  await kiosk.screen('attract');
});

it('aborts the enrolment when the customer walks away: not a member, and the till can pay again', {
  timeout: 60_000,
}, async () => {
  const kiosk = await attendedKiosk(true);
  const register = await till(kiosk, 'till 1');
  register.handle({ type: 'scan', text: MILK });
  register.handle({ type: 'phone', phoneNumber: kiosk.customers[0]!.msisdn.slice(2) });
  register.handle({ type: 'request-membership' });
  await until(register, (m) => m.club?.state === 'not-member');
  register.handle({ type: 'enrol' });
  await until(register, (m) => m.club?.state === 'enrolling' && m.club.bindingMessage !== null);

  register.handle({ type: 'abort-enrolment' });
  const ended = await until(register, (m) => m.club?.state === 'not-member');
  expect(ended.club).toMatchObject({ enrolment: 'aborted' });
  await kiosk.screen('attract');
  // Not a member: the customer display offers the club once more with the payment, as for any non-member.
  register.handle({ type: 'send' });
  await until(register, (m) => m.payment?.status === 'waiting-for-customer');
  await kiosk.screen('club-offer');
});

it('resumes a payment the terminal never got (the till died before its request left) under the same id', {
  timeout: 60_000,
}, async () => {
  const kiosk = await attendedKiosk();
  const db = openTerminalDb(join(kiosk.stateDir, TERMINAL_DB_FILE), Date.now);
  const { token } = db.pairings.pair('till 1');
  db.close();
  const terminal = new TerminalClient({ url: kiosk.kiosk.terminal!.url, token });
  const kept: OpenPayment[] = [];
  const cleared: string[] = [];
  const register = new Register({
    terminal,
    catalog: await loadPosCatalog(CATALOG),
    logger: silentLogger,
    openPayment: {
      read: async () => kept.at(-1),
      write: async (open) => void kept.push(open),
      clear: async (id) => void cleared.push(id),
    },
  });
  stops.push(
    () => terminal.close(),
    () => register.close(),
  );
  const open: OpenPayment = {
    request: {
      posTransactionId: '01KCRASHED0000000000000000',
      amount: { value: 2490, currency: 'NOK' },
      lines: [{ id: MILK, name: 'Melk 1 l', quantity: 1, unitPrice: 2490, vatRate: 1500 }],
      customer: { personalQr: kiosk.sandbox.customers[0]!.personalQrV2 },
    },
    items: [{ product: { gtin: MILK, name: 'Melk 1 l', unitPrice: 2490, vatRate: 1500 }, quantity: 1 }],
    customer: { kind: 'personal-qr', text: kiosk.sandbox.customers[0]!.personalQrV2 },
    club: null,
  };
  const resumed = register.resume(open);
  expect(register.model()).toMatchObject({ notice: { kind: 'resumed' }, locked: true });
  const running = await until(register, (m) => m.payment?.status === 'awaiting-approval');
  expect(running.payment?.id).toBe(open.request.posTransactionId);
  expect(running.basket.total).toBe(2490);
  await resumed;

  const { reference } = (await kiosk.screen('awaiting-approval')).payment!;
  await kiosk.control.act(reference, 'approve');
  kiosk.clock.increment(5_000);
  await until(register, (m) => m.payment?.status === 'completed');
  expect(await kiosk.control.payments()).toHaveLength(1);
  expect((await kiosk.control.payment(reference)).aggregate.capturedAmount.value).toBe(2490);
  await vi.waitFor(() => expect(cleared).toEqual([open.request.posTransactionId]));
  // Nothing was written anew: the till sent what it had kept, not a new payment.
  expect(kept).toEqual([]);
});
