import { Pool, errors as undiciErrors } from 'undici';
import type { Logger } from '../../common/log/logger.js';
import type { ProblemDetails } from '../../contracts/vipps-types.js';
import {
  VippsApiError,
  VippsAuthError,
  type VippsError,
  type VippsOperation,
  VippsOutcomeUnknownError,
  VippsUnavailableError,
} from './errors.js';
import {
  backoffDelayMs,
  DEFAULT_DEADLINE_MS,
  DEFAULT_MAX_RETRY_AFTER_MS,
  isRetryableStatus,
  parseRetryAfterMs,
  type RetryPolicy,
} from './retry.js';

/** Sent on every call so Vipps can tell our kiosks apart from other integrations (max 30 chars each). */
export interface SystemHeaders {
  systemName: string;
  systemVersion: string;
  pluginName: string;
  pluginVersion: string;
}

export interface VippsHttpOptions {
  baseUrl: string;
  subscriptionKey: string;
  merchantSerialNumber: string;
  system: SystemHeaders;
  retry: RetryPolicy;
  connectTimeoutMs: number;
  logger: Logger;
  /** Told of every call as a whole (retries included), for the health figures HQ sees. */
  observe?: (sample: CallSample) => void;
  /** Injected so retry tests run on a simulated clock. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface CallSample {
  operation: string;
  ms: number;
  ok: boolean;
}

/** Where the bearer token comes from; `invalidate` drops a token Vipps no longer accepts. */
export interface BearerTokenSource {
  get(): Promise<string>;
  invalidate(token: string): void;
}

export interface VippsCall {
  operation: VippsOperation;
  method: 'GET' | 'POST' | 'DELETE';
  /** A path on the base URL, or an absolute URL (Vipps Login endpoints come from discovery). */
  path: string;
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded instead of a JSON body (Vipps Login). */
  form?: Record<string, string>;
  /**
   * Which common headers identify the kiosk: the sales unit's subscription key with its MSN and the
   * system headers (merchant APIs, the default), or the MSN and system headers without the key (Vipps
   * Login, which takes no subscription key, and userinfo unless configured to send it; API.md §6).
   */
  identify?: 'sales-unit' | 'merchant';
  /**
   * Non-2xx statuses the caller reads itself (OAuth errors such as `authorization_pending`) instead of
   * having them retried or thrown; only when the body is a JSON object, else the usual handling applies.
   */
  reads?: readonly number[];
  idempotencyKey?: string;
  /** Budget for one attempt, connection to last byte. */
  timeoutMs: number;
  /**
   * Whether the call changes state at Vipps: if so, a lost answer leaves the outcome unknown, and so does
   * every later failure of the call. Without an Idempotency-Key it is then not repeated at all.
   */
  mutating: boolean;
  /** A call Vipps offers no Idempotency-Key for, where a repeat could do it twice: one attempt only. */
  once?: boolean;
  bearer?: BearerTokenSource;
  extraHeaders?: Record<string, string>;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A parsed answer with its status and headers, for callers that need more than the body. */
export interface VippsAnswer<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The one door to Vipps: a keep-alive pool per origin, the common headers, per-attempt timeouts,
 * retries with the same Idempotency-Key, and problem+json mapped to typed errors.
 */
export class VippsHttp {
  private readonly pools = new Map<string, Pool>();
  private readonly options: VippsHttpOptions;

