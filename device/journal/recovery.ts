import type { Payments } from '../checkout/ports.js';
import { isAuthorizedMeanwhile, isNotFound } from '../checkout/vipps-outcomes.js';
import type { Logger } from '../log/logger.js';
import { operationKey } from '../vipps/request-rules.js';
import type { GetPaymentResponse } from '../vipps/types.js';
import type { Journal, PaymentOutcome, UnfinishedPayment } from './journal.js';
import { outcomeOf } from './journaling-payments.js';

export interface RecoveryReport {
  captured: number;
  cancelled: number;
  /** Declined or never created: nothing to do but write it down. */
  closed: number;
  /** Vipps could not be asked yet; tried again until it can. */
  unresolved: number;
}

type Resolution = PaymentOutcome | 'unresolved';

/**
 * Resolves every payment the journal left open (a crash, a power cut, a kill) against what Vipps says:
 * CREATED is cancelled (the customer is gone); AUTHORIZED is captured if the customer confirmed it by
 * paying, or cancelled if they had asked to cancel; anything settled is only written down. Every call
 * uses the Idempotency-Key the checkout would have used, so a step that did happen is not repeated.
 * `payments` must be journaling, so each step of recovery is itself recorded.
 */
export async function recoverPayments(
  journal: Journal,
  payments: Payments,
  logger: Logger,
): Promise<RecoveryReport> {
  const report: RecoveryReport = { captured: 0, cancelled: 0, closed: 0, unresolved: 0 };
  for (const open of journal.unfinished()) {
    const resolution = await resolve(open, payments).catch((error: unknown) => {
      logger.warn('could not resolve an unfinished payment yet', {
        reference: open.reference,
        error: String(error),
      });
      return 'unresolved' as const;
    });
    logger.info('recovered an unfinished payment', { reference: open.reference, resolution });
    if (resolution === 'captured') report.captured++;
    else if (resolution === 'cancelled') report.cancelled++;
    else if (resolution === 'unresolved') report.unresolved++;
    else report.closed++;
  }
  return report;
}

async function resolve(open: UnfinishedPayment, payments: Payments): Promise<Resolution> {
  const { reference } = open;
  let payment: GetPaymentResponse;
  try {
    payment = await payments.getPayment(reference);
  } catch (error) {
    if (isNotFound(error)) return 'not-created';
    throw error;
  }
  const settled = outcomeOf(payment);
  if (settled) return settled;

  if (payment.state === 'CREATED') {
    try {
      await payments.cancel(reference, { cancelTransactionOnly: true }, operationKey(reference, 'cancel-1'));
      return 'cancelled';
    } catch (error) {
      if (!isAuthorizedMeanwhile(error)) throw error;
      payment = await payments.getPayment(reference);
    }
  }

  const { authorizedAmount, capturedAmount } = payment.aggregate;
  const customerCancelled = open.steps.some((step) => step.kind === 'cancel-requested');
  if (customerCancelled || capturedAmount.value > 0) {
    // Asked to cancel, or captured in part by hand: release what is still reserved.
    await payments.cancel(reference, { cancelTransactionOnly: false }, operationKey(reference, 'cancel-2'));
    return capturedAmount.value > 0 ? 'captured' : 'cancelled';
  }
  // The customer paid for the basket they took; capture it, with the body the checkout would have sent.
  if (authorizedAmount.value !== open.request.amount.value) {
    throw new Error(
      `authorized ${authorizedAmount.value} differs from the journal's ${open.request.amount.value}`,
    );
  }
  await payments.capture(reference, open.request.amount, operationKey(reference, 'capture-1'));
  return 'captured';
}
