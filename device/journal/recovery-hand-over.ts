import type { CheckoutService } from '../checkout/checkout-service.js';
import type { Journal } from './journal.js';
import type { RecoveryService } from './recovery-service.js';

/**
 * Payments the checkout stops following before their money is settled go to recovery, which follows
 * them to the end in the background:
 * - `payment.abandoned` (the customer walked away, a new attempt replaced it): the journal notes it, so
 *   recovery releases what is still reserved. One whose outcome the journal already has needs nothing.
 * - `payment.settle-handed-over` (a capture or cancel that Vipps kept turning away for two minutes):
 *   recovery carries on with the same operation; nothing is noted, so a capture stays a capture.
 * The events come in the machine's step, so the old reference is journaled before a new attempt's create.
 */
export class RecoveryHandOver {
  readonly name = 'recovery hand-over';
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly checkout: CheckoutService,
    private readonly journal: Journal,
    private readonly recovery: RecoveryService,
  ) {}

  start(): void {
    this.unsubscribe ??= this.checkout.onDomainEvent((event) => {
      if (event.type === 'payment.settle-handed-over') {
        this.recovery.take(event.reference);
        return;
      }
      if (event.type !== 'payment.abandoned') return;
      if (this.journal.outcome(event.reference) !== null) return;
      this.journal.step(event.reference, 'abandoned', {});
      this.recovery.take(event.reference);
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
