import type { Logger } from '../../common/log/logger.js';
import type { GetPaymentResponse } from '../../contracts/vipps-types.js';
import { settlementOf } from '../checkout/domain/settlement.js';
import { isAuthorizedMeanwhile, isNotFound } from '../checkout/vipps-outcomes.js';
import { operationKey } from '../vipps/request-rules.js';
import type { Journal, PaymentOutcome, UnfinishedPayment } from './journal.js';
import type { JournalingPayments } from './journaling-payments.js';

export interface RecoveryReport {
  captured: number;
  cancelled: number;
  /** Declined or never created: nothing to do but write it down. */
  closed: number;
  /** Vipps could not be asked yet; tried again until it can. */
  unresolved: number;
  /** Not at Vipps, but asked for so recently that Vipps may still make it: looked at again later. */
  watching: number;
}

export interface RecoveryOptions {
  now: () => number;
  /**
   * How long after its create a payment Vipps does not know may still appear (a request Vipps took in
   * but had not processed when the kiosk asked). Within it, "not found" is not yet "not created".
   */
  lateWindowMs: number;
  /** Which open payments this pass is about; all of them when absent. */
  only?: (reference: string) => boolean;
}

type Resolution = PaymentOutcome | 'unresolved' | 'watching';

/**
 * Resolves the payments the journal holds open (after a crash, a power cut, a kill, or a customer who
 * walked away) against what Vipps says: CREATED is cancelled (the customer is gone); AUTHORIZED is
 * captured if the customer paid for the basket, or released if they had asked to cancel or left without
 * it; anything settled is only written down. Every call uses the Idempotency-Key the checkout would have
 * used, so a step that did happen is not repeated, and goes through the journal, so it is recorded too.
 */
export async function recoverPayments(
  journal: Journal,
  payments: JournalingPayments,
  logger: Logger,
  options: RecoveryOptions,
): Promise<RecoveryReport> {
  const report: RecoveryReport = { captured: 0, cancelled: 0, closed: 0, unresolved: 0, watching: 0 };
  const open = journal.unfinished().filter((payment) => options.only?.(payment.reference) ?? true);
  for (const payment of open) {
    const resolution = await resolve(payment, payments, options).catch((error: unknown) => {
      logger.warn('could not resolve an unfinished payment yet', {
        reference: payment.reference,
        error: String(error),
      });
      return 'unresolved' as const;
    });
    logger.info('recovery looked at an unfinished payment', { reference: payment.reference, resolution });
    if (resolution === 'captured') report.captured++;
    else if (resolution === 'cancelled') report.cancelled++;
    else if (resolution === 'unresolved') report.unresolved++;
    else if (resolution === 'watching') report.watching++;
    else report.closed++;
  }
  return report;
}

async function resolve(
  open: UnfinishedPayment,
  payments: JournalingPayments,
  options: RecoveryOptions,
): Promise<Resolution> {
  const { reference } = open;
  let payment: GetPaymentResponse;
  try {
    payment = await payments.getPayment(reference);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    const requestedAt = Math.max(...open.steps.filter((s) => s.kind === 'create-requested').map((s) => s.at));
    if (options.now() - requestedAt < options.lateWindowMs) return 'watching';
    payments.notCreated(reference);
    return 'not-created';
  }
  const settled = settlementOf(payment);
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
  const leftWithoutIt = open.steps.some(
    (step) => step.kind === 'cancel-requested' || step.kind === 'abandoned',
  );
  if (leftWithoutIt || capturedAmount.value > 0) {
    // Asked to cancel, walked away, or captured in part by hand: release what is still reserved.
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
