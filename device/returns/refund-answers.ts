import {
  VippsApiError,
  VippsAuthError,
  VippsRequestInvalidError,
  VippsUnavailableError,
} from '../vipps/errors.js';

// What a failed refund call means for the money and for the staff member at the kiosk. Vipps' refusal
// (problem+json) means nothing was refunded: it is kept as Vipps sent it (status, code, traceId) and told
// in words staff can act on. Anything that may have reached Vipps is never a failure: the refund is
// pending, and recovery asks again with the same Idempotency-Key until Vipps answers.

export type RefundFailure =
  | { refused: true; code: string; message: string; answer: Record<string, unknown> }
  | { refused: false; message: string; answer: Record<string, unknown> };

const TRY_AGAIN_SOON =
  'Nothing was refunded. Wait a minute, then make the return again (it gets a new return number).';

/** Staff's words for a Vipps error code or HTTP status (API.md §0.3). */
function refusalText(error: VippsApiError): string {
  switch (error.code) {
    case '6020':
      return 'Vipps says this payment was never captured, so there is nothing to refund.';
    case '6150':
      return 'Vipps says this is more than is left to refund on the payment (it may have been refunded elsewhere, e.g. in the merchant portal).';
    case '6160':
      return `Vipps is busy with another change to this payment. ${TRY_AGAIN_SOON}`;
    case '4150':
      return 'Vipps already has this return with other amounts. Call support with the trace below.';
    case '5040':
      return "The payment's currency does not match the Vipps sales unit. Call support with the trace below.";
    default:
      break;
  }
  if (error.status === 423) return `Vipps is busy with another change to this payment. ${TRY_AGAIN_SOON}`;
  if (error.status === 429) return `Too many changes to this payment in the last minute. ${TRY_AGAIN_SOON}`;
  if (error.status === 403)
    return "This kiosk's Vipps sales unit may not refund payments. Call support with the trace below.";
  if (error.status === 404) return 'Vipps does not know this payment. Call support with the trace below.';
  return `Vipps refused the refund (${error.title ?? 'no reason given'}). Call support with the trace below.`;
}

function trace(error: VippsApiError): string {
  return [
    error.code && `Vipps error ${error.code}`,
    `HTTP ${error.status}`,
    error.traceId && `trace ${error.traceId}`,
  ]
    .filter(Boolean)
    .join(', ');
}

export function refundFailure(error: unknown): RefundFailure {
  if (error instanceof VippsApiError) {
    return {
      refused: true,
      code: 'vipps-refused',
      message: `${refusalText(error)} (${trace(error)})`,
      answer: {
        status: error.status,
        code: error.code ?? null,
        title: error.title ?? null,
        traceId: error.traceId ?? null,
      },
    };
  }
  if (error instanceof VippsUnavailableError && !error.outcomeUnknown) {
    return {
      refused: true,
      code: 'vipps-unavailable',
      message: `Vipps could not be reached. ${TRY_AGAIN_SOON}`,
      answer: { unavailable: true, status: error.lastStatus ?? null },
    };
  }
  if (error instanceof VippsAuthError) {
    return {
      refused: true,
      code: 'vipps-credentials',
      message: `Vipps did not accept the kiosk's keys (HTTP ${error.status}); nothing was refunded. Call support.`,
      answer: { status: error.status, credentials: true },
    };
  }
  if (error instanceof VippsRequestInvalidError) {
    return {
      refused: true,
      code: 'invalid-refund',
      message: `The kiosk would not send this refund (${error.message}); nothing was refunded. Call support.`,
      answer: { invalid: error.field },
    };
  }
  return {
    refused: false,
    message:
      'Vipps has not answered the refund yet. Do not refund this return again: the kiosk asks Vipps until ' +
      'it answers and then writes the Returkvittering. Check the receipt again later.',
    answer: { error: error instanceof Error ? error.message : String(error) },
  };
}

/** What a refused refund keeps as its answer: Vipps' own (status, code, traceId) and the words for it. */
export function refusalAnswer(failure: RefundFailure): Record<string, unknown> {
  return { ...failure.answer, message: failure.message };
}
