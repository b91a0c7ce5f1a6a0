import type { TLSSocket } from 'node:tls';
import { Agent, buildConnector, errors as undiciErrors } from 'undici';
import { certificateFingerprint } from '../../contracts/enrolment.js';
import type {
  Enrolment,
  EnrolmentRequest,
  EnrolmentStatus,
  MemberAnswer,
  PaymentRequest,
  Problem,
  ProblemCode,
  Refund,
  RefundRequest,
  Transaction,
  TransactionStatus,
} from '../../contracts/terminal-api.js';
import { isFinalStatus, TERMINAL_BASE_PATH } from '../../contracts/terminal-api.js';

// The typed client of the kiosk's terminal API (contracts/terminal-api.yaml): what a POS needs to take
// Vipps payments through the kiosk. HTTPS is pinned to the certificate fingerprint `vipps-kiosk pos pair`
// printed (the kiosk's certificate is its own, signed by nobody); plain http:// only to a loopback kiosk.

export interface TerminalClientOptions {
  /** The kiosk's URL as `pos pair` printed it, e.g. https://192.168.1.20:8443 */
  url: string;
  /** The pairing token (64 hex digits). */
  token: string;
  /** SHA-256 of the kiosk's certificate (hex, colons allowed); required for https. */
  fingerprint?: string;
  /** How long one call may take before it counts as lost (default 70 s: above the longest long-poll). */
  timeoutMs?: number;
}

/** The kiosk refused the call: `code` is the stable reason (contracts/terminal-api.ts PROBLEM_CODES). */
export class TerminalProblemError extends Error {
  override readonly name = 'TerminalProblemError';
  readonly code: ProblemCode;
  readonly status: number;
  readonly detail: string;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(`${problem.title} (${problem.status} ${problem.code}): ${problem.detail}`);
    this.code = problem.code;
    this.status = problem.status;
    this.detail = problem.detail;
    this.problem = problem;
  }
}

/**
 * The kiosk did not answer (network down, kiosk restarting, certificate not the paired one). A payment
 * POST may still have been taken: repeat it with the same posTransactionId, or GET it.
 */
export class TerminalUnreachableError extends Error {
  override readonly name = 'TerminalUnreachableError';
}

export interface WaitOptions<S extends string = TransactionStatus> {
  /** Answer once the status is no longer this one (or the wait is over). */
  waitForChangeFrom: S;
  /** 1–60, default 30. */
  timeoutSeconds?: number;
}

export class TerminalClient {
  private readonly base: URL;
  private readonly agent: Agent;
  private readonly authorization: string;
  private readonly timeoutMs: number;

  constructor(options: TerminalClientOptions) {
    this.base = new URL(options.url);
    this.authorization = `Bearer ${options.token}`;
    this.timeoutMs = options.timeoutMs ?? 70_000;
    this.agent = new Agent({ connect: connectorFor(this.base, options.fingerprint) });
  }

  /** 201 for a new payment; the same transaction again for a repeat of the same body. */
  createPayment(request: PaymentRequest): Promise<Transaction> {
    return this.call('POST', '/payments', request);
  }

  getPayment(posTransactionId: string, wait?: WaitOptions): Promise<Transaction> {
    return this.call('GET', `/payments/${encodeURIComponent(posTransactionId)}${waitQuery(wait)}`);
  }

  /** Throws TerminalProblemError `too-late` (with `problem.transaction`) once the customer approved. */
  abort(posTransactionId: string): Promise<Transaction> {
    return this.call('POST', `/payments/${encodeURIComponent(posTransactionId)}/abort`);
  }

  refund(posTransactionId: string, request: RefundRequest): Promise<Refund> {
    return this.call('POST', `/payments/${encodeURIComponent(posTransactionId)}/refunds`, request);
  }

  /** A refund as it stands: one left `pending` turns `refunded` (or `refused`) once the kiosk's recovery ran. */
  getRefund(posTransactionId: string, refundId: string): Promise<Refund> {
    return this.call(
      'GET',
      `/payments/${encodeURIComponent(posTransactionId)}/refunds/${encodeURIComponent(refundId)}`,
    );
  }

  checkMember(phoneNumber: string): Promise<MemberAnswer> {
    return this.call('GET', `/club/members/${encodeURIComponent(phoneNumber)}`);
  }

  /**
   * The cashier's "Enrol in the club": a Vipps Login push to the number, the binding code on the customer
   * display. 201 for a new enrolment (already a member: `joined` at once, `alreadyMember`); the same
   * enrolment again for a repeat of the same body.
   */
  startEnrolment(request: EnrolmentRequest): Promise<Enrolment> {
    return this.call('POST', '/club/enrolments', request);
  }

  /** The enrolment as it stands; with `wait`, once its status changed (a long-poll `signal` may end). */
  enrolment(
    enrolmentId: string,
    wait?: WaitOptions<EnrolmentStatus>,
    signal?: AbortSignal,
  ): Promise<Enrolment> {
    return this.call(
      'GET',
      `/club/enrolments/${encodeURIComponent(enrolmentId)}${waitQuery(wait)}`,
      undefined,
      signal,
    );
  }

