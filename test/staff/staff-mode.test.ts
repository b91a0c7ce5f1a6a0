import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_MS } from '../../device/staff/employees.js';
import { staffCardCode } from '../../device/staff/staff-card.js';
import { STAFF_TIMEOUT_MS } from '../../device/staff/staff-mode.js';
import { SALE_FOR_TESTS } from '../support/staff-services.js';
import { CARD_KEY, KARI, staffKiosk } from './staff-kiosk.js';

let kiosk: Awaited<ReturnType<typeof staffKiosk>> | undefined;

afterEach(async () => {
  await kiosk?.stop();
  kiosk = undefined;
});

async function wrongPin(k: NonNullable<typeof kiosk>, attemptsLeft: number) {
  k.act({ do: 'pin', pin: '0000' });
  return k.harness.waitFor(
    (m) =>
      m.screen !== 'staff' || (m.staff?.page.name === 'pin' && m.staff.page.attemptsLeft === attemptsLeft),
    `${attemptsLeft} tries left`,
  );
}

describe('staff mode: the card', () => {
  it('opens nothing for a forged card, and says so', async () => {
    kiosk = await staffKiosk();
    const check = kiosk.card().split('.')[2];
    kiosk.harness.scan(`VKSTAFF1.E8.${check}`);
    const model = kiosk.harness.model;
    expect(model.screen).toBe('attract');
    expect(model.staff).toBeNull();
    expect(model.feedback).toMatchObject({ kind: 'staff-card-refused', subject: 'forged' });
    expect(kiosk.rows('staff.login')).toEqual([]);
  });

  it('opens nothing for a valid card of an unknown (removed) employee', async () => {
    kiosk = await staffKiosk();
    kiosk.harness.scan(staffCardCode('E99', CARD_KEY));
    expect(kiosk.harness.model).toMatchObject({
      screen: 'attract',
      feedback: { kind: 'staff-card-refused', subject: 'unknown' },
    });
  });

  it('opens nothing on a kiosk without a staff-card key, and says there is no staff mode', async () => {
    kiosk = await staffKiosk({ noCardKey: true });
    kiosk.harness.scan(kiosk.card());
    expect(kiosk.harness.model).toMatchObject({
      screen: 'attract',
      feedback: { kind: 'staff-card-refused', subject: 'off' },
    });
  });

  it('is refused while a customer pays: the payment screen stays, the scan says why', async () => {
    kiosk = await staffKiosk();
    await kiosk.harness.startPayment();
    kiosk.harness.scan(kiosk.card());
    const model = kiosk.harness.model;
    expect(model.screen).toBe('awaiting-approval');
    expect(model.feedback).toMatchObject({ kind: 'staff-card-refused', subject: 'busy' });
  });

  it('from the basket opens the PIN page (that basket goes); from maintenance too', async () => {
    kiosk = await staffKiosk();
    kiosk.harness.scan('2000000000015');
    await kiosk.harness.until('basket');
    kiosk.harness.scan(kiosk.card());
    expect(kiosk.harness.model).toMatchObject({ screen: 'staff', staff: { page: { name: 'pin' } } });
    // The status light says no customer is served here, as when out of order.
    expect(kiosk.harness.model.leds).toEqual({ status: 'amber', blink: false });
    kiosk.act({ do: 'log-out' });
    expect(kiosk.harness.model.screen).toBe('attract');
    expect(kiosk.harness.model.basket.lines).toEqual([]);
    kiosk.harness.service.maintenance(true);
    await kiosk.harness.until('maintenance');
    kiosk.harness.scan(kiosk.card());
    expect(kiosk.harness.model.screen).toBe('staff');
    // Nobody logged in: closing the PIN page journals nothing.
    expect(kiosk.rows('staff.logout')).toEqual([]);
  });
});

