import type { CheckoutService } from '../checkout/checkout-service.js';
import type { RecoveryService } from '../journal/recovery-service.js';
import type { Alerts } from './alerts.js';

/** Raised while recovery finishes a capture or cancel that Vipps kept turning away at the till. */
export const SETTLE_HANDED_OVER = 'settle-handed-over';

/**
 * What staff and HQ are alerted to, from the checkout's domain events and recovery's totals: a payment
 * the till handed to recovery stays an alert until recovery has nothing unresolved left.
 */
export class KioskAlerts {
  readonly name = 'alerts';
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly alerts: Alerts,
    private readonly checkout: CheckoutService,
    private readonly recovery: RecoveryService,
  ) {}

  start(): void {
    this.unsubscribe.push(
      this.checkout.onDomainEvent((event) => {
        if (event.type === 'payment.settle-handed-over')
          this.alerts.raise(
            SETTLE_HANDED_OVER,
            'warning',
            // No reference: its digits would read as a phone number to the telemetry guard.
            `Vipps kept turning a ${event.operation} away for two minutes; the kiosk keeps trying in ` +
              'the background (recovery). Nothing to do unless this stays.',
          );
      }),
      this.recovery.onChange(() => {
        if ((this.recovery.report()?.unresolved ?? 0) === 0) this.alerts.clear(SETTLE_HANDED_OVER);
      }),
    );
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
  }
}
