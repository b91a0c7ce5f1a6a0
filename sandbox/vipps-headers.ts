// The request headers ePayment and the QR API read besides the credentials (API.md §0.1).

import { MSN_PATTERN } from './auth.js';
import { header, type SandboxRequest } from './http.js';
import type { Issue } from './json-shape.js';
import { invalidRequest, ProblemError } from './problem.js';

const SYSTEM_HEADERS = [
  'Vipps-System-Name',
  'Vipps-System-Version',
  'Vipps-System-Plugin-Name',
  'Vipps-System-Plugin-Version',
] as const;
const SYSTEM_HEADER_MAX_LENGTH = 30;
const IDEMPOTENCY_KEY_MAX_LENGTH = 50;

/** The optional Vipps-System-* headers, each at most 30 characters when sent. */
export function systemHeaderIssues(request: SandboxRequest): Issue[] {
  return SYSTEM_HEADERS.flatMap((name) => {
    const value = header(request, name);
    return value !== undefined && value.length > SYSTEM_HEADER_MAX_LENGTH
      ? [{ field: name, reason: `must be at most ${SYSTEM_HEADER_MAX_LENGTH} characters` }]
      : [];
  });
}

export type IdempotencyKeyUse = 'required' | 'accepted' | 'ignored';

export interface EpaymentHeaders {
  readonly merchantSerialNumber: string;
  readonly idempotencyKey: string | null;
}

/**
 * Checks every ePayment header at once, so a client learns all its header mistakes from one answer.
 * A well-formed MSN that is not ours is a permission problem (403), not a malformed request.
 */
export function readEpaymentHeaders(
  request: SandboxRequest,
  /** Whether these API keys may act for the MSN. */
  mayActFor: (merchantSerialNumber: string) => boolean,
  keyUse: IdempotencyKeyUse,
): EpaymentHeaders {
  const issues = systemHeaderIssues(request);
  const msn = header(request, 'Merchant-Serial-Number');
  if (msn === undefined || msn === '') {
    issues.push({ field: 'Merchant-Serial-Number', reason: 'is required' });
  } else if (!MSN_PATTERN.test(msn)) {
    issues.push({ field: 'Merchant-Serial-Number', reason: `must match ${MSN_PATTERN.source}` });
  }
  const key = keyUse === 'ignored' ? undefined : header(request, 'Idempotency-Key');
  if (keyUse === 'required' && (key === undefined || key === '')) {
    issues.push({ field: 'Idempotency-Key', reason: 'is required' });
  } else if (key !== undefined && key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    issues.push({
      field: 'Idempotency-Key',
      reason: `must be at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`,
    });
  }
  if (issues.length > 0 || msn === undefined) throw invalidRequest(issues);
  if (!mayActFor(msn)) {
    throw new ProblemError(403, 'Forbidden', `These API keys may not act for Merchant-Serial-Number ${msn}.`);
  }
  return { merchantSerialNumber: msn, idempotencyKey: key === undefined || key === '' ? null : key };
}
