import { join } from 'node:path';
import type { Logger } from '../../common/log/logger.js';
import type { CashRegister } from '../cash-register/cash-register.js';
import type { CheckoutService } from '../checkout/checkout-service.js';
import type { Settings } from '../config/schema.js';
import { Employees, STAFF_FILE } from './employees.js';
import { checkoutDoor } from './staff-door.js';
import { type StaffClock, StaffMode } from './staff-mode.js';
import type { StaffServices } from './staff-services.js';

/**
 * Staff mode for the daemon (device/main.ts), when the kiosk is a cash register: the employees file in the
 * state directory, the card key from secrets.json, attached to the checkout. `close` logs out whoever is
 * still logged in (journaled) and closes the file. Without a card key every card is refused as "no staff
 * mode here", and the log says how to fix it.
 */
export function openStaffMode(
  settings: Settings,
  parts: {
    register: CashRegister;
    services: StaffServices;
    checkout: CheckoutService;
    clock: StaffClock;
    logger: Logger;
  },
): { staff: StaffMode; close(): void } | undefined {
  const { cashRegister } = settings;
  if (!cashRegister) return undefined;
  const cardKey = settings.secrets.staffCardKey;
  if (cardKey === undefined) {
    parts.logger.warn(
      'no staff mode: secrets.json has no staffCardKey; run `vipps-kiosk provision` to make it',
    );
  }
  const employees = Employees.open(join(settings.stateDir, STAFF_FILE));
  const staff = new StaffMode({
    employees,
    cardKey,
    services: parts.services,
    journal: parts.register,
    heading: { ...cashRegister, registerId: settings.device.id },
    door: checkoutDoor(parts.checkout),
    clock: parts.clock,
    logger: parts.logger,
  });
  parts.checkout.attachStaff(staff);
  return {
    staff,
    close() {
      staff.stop();
      employees.close();
    },
  };
}
