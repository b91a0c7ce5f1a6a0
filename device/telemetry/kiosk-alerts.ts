import type { CheckoutService } from '../checkout/checkout-service.js';
import type { RecoveryService } from '../journal/recovery-service.js';
import type { Alerts } from './alerts.js';

/** Raised while recovery finishes a capture or cancel that Vipps kept turning away at the till. */
export const SETTLE_HANDED_OVER = 'settle-handed-over';

/**
 * What staff and HQ are alerted to, from the checkout's domain events and recovery's totals: the kiosk
 * out of order for a merchant setup fault (critical, until it is back in order), and a payment the till
 * handed to recovery (a warning, until recovery has nothing unresolved left).
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
        // A sales unit or keys Vipps refuses: the kiosk will not sell until staff or Vipps fix it.
        if (event.type === 'kiosk.out-of-order') this.alerts.raise(event.code, 'critical', event.message);
        if (event.type === 'kiosk.back-in-order') this.alerts.clear(event.code);
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
