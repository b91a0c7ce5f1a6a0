import type { Logger } from '../../common/log/logger.js';
import type { GetPaymentResponse } from '../../contracts/vipps-types.js';
import { settlementOf } from '../checkout/domain/settlement.js';
import {
  firstKey,
  keyFor,
  keyText,
  parseKey,
  type SettleKey,
  type SettleOperation,
} from '../checkout/settle-rules.js';
import { isAuthorizedMeanwhile, isNotFound } from '../checkout/vipps-outcomes.js';
import type { Journal, JournalStep, PaymentOutcome, UnfinishedPayment } from './journal.js';
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
  /**
   * Vipps' limit of five create/capture/cancel calls a minute per reference (settle-rules.ts): asked before
   * each call; a payment that must wait stays unresolved until a later pass.
   */
  pace?: { mayCall(reference: string): boolean; called(reference: string): void };
}

type Resolution = PaymentOutcome | 'unresolved' | 'watching';

/**
 * Resolves the payments the journal holds open (after a crash, a power cut, a kill, or a customer who
 * walked away) against what Vipps says: CREATED is cancelled (the customer is gone); AUTHORIZED is
 * captured if the customer paid for the basket, or released if they had asked to cancel or left without
 * it; anything settled is only written down. Every call takes its Idempotency-Key by the checkout's rules
 * (settle-rules.ts) from the keys the journal shows: the same key after an unknown outcome or 6260/6280, so
 * a step that did happen is not repeated; the next after "come back later", which stays the answer for its
 * key. Each goes through the journal, so it is recorded too. A payment Vipps keeps refusing stays
 * unresolved and is tried again on the next pass (RecoveryService: every `retryMs`).
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

  const keys = (operation: SettleOperation, body: string, first: number) =>
    keyText(reference, keyFor(lastKey(open.steps, operation, first), body));
  const mayCall = () => {
    if (options.pace && !options.pace.mayCall(reference)) return false;
    options.pace?.called(reference);
    return true;
  };

  if (payment.state === 'CREATED') {
    if (!mayCall()) return 'unresolved';
    try {
      await payments.cancel(reference, { cancelTransactionOnly: true }, keys('cancel', 'unapproved-only', 1));
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
    if (!mayCall()) return 'unresolved';
    await payments.cancel(reference, { cancelTransactionOnly: false }, keys('cancel', 'release', 2));
    return capturedAmount.value > 0 ? 'captured' : 'cancelled';
  }
  // The customer paid for the basket they took; capture it, with the body the checkout would have sent.
  if (authorizedAmount.value !== open.request.amount.value) {
    throw new Error(
      `authorized ${authorizedAmount.value} differs from the journal's ${open.request.amount.value}`,
    );
  }
  if (!mayCall()) return 'unresolved';
  await payments.capture(reference, open.request.amount, keys('capture', 'capture', 1));
  return 'captured';
}

/**
 * The last key the journal shows for `operation`, as the checkout's settle loops leave it (settle-rules.ts):
 * spent once Vipps answered or refused it, unspent when the outcome is unknown (no answer written, a call
 * that may have reached Vipps) or Vipps said 6260/6280, so the same key is asked again. A call that found
 * the payment locked (423, 6160, 6250, 429) spent its key: the next try takes the next one. Before any
 * call, the first key is number `first` (cancel-1 only if unapproved, cancel-2 release, capture-1).
 */
function lastKey(steps: readonly JournalStep[], operation: SettleOperation, first: number): SettleKey {
  let last = firstKey(operation, first);
  for (const step of steps) {
    const parsed = step.idempotencyKey === null ? null : parseKey(step.idempotencyKey);
    if (parsed === null || parsed.operation !== operation) continue;
    if (step.kind === `${operation}-requested`) {
      const body = operation === 'capture' ? 'capture' : cancelBody(step.data);
      last = { operation, n: parsed.n, body, spent: false };
    } else if (parsed.n === last.n) {
      last = { ...last, spent: step.kind === 'call-failed' ? !keepsKeyAfter(step.data) : true };
    }
  }
  return last;
}

function cancelBody(data: Record<string, unknown>): string {
  return data['cancelTransactionOnly'] === true ? 'unapproved-only' : 'release';
}

/** What the journal wrote of a failed call, read as vipps-outcomes.ts `keepsKey` reads the error. */
function keepsKeyAfter(failure: Record<string, unknown>): boolean {
  return failure['outcomeUnknown'] === true || failure['code'] === '6260' || failure['code'] === '6280';
}