describe('staff mode: the PIN', () => {
  it('locks the card after five wrong PINs, kept across a restart of staff mode, until five minutes pass', async () => {
    kiosk = await staffKiosk();
    const k = kiosk;
    k.harness.scan(k.card());
    for (const left of [4, 3, 2, 1]) {
      const model = await wrongPin(k, left);
      expect(model.staff?.notice?.code).toBe('wrong-pin');
    }
    const locked = await wrongPin(k, 0);
    expect(locked.screen).toBe('attract');
    expect(locked.feedback).toMatchObject({ kind: 'staff-card-refused', subject: 'locked' });
    // Scanned again while locked: no PIN page.
    k.harness.scan(k.card());
    expect(k.harness.model).toMatchObject({ screen: 'attract', feedback: { subject: 'locked' } });
    expect(k.employees.find(KARI.id, k.clock.now())?.lockedUntil).toBe(k.clock.now() + LOCK_MS);
    k.harness.advance(LOCK_MS - 1);
    k.harness.scan(k.card());
    expect(k.harness.model.screen).toBe('attract');
    k.harness.advance(1);
    await k.logIn();
    expect(k.rows('staff.login')).toHaveLength(1);
  });

  it('takes no menu action before the PIN, and no staff intent at all while closed', async () => {
    kiosk = await staffKiosk();
    expect(kiosk.act({ do: 'report', kind: 'x' })).toMatchObject({ accepted: false });
    kiosk.harness.scan(kiosk.card());
    for (const action of [
      { do: 'report', kind: 'z' },
      { do: 'copy' },
      { do: 'out-of-order', on: true },
      { do: 'return' },
    ] as const) {
      expect(kiosk.act(action)).toMatchObject({ accepted: false });
    }
    expect(kiosk.services.calls).toEqual([]);
    expect(kiosk.rows('report.z')).toEqual([]);
  });
});