  constructor(options: VippsHttpOptions) {
    this.options = options;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  /** Sends the call, retrying what Vipps says may be retried, and returns the parsed 2xx body. */
  async send<T>(call: VippsCall): Promise<T> {
    return (await this.sendForAnswer<T>(call)).body;
  }

  /** As send, with the status and headers: a 2xx, or one of the statuses the call `reads`. */
  async sendForAnswer<T>(call: VippsCall): Promise<VippsAnswer<T>> {
    const started = performance.now();
    try {
      const answer = await this.sendWithRetries<T>(call);
      this.options.observe?.({ operation: call.operation.name, ms: performance.now() - started, ok: true });
      return answer;
    } catch (error) {
      this.options.observe?.({ operation: call.operation.name, ms: performance.now() - started, ok: false });
      throw error;
    }
  }

  private async sendWithRetries<T>(call: VippsCall): Promise<VippsAnswer<T>> {
    const { retry } = this.options;
    const sleep = this.options.sleep ?? defaultSleep;
    const random = this.options.random ?? Math.random;
    const now = this.options.now ?? Date.now;
    const deadline = now() + (retry.deadlineMs ?? DEFAULT_DEADLINE_MS);
    let lastReason = '';
    let lastStatus: number | undefined;
    let lastCause: unknown;
    let renewedToken = false;
    // Once an attempt of a mutating call may have reached Vipps, a later refusal cannot mean "nothing
    // happened": the earlier attempt may have done it (issue 14, item 1).
    let mayHaveReached = false;
    const maxAttempts = call.once ? 1 : retry.maxAttempts;
    const refused = (refusal: VippsApiError | VippsAuthError, attempt: number): VippsError =>
      call.mutating && mayHaveReached
        ? new VippsOutcomeUnknownError(call.operation, refusal, attempt)
        : refusal;
    let attempt = 1;

    for (; attempt <= maxAttempts; attempt++) {
      const token = call.bearer ? await call.bearer.get() : undefined;
      let answer: Answer;
      try {
        answer = await this.exchange(call, token);
      } catch (error) {
        lastReason = describeNetworkError(error, call.timeoutMs);
        lastStatus = undefined;
        lastCause = error;
        if (!neverSent(error)) mayHaveReached = true;
        this.options.logger.warn('Vipps call failed on the network', {
          op: call.operation.name,
          attempt,
          reason: lastReason,
        });
        if (attempt >= maxAttempts || mustNotRepeat(call, mayHaveReached)) break;
        if (!(await this.waitBeforeRetry(backoffDelayMs(retry, attempt, random), deadline, sleep, now)))
          break;
        continue;
      }

      if (answer.status >= 200 && answer.status < 300) {
        return { status: answer.status, headers: answer.headers, body: parseBody<T>(answer, call) };
      }
      const read = call.reads?.includes(answer.status) ? jsonObjectOf(answer.text) : undefined;
      if (read !== undefined) return { status: answer.status, headers: answer.headers, body: read as T };

      if (answer.status === 401 && call.bearer && token !== undefined && !renewedToken) {
        // An access token can be revoked before its stated expiry; fetch a new one and try once more.
        call.bearer.invalidate(token);
        renewedToken = true;
        attempt--;
        continue;
      }
      if (answer.status === 401 || (answer.status === 403 && isApimAnswer(answer))) {
        throw refused(new VippsAuthError(call.operation, answer.status, authHint(answer)), attempt);
      }
      if (!isRetryableStatus(answer.status)) {
        throw refused(new VippsApiError(call.operation, answer.status, problemOf(answer)), attempt);
      }
      // A 5xx may come after the work was done; 423 and 429 say Vipps did not take the call in.
      if (answer.status >= 500) mayHaveReached = true;

      lastStatus = answer.status;
      lastReason = `HTTP ${answer.status}${problemOf(answer).title ? ` ${problemOf(answer).title}` : ''}`;
      if (attempt >= maxAttempts || mustNotRepeat(call, mayHaveReached)) break;
      const retryAfterMs = parseRetryAfterMs(headerValue(answer.headers['retry-after']), now());
      const delay = Math.max(
        backoffDelayMs(retry, attempt, random),
        Math.min(retryAfterMs ?? 0, retry.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS),
      );
      this.options.logger.warn('Vipps asked us to retry', {
        op: call.operation.name,
        status: answer.status,
        attempt,
        retryInMs: delay,
      });
      if (!(await this.waitBeforeRetry(delay, deadline, sleep, now))) break;
    }

    const attempts = Math.min(attempt, maxAttempts);
    const gaveUp =
      attempt >= maxAttempts || mustNotRepeat(call, mayHaveReached)
        ? ''
        : '; no time left for another attempt';
    throw new VippsUnavailableError(call.operation, `${lastReason}${gaveUp}`, {
      // Only 423s, 429s and connections never made: Vipps took nothing in.
      outcomeUnknown: call.mutating && mayHaveReached,
      attempts,
      lastStatus,
      cause: lastCause,
    });
  }

  /** Sleeps before the next attempt unless that attempt would start after the call's deadline. */
  private async waitBeforeRetry(
    delayMs: number,
    deadline: number,
    sleep: (ms: number) => Promise<void>,
    now: () => number,
  ): Promise<boolean> {
    if (now() + delayMs >= deadline) return false;
    await sleep(delayMs);
    return true;
  }

  private async exchange(call: VippsCall, token: string | undefined): Promise<Answer> {
    const url = new URL(call.path, this.options.baseUrl);
    const pool = this.pool(url.origin);
    const headers: Record<string, string> = {
      ...this.identifyingHeaders(call.identify ?? 'sales-unit'),
      accept: 'application/json',
      ...call.extraHeaders,
    };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (call.idempotencyKey !== undefined) headers['idempotency-key'] = call.idempotencyKey;
    let body: string | undefined;
    if (call.form !== undefined) {
      body = new URLSearchParams(call.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    const started = performance.now();
    const response = await pool.request({
      method: call.method,
      path: url.pathname + url.search,
      headers,
      body,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.timeoutMs,
      signal: AbortSignal.timeout(call.timeoutMs),
    });
    const text = await response.body.text();
    this.options.logger.debug('Vipps call', {
      op: call.operation.name,
      ref: call.operation.reference,
      status: response.statusCode,
      ms: Math.round(performance.now() - started),
    });
    return { status: response.statusCode, headers: response.headers, text };
  }

  private identifyingHeaders(identify: NonNullable<VippsCall['identify']>): Record<string, string> {
    const merchant = {
      'merchant-serial-number': this.options.merchantSerialNumber,
      'vipps-system-name': this.options.system.systemName,
      'vipps-system-version': this.options.system.systemVersion,
      'vipps-system-plugin-name': this.options.system.pluginName,
      'vipps-system-plugin-version': this.options.system.pluginVersion,
    };
    if (identify === 'merchant') return merchant;
    return { 'ocp-apim-subscription-key': this.options.subscriptionKey, ...merchant };
  }

  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: 8,
        keepAliveTimeout: 30_000,
        connect: { timeout: this.options.connectTimeoutMs },
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }
}

function parseBody<T>(answer: Answer, call: VippsCall): T {
  if (answer.text === '') return undefined as T;
  try {
    return JSON.parse(answer.text) as T;
  } catch (error) {
    // A 2xx with a body we cannot read: the operation probably happened, so for a money call we
    // must not guess; report it as unknown and let the caller read the payment back.
    throw new VippsUnavailableError(call.operation, `HTTP ${answer.status} with a body that is not JSON`, {
      outcomeUnknown: call.mutating,
      attempts: 1,
      lastStatus: answer.status,
      cause: error,
    });
  }
}

function jsonObjectOf(text: string): object | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function problemOf(answer: Answer): ProblemDetails {
  const parsed = jsonObjectOf(answer.text);
  if (parsed !== undefined) return parsed as ProblemDetails;
  // Not JSON: gateways answer with HTML or plain text; keep a short excerpt as the detail.
  const excerpt = answer.text.trim().slice(0, 200);
  return { title: `HTTP ${answer.status}`, ...(excerpt ? { detail: excerpt } : {}) };
}

/** Azure API Management, in front of Vipps, answers auth failures as `{statusCode, message}`. */
function isApimAnswer(answer: Answer): boolean {
  return /"statusCode"\s*:/.test(answer.text) && /"message"\s*:/.test(answer.text);
}

function authHint(answer: Answer): string {
  const text = answer.text;
  if (/subscription key/i.test(text)) {
    return 'the subscription key (Ocp-Apim-Subscription-Key) is missing or wrong for this sales unit';
  }
  if (/invalid_client|unauthorized_client|client/i.test(text)) {
    return 'the client id or client secret is wrong, or belongs to another environment (test vs production)';
  }
  return 'check the client id, client secret, subscription key and merchant serial number in secrets.json';
}

/**
 * A call that changes state at Vipps without an Idempotency-Key (a Vipps Login start, a token poll) is
 * not repeated once an attempt may have reached Vipps: a repeat would do it again, or meet the answer to
 * the first (tokens are handed out once), so the caller decides what a lost answer means.
 */
function mustNotRepeat(call: VippsCall, mayHaveReached: boolean): boolean {
  return call.mutating && call.idempotencyKey === undefined && mayHaveReached;
}

/** Failures before the request left the kiosk: nothing can have reached Vipps. */
function neverSent(error: unknown): boolean {
  if (error instanceof undiciErrors.ConnectTimeoutError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError ||
    (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
  ) {
    return `no answer within ${timeoutMs} ms`;
  }
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}
