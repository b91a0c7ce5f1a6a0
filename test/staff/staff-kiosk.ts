import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../common/log/logger.js';
import type { StaffAction } from '../../contracts/screen-model.js';
import { CashRegister } from '../../device/cash-register/cash-register.js';
import { CASH_REGISTER_FILE, CashRegisterStore } from '../../device/cash-register/journal-store.js';
import { ReportDesk } from '../../device/cash-register/report-desk.js';
import { generateSigningKey, signingKeyOf } from '../../device/cash-register/signing.js';
import { Employees, STAFF_FILE } from '../../device/staff/employees.js';
import { staffCardCode } from '../../device/staff/staff-card.js';
import { checkoutDoor } from '../../device/staff/staff-door.js';
import { StaffMode } from '../../device/staff/staff-mode.js';
import { CheckoutHarness } from '../support/checkout-harness.js';
import { staffServicesForTests } from '../support/staff-services.js';

export const CARD_KEY = 'test-staff-card-key-0123456789abcdef';
export const KARI = { id: 'E7', name: 'Kari Nordmann', pin: '4711' };

/**
 * A kiosk with staff mode as the daemon would have it: the real checkout (harness: sandbox, SimulatedClock),
 * a real cash-register journal and ReportDesk on SQLite, real employees with argon2id PINs, StaffMode on the
 * checkout's clock; copies, training and returns from staffServicesForTests.
 */
/** `noCardKey`: a kiosk provisioned before staff mode existed (no staffCardKey in secrets.json). */
export async function staffKiosk(options: { noCardKey?: boolean } = {}) {
  const harness = await new CheckoutHarness().start();
  const clock = harness.clock;
  const stateDir = await mkdtemp(join(tmpdir(), 'vk-staff-'));
  const store = CashRegisterStore.open(join(stateDir, CASH_REGISTER_FILE));
  // The till's wall clock, which can be set back (an NTP step) while the checkout's timers run on.
  let tillSkew = 0;
  const tillNow = () => clock.now() + tillSkew;
  const register = new CashRegister(store, signingKeyOf(generateSigningKey().privateKeyPem, 1), tillNow);
  const desk = new ReportDesk({
    register,
    store,
    closingTime: undefined,
    now: tillNow,
    onReport: () => {},
    logger: silentLogger,
  });
  const services = staffServicesForTests(desk);
  const employees = Employees.open(join(stateDir, STAFF_FILE));
  await employees.add(KARI, clock.now());
  const staff = new StaffMode({
    employees,
    cardKey: options.noCardKey ? undefined : CARD_KEY,
    services,
    journal: register,
    heading: {
      companyName: 'Butikken Test AS',
      organisationNumber: '974760673',
      vatRegistered: true,
      registerId: 'kiosk-07',
    },
    door: checkoutDoor(harness.service),
    clock,
    logger: silentLogger,
  });
  harness.service.attachStaff(staff);
  const act = (action: StaffAction) => harness.service.dispatch({ type: 'staff', action });
  return {
    harness,
    clock,
    stateDir,
    store,
    register,
    services,
    employees,
    staff,
    act,
    setTillBack: (ms: number) => {
      tillSkew -= ms;
    },
    card: (id = KARI.id) => staffCardCode(id, CARD_KEY),
    page: () => harness.model.staff?.page.name ?? null,
    rows: (kind: string) => [...store.all()].filter((row) => row.kind === kind),
    /** Scans the card and types the PIN: ends on the menu. */
    async logIn() {
      harness.scan(staffCardCode(KARI.id, CARD_KEY));
      act({ do: 'pin', pin: KARI.pin });
      return harness.waitFor((m) => m.staff?.page.name === 'menu', 'the staff menu');
    },
    async stop() {
      staff.stop();
      employees.close();
      store.close();
      await harness.stop();
    },
  };
}
