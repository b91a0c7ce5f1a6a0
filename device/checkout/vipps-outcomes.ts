import type { DeclineReason } from '../../contracts/screen-model.js';
import { VippsApiError, VippsAuthError, VippsUnavailableError } from '../vipps/errors.js';

// How the checkout reads Vipps' answers: by HTTP status and numeric ErrorCode, never by text.

export function vippsCode(error: unknown): string | undefined {
  return error instanceof VippsApiError ? error.code : undefined;
}

/** Vipps could not be asked: the network, Vipps itself, or the kiosk's keys. Not the customer's doing. */
export function isVippsUnreachable(error: unknown): boolean {
  return error instanceof VippsUnavailableError || error instanceof VippsAuthError;
}

/** The call may or may not have happened at Vipps; only reading the payment back can tell. */
export function isOutcomeUnknown(error: unknown): boolean {
  return error instanceof VippsUnavailableError && error.outcomeUnknown;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof VippsApiError && error.status === 404;
}

/** 6060: a cancel of "unauthorized only" met a payment the customer approved a moment ago. */
export function isAuthorizedMeanwhile(error: unknown): boolean {
  return vippsCode(error) === '6060';
}

// 6160 locked by a concurrent operation, 6250 the customer is approving right now, 6260/6280 capture
// failed "try again later": all say come back shortly with the same Idempotency-Key.
const COME_BACK_CODES = new Set(['6160', '6250', '6260', '6280']);

export function isWorthRetrying(error: unknown): boolean {
  return isVippsUnreachable(error) || COME_BACK_CODES.has(vippsCode(error) ?? '');
}

/** Why a createPayment refusal means this customer cannot pay this way; never "your number is wrong" for 7010. */
export function declineReasonFor(error: unknown): DeclineReason {
  switch (vippsCode(error)) {
    case '7010':
      return 'unknown-customer';
    case '4060':
    case '4070':
      return 'invalid-customer';
    default:
      return 'refused';
  }
}

// "Settled" is a fact of the payment, not of an error: defined once in the domain, read here by the machine
// beside the other readings of Vipps' answers.
export { isSettled } from './domain/settlement.js';
