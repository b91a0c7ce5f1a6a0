import type { CheckoutService } from '../checkout/checkout-service.js';
import type { Journal } from './journal.js';
import type { RecoveryService } from './recovery-service.js';

/**
 * The rule for a payment the checkout let go of without knowing it settled (`payment.abandoned`: the
 * customer walked away, a new attempt replaced it): the journal notes it, and recovery follows it to the
 * end in the background. One whose outcome the journal already has needs nothing more. The event comes
 * in the machine's step, so the old reference is journaled before a new attempt's create is.
 */
export class AbandonedPayments {
  readonly name = 'abandoned payments';
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly checkout: CheckoutService,
    private readonly journal: Journal,
    private readonly recovery: RecoveryService,
  ) {}

  start(): void {
    this.unsubscribe ??= this.checkout.onDomainEvent((event) => {
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
