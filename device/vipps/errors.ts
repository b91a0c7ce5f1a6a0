import type { ProblemDetails } from '../../contracts/vipps-types.js';

/** Which Vipps call failed, in words a field tech reads in the log: "capture of kiosk7-0000000042-1". */
export interface VippsOperation {
  name: string;
  reference?: string;
}

function describe(op: VippsOperation): string {
  return op.reference ? `${op.name} of ${op.reference}` : op.name;
}

export abstract class VippsError extends Error {
  abstract readonly kind: 'api' | 'unavailable' | 'auth' | 'invalid-request' | 'login';
  readonly operation: VippsOperation;

  constructor(operation: VippsOperation, message: string, options?: ErrorOptions) {
    super(message, options);
    this.operation = operation;
  }
}

/**
 * Vipps answered and said no. The problem+json fields are kept as Vipps sent them so support can
 * find the call by its traceId; `code` is the numeric ErrorCode (e.g. "6080") when there is one.
 */
export class VippsApiError extends VippsError {
  readonly kind = 'api';
  override readonly name = 'VippsApiError';
  readonly status: number;
  readonly code: string | undefined;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  readonly traceId: string | undefined;
  readonly extraDetails: ReadonlyArray<{ name: string; reason: string }>;

  constructor(operation: VippsOperation, status: number, problem: ProblemDetails) {
    const extraDetails = Array.isArray(problem.extraDetails) ? problem.extraDetails : [];
    const code = extraDetails.find((d) => d.name === 'ErrorCode')?.reason;
    const fields = extraDetails
      .filter((d) => d.name !== 'ErrorCode')
      .map((d) => `${d.name}: ${d.reason}`)
      .join('; ');
    const what = [problem.title, problem.detail, fields].filter(Boolean).join(' — ') || 'no details given';
    const tags = [`HTTP ${status}`, code && `code ${code}`, problem.traceId && `traceId ${problem.traceId}`]
      .filter(Boolean)
      .join(', ');
    super(operation, `Vipps refused ${describe(operation)}: ${what} (${tags})`);
    this.status = status;
    this.code = code;
    this.title = problem.title;
    this.detail = problem.detail;
    this.traceId = problem.traceId;
    this.extraDetails = extraDetails;
  }
}

/**
 * Vipps could not be reached or did not answer in time, even after retries. For a call that moves
 * money the outcome is unknown: the payment may or may not have been created/captured, so the
 * caller must GET the payment before deciding anything. It is never a declined payment.
 */
export class VippsUnavailableError extends VippsError {
  readonly kind = 'unavailable';
  override readonly name: string = 'VippsUnavailableError';
  readonly outcomeUnknown: boolean;
  readonly attempts: number;
  readonly lastStatus: number | undefined;

  constructor(
    operation: VippsOperation,
    reason: string,
    details: { outcomeUnknown: boolean; attempts: number; lastStatus?: number; cause?: unknown },
  ) {
    const outcome = details.outcomeUnknown ? '; its outcome is unknown until it is read back from Vipps' : '';
    super(
      operation,
      `Vipps unavailable for ${describe(operation)} after ${details.attempts} attempt(s): ${reason}${outcome}`,
      { cause: details.cause },
    );
    this.outcomeUnknown = details.outcomeUnknown;
    this.attempts = details.attempts;
    this.lastStatus = details.lastStatus;
  }
}

/**
 * A money call whose earlier attempt may have reached Vipps (its answer was lost, or was a 5xx) and whose
 * later attempt was refused. The refusal cannot mean "nothing happened": the first attempt may have done
 * it, so this is an unknown outcome like any other and is resolved by reading the payment back. The
 * refusal is kept as Vipps sent it (status, code, traceId) for support.
 */
export class VippsOutcomeUnknownError extends VippsUnavailableError {
  override readonly name = 'VippsOutcomeUnknownError';
  /** What ended the call: Vipps' refusal, or the credentials problem, of the later attempt. */
  readonly refusal: VippsApiError | VippsAuthError;
  /** The refusal's ErrorCode and traceId, as Vipps sent them (none for a credentials problem). */
  readonly code: string | undefined;
  readonly traceId: string | undefined;

  constructor(operation: VippsOperation, refusal: VippsApiError | VippsAuthError, attempts: number) {
    const tags = [
      `HTTP ${refusal.status}`,
      refusal instanceof VippsApiError && refusal.code && `code ${refusal.code}`,
      refusal instanceof VippsApiError && refusal.traceId && `traceId ${refusal.traceId}`,
    ]
      .filter(Boolean)
      .join(', ');
    super(operation, `an earlier attempt may have reached Vipps, then a retry was refused (${tags})`, {
      outcomeUnknown: true,
      attempts,
      lastStatus: refusal.status,
      cause: refusal,
    });
    this.refusal = refusal;
    this.code = refusal instanceof VippsApiError ? refusal.code : undefined;
    this.traceId = refusal instanceof VippsApiError ? refusal.traceId : undefined;
  }
}

/** Credentials were refused: nothing a retry fixes; a field tech must check the keys. */
export class VippsAuthError extends VippsError {
  readonly kind = 'auth';
  override readonly name = 'VippsAuthError';
  readonly status: number;

  constructor(operation: VippsOperation, status: number, hint: string) {
    super(
      operation,
      `Vipps rejected the kiosk's credentials for ${describe(operation)} (HTTP ${status}): ${hint}`,
    );
    this.status = status;
  }
}

/** A request we refused to send because Vipps would reject it; nothing left the kiosk. */
export class VippsRequestInvalidError extends VippsError {
  readonly kind = 'invalid-request';
  override readonly name = 'VippsRequestInvalidError';
  readonly field: string;

  constructor(operation: VippsOperation, field: string, problem: string, expected: string) {
    super(operation, `Refusing to send ${describe(operation)}: ${field} ${problem}; expected ${expected}`);
    this.field = field;
  }
}
