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

// What a refused or failed capture/cancel asks of the next try (API.md §0.5). A 4xx stays the answer for
// its Idempotency-Key, so "come back later" (6160 locked, 6250 being processed, HTTP 423 locked, and the
// rate limit's 429) is asked again under the NEXT key, once a read shows it is still needed; only 6260/6280
// (capture failed, retry with the same key) and an outcome nobody knows keep the key, so a step that did
// happen is not repeated.
const COME_BACK_CODES = new Set(['6160', '6250']);
const SAME_KEY_CODES = new Set(['6260', '6280']);
const COME_BACK_STATUSES = new Set([423, 429]);

/** Ask again with the same Idempotency-Key: the call may have happened, or Vipps said to. */
export function keepsKey(error: unknown): boolean {
  return isOutcomeUnknown(error) || SAME_KEY_CODES.has(vippsCode(error) ?? '');
}

/** Vipps said "not now" (or could not be asked): worth asking again after a pause and a read. */
export function isWorthRetrying(error: unknown): boolean {
  if (keepsKey(error) || COME_BACK_CODES.has(vippsCode(error) ?? '')) return true;
  if (error instanceof VippsApiError) return COME_BACK_STATUSES.has(error.status);
  return isVippsUnreachable(error);
}

/** How many calls reached Vipps' rate limit: the client may have tried more than once. */
export function attemptsOf(error: unknown): number {
  return error instanceof VippsUnavailableError ? Math.max(1, error.attempts) : 1;
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
