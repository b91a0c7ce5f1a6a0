import { type Component, component } from '../common/lifecycle.js';
import type { Logger } from '../common/log/logger.js';
import { CheckoutService, type CheckoutServiceOptions } from './checkout/checkout-service.js';
import type { CheckoutEnv } from './checkout/checkout-types.js';
import type { ReceiptNumbers } from './checkout/domain/receipt-number.js';
import type { Membership, Payments } from './checkout/ports.js';
import { provideCheckout } from './checkout/provide.js';
import type { Journal } from './journal/journal.js';
import { JournalingPayments } from './journal/journaling-payments.js';
import { RecoveryHandOver } from './journal/recovery-hand-over.js';
import { RecoveryService } from './journal/recovery-service.js';

// The checkout with its money rules around it, put together one way for the daemon (device/main.ts)
// and for the tests that drive it on a simulated clock: every payment call journaled before it is made,
// recovery for what the checkout lets go of, and the abandon rule subscribed to the checkout's events.

export interface CheckoutParts {
  /** The Vipps client's ePayment API. */
  payments: Payments;
  /** Where every payment step is written before its call; absent, payments go unjournaled (tests). */
  journal?: Journal;
  recovery: { logger: Logger; retryMs: number; lateWindowMs: number; now: () => number };
  /** What stands between the journaled payments and the checkout: HQ's webhook hints, a test's counter. */
  around?: (journaled: Payments) => Payments;
  receiptNumbers: ReceiptNumbers;
  membership?: Membership;
  env: CheckoutEnv;
  service: Omit<CheckoutServiceOptions, 'recovery'>;
}

export interface ComposedCheckout {
  checkout: CheckoutService;
  /** Present when payments are journaled. */
  recovery: RecoveryService | undefined;
  /** In start order: the checkout first (customers are served while recovery settles old payments). */
  components: Component[];
}

export function composeCheckout(parts: CheckoutParts): ComposedCheckout {
  const journaled = parts.journal ? new JournalingPayments(parts.payments, parts.journal) : undefined;
  const recovery =
    parts.journal && journaled ? new RecoveryService(parts.journal, journaled, parts.recovery) : undefined;
  const payments = journaled ?? parts.payments;
  const checkout = new CheckoutService(
    provideCheckout({
      payments: parts.around ? parts.around(payments) : payments,
      receiptNumbers: parts.receiptNumbers,
      membership: parts.membership,
    }),
    parts.env,
    recovery ? { ...parts.service, recovery: () => recovery.report() } : parts.service,
  );
  // Recovery's totals are on the screen: a pass that changed them shows at once.
  recovery?.onChange(() => checkout.refresh());
  const components: Component[] = [
    component(
      'checkout',
      () => checkout.start(),
      () => checkout.stop(),
    ),
  ];
  if (parts.journal && recovery) {
    const handOver = new RecoveryHandOver(checkout, parts.journal, recovery);
    components.push(
      handOver,
      component(
        'recovery',
        () => recovery.start(),
        () => recovery.stop(),
      ),
    );
  }
  return { checkout, recovery, components };
}