  /**
   * The kiosk stops waiting for the customer (a login request cannot be withdrawn at Vipps: it stays in
   * the app). One the customer already approved ends `joined`.
   */
  abortEnrolment(enrolmentId: string): Promise<Enrolment> {
    return this.call('POST', `/club/enrolments/${encodeURIComponent(enrolmentId)}/abort`);
  }

  /**
   * Every snapshot of the transaction from now on (the first is where it stands), ending after a final
   * status. Breaking out of the loop closes the stream.
   */
  async *follow(posTransactionId: string, signal?: AbortSignal): AsyncGenerator<Transaction> {
    const response = await this.send(
      'GET',
      `/payments/${encodeURIComponent(posTransactionId)}/events`,
      undefined,
      signal,
      'text/event-stream',
    );
    if (response.statusCode !== 200) throw await refusal(response);
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of response.body) {
      buffered += decoder.decode(chunk as Uint8Array, { stream: true });
      let end = buffered.indexOf('\n\n');
      while (end !== -1) {
        const transaction = eventData(buffered.slice(0, end));
        buffered = buffered.slice(end + 2);
        if (transaction !== undefined) {
          yield transaction;
          if (isFinalStatus(transaction.status)) {
            response.body.destroy();
            return;
          }
        }
        end = buffered.indexOf('\n\n');
      }
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const response = await this.send(method, path, body, signal);
    if (response.statusCode >= 400) throw await refusal(response);
    return (await response.body.json()) as T;
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    signal?: AbortSignal,
    accept = 'application/json',
  ) {
    const url = new URL(`${TERMINAL_BASE_PATH}${path}`, this.base);
    try {
      return await this.agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method,
        headers: {
          authorization: this.authorization,
          accept,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        headersTimeout: this.timeoutMs,
        bodyTimeout: accept === 'text/event-stream' ? 0 : this.timeoutMs,
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (error) {
      if (error instanceof TerminalUnreachableError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof undiciErrors.UndiciError || error instanceof Error) {
        throw new TerminalUnreachableError(`the kiosk at ${this.base.origin} did not answer: ${reason}`);
      }
      throw error;
    }
  }
}

function waitQuery(wait: WaitOptions<string> | undefined): string {
  if (wait === undefined) return '';
  const query = new URLSearchParams({ waitForChangeFrom: wait.waitForChangeFrom });
  if (wait.timeoutSeconds !== undefined) query.set('timeoutSeconds', String(wait.timeoutSeconds));
  return `?${query}`;
}

type Connector = ReturnType<typeof buildConnector>;

/** For https: a TLS connector that lets the connection through only to the pinned certificate. */
function connectorFor(base: URL, fingerprint: string | undefined): Connector {
  if (base.protocol === 'http:') return buildConnector({});
  if (base.protocol !== 'https:') {
    throw new TypeError(`${base.protocol}// is not a way to reach the kiosk's terminal API; use https://`);
  }
  const pinned = fingerprint === undefined ? undefined : certificateFingerprint(fingerprint);
  if (pinned === undefined) {
    throw new TypeError(
      "the kiosk's certificate fingerprint (64 hex digits, as `vipps-kiosk pos pair` printed it) is needed for https",
    );
  }
  // The kiosk's certificate is self-signed: trust comes from the pin, checked before the request is sent.
  // No session resumption: a resumed TLS 1.3 session shows no certificate to check the pin against.
  const tls = buildConnector({ rejectUnauthorized: false, maxCachedSessions: 0 });
  return (options, callback) =>
    tls(options, (error, socket) => {
      if (error !== null) {
        callback(error, null);
        return;
      }
      const seen = certificateFingerprint((socket as TLSSocket).getPeerCertificate().fingerprint256 ?? '');
      if (seen !== pinned) {
        socket.destroy();
        callback(
          new TerminalUnreachableError(
            `the server at ${base.origin} is not the paired kiosk (its certificate differs from the pinned ` +
              'one); nothing was sent. Pair again with `vipps-kiosk pos pair` if the kiosk was reinstalled',
          ),
          null,
        );
        return;
      }
      callback(null, socket);
    });
}

async function refusal(response: { statusCode: number; body: { text(): Promise<string> } }) {
  const text = await response.body.text();
  try {
    const problem = JSON.parse(text) as Problem;
    if (typeof problem.code === 'string') return new TerminalProblemError(problem);
  } catch {
    // Not a problem document (a proxy's page?): said as it came.
  }
  return new TerminalProblemError({
    type: 'about:blank',
    title: 'Unexpected answer',
    status: response.statusCode,
    detail: text.slice(0, 200),
    code: response.statusCode === 401 ? 'unauthorized' : 'invalid-request',
  });
}

/** The Transaction of one SSE event block (`event: transaction`, `data: {...}`); comments are skipped. */
function eventData(block: string): Transaction | undefined {
  const data = block
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trimStart())
    .join('\n');
  return data === '' ? undefined : (JSON.parse(data) as Transaction);
}