describe('staff mode: logged in', () => {
  it('journals the log-in and the log-out with the employee id', async () => {
    kiosk = await staffKiosk();
    const menu = await kiosk.logIn();
    expect(menu.staff).toMatchObject({
      employee: { id: 'E7', name: 'Kari Nordmann' },
      page: { name: 'menu' },
    });
    kiosk.act({ do: 'log-out' });
    expect(kiosk.harness.model.screen).toBe('attract');
    expect(kiosk.rows('staff.login').map((r) => JSON.parse(r.data))).toEqual([
      { employeeId: 'E7', name: 'Kari Nordmann' },
    ]);
    expect(kiosk.rows('staff.logout').map((r) => JSON.parse(r.data))).toEqual([
      { employeeId: 'E7', reason: 'logged-out' },
    ]);
  });

  it('logs out whoever is logged in when the daemon stops, and journals why', async () => {
    kiosk = await staffKiosk();
    await kiosk.logIn();
    kiosk.staff.stop();
    expect(kiosk.harness.model.screen).toBe('attract');
    expect(kiosk.rows('staff.logout').map((r) => JSON.parse(r.data))).toEqual([
      { employeeId: 'E7', reason: 'kiosk-stopped' },
    ]);
  });

  it('times out on the injected clock back to the customer screens, journaling the log-out', async () => {
    kiosk = await staffKiosk();
    await kiosk.logIn();
    kiosk.harness.advance(STAFF_TIMEOUT_MS - 1_000);
    kiosk.act({ do: 'menu' }); // a press starts the time again
    kiosk.harness.advance(STAFF_TIMEOUT_MS - 1);
    expect(kiosk.harness.model.screen).toBe('staff');
    expect(kiosk.rows('staff.logout')).toEqual([]);
    kiosk.harness.advance(1);
    expect(kiosk.harness.model.screen).toBe('attract');
    expect(kiosk.rows('staff.logout').map((r) => JSON.parse(r.data))).toEqual([
      { employeeId: 'E7', reason: 'timed-out' },
    ]);
  });

  it('shows the X and Z reports from the journal, made with the employee id', async () => {
    kiosk = await staffKiosk();
    await kiosk.logIn();
    kiosk.act({ do: 'report', kind: 'x' });
    const x = kiosk.harness.model.staff?.page;
    expect(x).toMatchObject({ name: 'report', kind: 'x' });
    expect(x?.name === 'report' && x.text).toContain('X-RAPPORT nr. 1');
    kiosk.act({ do: 'report', kind: 'z' });
    const z = kiosk.harness.model.staff?.page;
    expect(z?.name === 'report' && z.text).toContain('Z-RAPPORT nr. 1');
    expect(kiosk.rows('report.x')).toHaveLength(1);
    expect(kiosk.rows('report.z')).toHaveLength(1);
    expect(kiosk.services.calls).toEqual([
      { service: 'report', kind: 'x', employeeId: 'E7' },
      { service: 'report', kind: 'z', employeeId: 'E7' },
    ]);
  });

  it('says why a Z report is refused (the clock went back before the last Z)', async () => {
    kiosk = await staffKiosk();
    await kiosk.logIn();
    kiosk.act({ do: 'report', kind: 'z' });
    kiosk.setTillBack(60_000);
    kiosk.act({ do: 'menu' });
    kiosk.act({ do: 'report', kind: 'z' });
    expect(kiosk.harness.model.staff).toMatchObject({
      page: { name: 'menu' },
      notice: { code: 'report-refused', message: expect.stringContaining('already closed') },
    });
  });

  it('makes the copy of the last receipt once, and shows the refusal after', async () => {
    kiosk = await staffKiosk();
    await kiosk.logIn();
    kiosk.act({ do: 'copy' });
    expect(kiosk.harness.model.staff?.page).toMatchObject({ name: 'receipt', receipt: { copy: true } });
    kiosk.act({ do: 'menu' });
    kiosk.act({ do: 'copy' });
    expect(kiosk.harness.model.staff).toMatchObject({
      page: { name: 'menu' },
      notice: { code: 'copy-already-made' },
    });
    expect(kiosk.services.calls.filter((c) => c.service === 'copy')).toEqual([
      { service: 'copy', employeeId: 'E7' },
      { service: 'copy', employeeId: 'E7' },
    ]);
  });

  it('switches training and out of order; out of order holds after log-out', async () => {
    kiosk = await staffKiosk();
    await kiosk.logIn();
    kiosk.act({ do: 'training', on: true });
    kiosk.act({ do: 'out-of-order', on: true });
    expect(kiosk.harness.model.staff).toMatchObject({ training: true, outOfOrder: true });
    expect(kiosk.services.calls).toContainEqual({ service: 'training', on: true, employeeId: 'E7' });
    kiosk.act({ do: 'log-out' });
    await kiosk.harness.until('maintenance');
    await kiosk.logIn();
    kiosk.act({ do: 'out-of-order', on: false });
    kiosk.act({ do: 'log-out' });
    expect(kiosk.harness.model.screen).toBe('attract');
  });

  it('returns a sale: the receipt scanned, lines picked, refunded with the employee id', async () => {
    kiosk = await staffKiosk();
    await kiosk.logIn();
    kiosk.act({ do: 'return' });
    kiosk.harness.scan('0000000099');
    expect(kiosk.harness.model.staff).toMatchObject({
      page: { name: 'return-find' },
      notice: { code: 'unknown-receipt' },
    });
    // The receipt's barcode: the scanner reads its number.
    kiosk.harness.scan(SALE_FOR_TESTS.receiptNumber);
    expect(kiosk.harness.model.staff?.page).toMatchObject({
      name: 'return-pick',
      receiptNumber: '0000000001',
      refundable: 9270,
      lines: [{ index: 0, returnable: 2 }, { index: 1 }],
    });
    // A scan on the pick page neither adds to a basket nor changes the page.
    kiosk.harness.scan('2000000000015');
    expect(kiosk.harness.model).toMatchObject({ screen: 'staff', basket: { lines: [] } });
    kiosk.act({ do: 'return-confirm', lines: [{ index: 0, quantity: 1 }] });
    const done = await kiosk.harness.waitFor((m) => m.staff?.page.name === 'receipt', 'the Returkvittering');
    expect(done.staff?.page).toMatchObject({
      receipt: { heading: 'Returkvittering', returnOf: '0000000001' },
    });
    expect(kiosk.services.calls).toContainEqual({
      service: 'refund',
      request: { receiptNumber: '0000000001', lines: [{ index: 0, quantity: 1 }], employeeId: 'E7' },
    });
  });
});
