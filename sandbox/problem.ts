// RFC 7807 errors as ePayment answers them (API.md §0.3): field-level validation errors name the field and
// carry no code; domain errors carry `extraDetails: [{ name: "ErrorCode", reason: "6080" }]`. Clients are
// told to branch on status + code, so the titles and details here are free text.

import { randomBytes } from 'node:crypto';
import type { Reply } from './http.js';
import type { Issue } from './json-shape.js';

export interface ExtraDetail {
  readonly name: string;
  readonly reason: string;
}

/**
 * How a refusal may be retried. `later`: a condition that may clear by itself (423, 6160, 6250, 429);
 * whether it is remembered under the Idempotency-Key is a sandbox switch. `same-key`: 6260/6280, which
 * Vipps asks to be retried with the same key, so they are never remembered.
 */
export type Retry = 'later' | 'same-key';

export interface ProblemOptions {
  readonly retry?: Retry;
  readonly headers?: Readonly<Record<string, string>>;
}

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extraDetails: readonly ExtraDetail[] = [],
    readonly options: ProblemOptions = {},
  ) {
    super(`${status} ${title}: ${detail}`);
  }

  get retry(): Retry | undefined {
    return this.options.retry;
  }
}

/** The ePayment domain codes the sandbox uses, with short titles of our own wording. */
const TITLES = {
  '4010': 'Capture idempotency conflict',
  '4020': 'Idempotency key already used',
  '4040': 'Invalid amount',
  '4050': 'Invalid customer token',
  '4060': 'Invalid personal QR',
  '4070': 'Invalid phone number',
  '4080': 'Invalid profile scope',
  '4090': 'Invalid URL',
  '4100': 'Too many metadata entries',
  '4120': 'Metadata key too long',
  '4130': 'Metadata value too long',
  '4140': 'Missing required parameter',
  '4150': 'Reference already exists',
  '5010': 'Blocking payment sources not available',
  '5040': 'Currency not valid for this merchant',
  '5050': 'Long-living payments not allowed',
  '5070': 'Payment cannot be created',
  '5080': 'Push message not allowed',
  '5090': 'Reference not found',
  '6010': 'Amount too small',
  '6020': 'Refund before reservation',
  '6040': 'Cannot cancel a captured payment',
  '6060': 'Cannot cancel an authorized payment',
  '6080': 'Cannot capture before reservation',
  '6090': 'Capture amount too high',
  '6150': 'Refund amount too high',
  '6160': 'Payment is locked by another operation',
  '6190': 'Payment cannot be cancelled',
  '6250': 'Cannot cancel a payment being processed',
  '6260': 'Funds not available',
  '6280': 'Capture failed, please try again later',
  '7010': 'Customer not found',
  '10020': 'Approve not allowed',
} as const;

export type ErrorCode = keyof typeof TITLES;

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(TITLES, code);
}

export interface DomainProblemOptions extends ProblemOptions {
  readonly status?: number;
  readonly title?: string;
}

export function domainProblem(
  code: ErrorCode,
  detail: string,
  options: DomainProblemOptions = {},
): ProblemError {
  const { status = 400, title = TITLES[code], ...rest } = options;
  return new ProblemError(status, title, detail, [{ name: 'ErrorCode', reason: code }], rest);
}

/**
 * Plain field errors are reported together, like a model-validation failure; only when every issue carries
 * a domain code does the first of those decide the answer, since a problem holds a single ErrorCode.
 */
export function invalidRequest(issues: readonly Issue[]): ProblemError {
  const plain = issues.filter((entry) => entry.errorCode === undefined);
  const coded = issues.find((entry) => entry.errorCode !== undefined);
  if (plain.length === 0 && coded?.errorCode !== undefined && isErrorCode(coded.errorCode)) {
    return domainProblem(coded.errorCode, `${coded.field} ${coded.reason}.`);
  }
  const reported = plain.length > 0 ? plain : issues;
  return new ProblemError(
    400,
    'Bad Request',
    `One or more fields are invalid: ${reported.map((entry) => `${entry.field} ${entry.reason}`).join('; ')}.`,
    reported.map((entry) => ({ name: entry.field, reason: entry.reason })),
  );
}

/** Looks like a W3C traceparent, as the real traceIds do; unique per answer. */
export function newTraceId(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

export function renderProblem(problem: ProblemError, instance: string): Reply {
  const body: Record<string, unknown> = {
    type: `https://httpstatuses.io/${problem.status}`,
    title: problem.title,
    detail: problem.detail,
    instance,
    status: problem.status,
    traceId: newTraceId(),
  };
  if (problem.extraDetails.length > 0) body['extraDetails'] = problem.extraDetails;
  return {
    status: problem.status,
    body,
    contentType: 'application/problem+json; charset=utf-8',
    headers: problem.options.headers,
  };
}

/** A problem with any Vipps code (fault rules may name codes the sandbox never produces by itself). */
export function codedProblem(
  code: string,
  status: number,
  detail: string,
  headers?: Readonly<Record<string, string>>,
): ProblemError {
  const title = isErrorCode(code) ? TITLES[code] : `Error ${code}`;
  return new ProblemError(status, title, detail, [{ name: 'ErrorCode', reason: code }], { headers });
}
