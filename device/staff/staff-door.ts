import type { CheckoutService } from '../checkout/checkout-service.js';
import type { StaffDoor } from './staff-mode.js';

/** Staff mode's door into the running checkout: the staff screen, card refusals, the out-of-order switch. */
export function checkoutDoor(checkout: CheckoutService): StaffDoor {
  return {
    open: () => checkout.staffScreen(true),
    close: () => {
      checkout.staffScreen(false);
    },
    refuse: (reason) => checkout.refuseStaffCard(reason),
    outOfOrder: () => checkout.maintenanceWanted(),
    setOutOfOrder: (on) => checkout.maintenance(on),
    changed: () => checkout.refresh(),
  };
}
