export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * Cap on a `Retry-After` Vipps sends: a kiosk with a customer waiting does not sleep for an hour. Vipps
   * counts its rate limits per minute (API.md §0.4), so up to a minute is honoured by default.
   */
  maxRetryAfterMs?: number;
  /** No attempt starts later than this after the first one: every retry loop ends. */
  deadlineMs?: number;
}

export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
export const DEFAULT_DEADLINE_MS = 120_000;

/** Statuses where Vipps asks us to come back: server trouble, a locked resource, rate limiting. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 423 || status === 429;
}

/**
 * Capped exponential backoff with "equal jitter": half the step is fixed so retries never bunch up
 * at zero, the other half is random so a fleet of kiosks does not retry in lockstep.
 */
export function backoffDelayMs(policy: RetryPolicy, failures: number, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** `Retry-After` is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
