import { Pool } from 'undici';
import { z } from 'zod';
import { Backoff, type BackoffOptions } from '../../common/backoff.js';
import { type Logger, silentLogger } from '../../common/log/logger.js';
import { maskMsisdn } from '../../common/log/mask.js';
import type { Member } from '../checkout/domain/member.js';
import { type Club, ClubUnavailableError, type Enrolment } from './club.js';
import { CrmQueue, type QueuedEnrolment } from './crm-queue.js';

export interface HttpClubOptions {
  /** The CRM's club API, e.g. https://crm.example.com/club/v1 (see README.md in this folder). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer`. */
  token: string;
  /** Budget for one request, connection to last byte. */
  timeoutMs: number;
  /** The durable queue of enrolments the CRM has not confirmed, normally `{stateDir}/club-crm-queue.sqlite`. */
  queuePath: string;
  logger?: Logger;
  /** Delays between delivery rounds while the CRM does not take enrolments. */
  backoff?: BackoffOptions;
}

/** The queue's figures since start, for health. */
export interface CrmDeliveryStats {
  queued: number;
  delivered: number;
  /** Enrolments the CRM refused for good (a 4xx), dropped from the queue. */
  refused: number;
}

export const CRM_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 300_000 };

// What the CRM answers for a member (README.md); it may add fields of its own.
const memberShape = z.looseObject({
  sub: z.string().min(1),
  msisdn: z.string().regex(/^\d{10,15}$/),
  since: z.iso.datetime({ offset: true }),
});

type Delivery =
  | { kind: 'delivered'; member: Member }
  /** Not delivered now (CRM down, slow, 5xx, 408, 429, our token refused): stays queued. */
  | { kind: 'later' }
  | { kind: 'refused'; reason: string }
  /** No longer queued: delivered by an earlier round, or forgotten. */
  | { kind: 'gone' };

interface Answer {
  status: number;
  text: string;
}

/**
 * The club kept in a merchant's CRM over HTTP. A lookup the CRM cannot answer in time is a
 * ClubUnavailableError (the customer pays at shelf prices); an enrolment it cannot take now is kept in a
 * durable queue and delivered in the background, with capped exponential backoff and jitter, until the CRM
 * accepts or refuses it for good. While queued, the customer is already a member to this kiosk.
 */
export class HttpClub implements Club {
  private readonly logger: Logger;
  private readonly base: URL;
  private readonly backoff: Backoff;
  private queue: CrmQueue | undefined;
  private pool: Pool | undefined;
  private abort = new AbortController();
  private retryTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  // Every write to the CRM runs here, one at a time, so an enrolment is never in flight twice.
  private writing: Promise<unknown> = Promise.resolve();
  private delivered = 0;
  private refused = 0;

  constructor(private readonly options: HttpClubOptions) {
    this.logger = options.logger ?? silentLogger;
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.backoff = new Backoff(options.backoff ?? CRM_BACKOFF);
  }

  async start(): Promise<void> {
    if (this.queue) return;
    try {
      this.queue = CrmQueue.open(this.options.queuePath);
    } catch (error) {
      throw new ClubUnavailableError(
        `The CRM enrolment queue ${this.options.queuePath} cannot be opened (${(error as Error).message}). ` +
          'Check the disk and the state directory; do not delete the file, it may hold members the CRM has not received yet.',
        { cause: error },
      );
    }
    this.stopping = false;
    this.abort = new AbortController();
    this.pool = new Pool(this.base.origin, {
      connections: 4,
      keepAliveTimeout: 30_000,
      connect: { timeout: this.options.timeoutMs },
    });
    // Left over from before a restart: try after a first backoff step rather than at once, so a kiosk
    // that boots while the CRM is still down does not wait on it during startup.
    if (this.queue.depth() > 0) this.retryLater();
  }

  /** Ends the delivery loop (an enrolment in flight stays queued) and closes the connections and the queue. */
  async stop(): Promise<void> {
    if (!this.queue) return;
    this.stopping = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.abort.abort();
    await this.writing;
    await this.pool?.destroy();
    this.pool = undefined;
    this.queue.close();
    this.queue = undefined;
  }

  stats(): CrmDeliveryStats {
    return { queued: this.queue?.depth() ?? 0, delivered: this.delivered, refused: this.refused };
  }

  async lookup(msisdn: string): Promise<Member | null> {
    const queued = this.open().byMsisdn(msisdn);
    if (queued) return memberOf(queued.enrolment);
    const answer = await this.ask('GET', `members?msisdn=${encodeURIComponent(msisdn)}`, 'look up');
    if (answer.status === 404) return null;
    if (answer.status !== 200) throw this.unavailable('look up', describeStatus(answer));
    const member = parseMember(answer.text);
    if (!member || member.msisdn !== msisdn) {
      throw this.unavailable('look up', `HTTP 200 with a body that is not the member asked for`);
    }
    return member;
  }

  async enrol(enrolment: Enrolment): Promise<Member> {
    const queued = this.open().add(enrolment);
    // A delivery round is waiting for the CRM to come back: do not make the customer wait on it too.
    if (this.retryTimer !== undefined) return memberOf(enrolment);
    const outcome = await this.serially(() => this.deliver(queued.id));
    switch (outcome.kind) {
      case 'delivered':
        return outcome.member;
      case 'refused':
        throw new ClubUnavailableError(`The CRM refused to enrol the customer: ${outcome.reason}`);
      case 'later':
        this.retryLater();
        return memberOf(enrolment);
      case 'gone':
        return memberOf(enrolment);
    }
  }

  /**
   * Deletes a queued enrolment for this number and the member at the CRM. Throws ClubUnavailableError when
   * the CRM cannot be asked; the queued enrolment is gone even then.
   */
  async forget(msisdn: string): Promise<boolean> {
    return this.serially(async () => {
      const unqueued = this.open().forget(msisdn) > 0;
      const deleted = await this.deleteAtCrm(msisdn, unqueued);
      return unqueued || deleted;
    });
  }

  private async deleteAtCrm(msisdn: string, unqueued: boolean): Promise<boolean> {
    const pending = unqueued ? ' (its enrolment that was still waiting for the CRM is deleted)' : '';
    let answer: Answer;
    try {
      answer = await this.request('DELETE', `members?msisdn=${encodeURIComponent(msisdn)}`);
    } catch (error) {
      throw this.unavailable('forget', `${describeNetworkError(error, this.options.timeoutMs)}${pending}`);
    }
    if (answer.status === 204 || answer.status === 200) return true;
    if (answer.status === 404) return false;
    throw this.unavailable('forget', `${describeStatus(answer)}${pending}`);
  }

  /** Sends one queued enrolment and settles its row according to the CRM's answer. */
  private async deliver(id: number): Promise<Delivery> {
    const queue = this.open();
    const item = queue.get(id);
    if (!item) return { kind: 'gone' };
    const { enrolment } = item;
    const masked = maskMsisdn(enrolment.msisdn);
    let answer: Answer;
    try {
      answer = await this.request(
        'PUT',
        `members/${encodeURIComponent(enrolment.sub)}`,
        wireEnrolment(enrolment),
      );
    } catch (error) {
      const reason = this.stopping
        ? 'the kiosk stopped before the CRM answered'
        : describeNetworkError(error, this.options.timeoutMs);
      return this.notYet(item, reason);
    }
    if (answer.status === 200 || answer.status === 201) {
      if (!queue.remove(id)) {
        // Forgotten while this PUT was in flight (here or by `vipps-kiosk club forget`): undo it.
        await this.deleteAtCrm(enrolment.msisdn, false).catch((error: Error) =>
          this.logger.error(
            'a member forgotten during their enrolment may still be in the CRM; run club forget again',
            {
              msisdn: masked,
              reason: error.message,
            },
          ),
        );
        return { kind: 'gone' };
      }
      this.delivered += 1;
      this.backoff.reset();
      this.logger.info('the CRM has the new member', { msisdn: masked, attempts: item.attempts + 1 });
      return { kind: 'delivered', member: parseMember(answer.text) ?? memberOf(enrolment) };
    }
    if (isWorthRetrying(answer.status)) return this.notYet(item, describeStatus(answer));
    queue.remove(id);
    this.refused += 1;
    const reason = describeStatus(answer);
    this.logger.error(
      'the CRM refused an enrolment for good; it is dropped and the customer is not a member there',
      {
        msisdn: masked,
        reason,
      },
    );
    return { kind: 'refused', reason };
  }

  private notYet(item: QueuedEnrolment, reason: string): Delivery {
    this.open().failed(item.id, reason);
    this.logger.warn('the CRM did not take an enrolment; it stays queued and is retried', {
      msisdn: maskMsisdn(item.enrolment.msisdn),
      attempts: item.attempts + 1,
      reason,
    });
    return { kind: 'later' };
  }

  /** Delivers the queue oldest first; stops at the first enrolment the CRM does not take now. */
  private async drain(): Promise<void> {
    for (let item = this.queue?.next(); item && !this.stopping; item = this.queue?.next()) {
      if ((await this.deliver(item.id)).kind === 'later') {
        this.retryLater();
        return;
      }
    }
  }

  private retryLater(): void {
    if (this.stopping || this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.serially(() => this.drain());
    }, this.backoff.next());
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writing.then(work);
    this.writing = run.catch(() => {});
    return run;
  }

  private async ask(method: 'GET', path: string, what: string): Promise<Answer> {
    try {
      return await this.request(method, path);
    } catch (error) {
      throw this.unavailable(what, describeNetworkError(error, this.options.timeoutMs));
    }
  }

  private async request(method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Answer> {
    const pool = this.pool;
    if (!pool) throw new ClubUnavailableError('the CRM club is not started (start() was not called)');
    const url = new URL(path, this.base);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.token}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const timeout = this.options.timeoutMs;
    const response = await pool.request({
      method,
      path: url.pathname + url.search,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: timeout,
      bodyTimeout: timeout,
      signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(timeout)]),
    });
    return { status: response.statusCode, text: await response.body.text() };
  }

  private unavailable(what: string, reason: string): ClubUnavailableError {
    return new ClubUnavailableError(`The CRM at ${this.base.origin} could not ${what} the member: ${reason}`);
  }

  private open(): CrmQueue {
    if (!this.queue) throw new ClubUnavailableError('the CRM club is not started (start() was not called)');
    return this.queue;
  }
}

/** The CRM is down or busy, or does not accept our token: none of these is about this customer. */
function isWorthRetrying(status: number): boolean {
  return status >= 500 || status === 408 || status === 429 || status === 401 || status === 403;
}

function memberOf(enrolment: Enrolment): Member {
  return { sub: enrolment.sub, msisdn: enrolment.msisdn, since: enrolment.enrolledAt };
}

function parseMember(text: string): Member | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = memberShape.safeParse(json);
  return parsed.success
    ? { sub: parsed.data.sub, msisdn: parsed.data.msisdn, since: Date.parse(parsed.data.since) }
    : undefined;
}

/** The PUT body of README.md: the enrolment with times as ISO 8601 and `sub` in the path. */
function wireEnrolment(enrolment: Enrolment): Record<string, unknown> {
  return {
    msisdn: enrolment.msisdn,
    claims: enrolment.claims,
    consents: enrolment.consents,
    consentedAt: new Date(enrolment.consentedAt).toISOString(),
    enrolledAt: new Date(enrolment.enrolledAt).toISOString(),
    kioskId: enrolment.kioskId,
  };
}

/**
 * The CRM's answer in words for the log and the queue file. Only the status and an error *code* from a
 * JSON body: a CRM's error text often repeats the enrolment (a name, an e-mail), which must stay out.
 */
function describeStatus(answer: Answer): string {
  const hint =
    answer.status === 401 || answer.status === 403 ? ' (the CRM does not accept secrets.club.crmToken)' : '';
  const code = errorCodeOf(answer.text);
  return `HTTP ${answer.status}${hint}${code ? `: ${code}` : ''}`;
}

function errorCodeOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: unknown; code?: unknown };
    const code = body.error ?? body.code;
    return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (
    error instanceof Error &&
    /timeout|abort/i.test(`${error.name} ${(error as { code?: string }).code ?? ''}`)
  ) {
    return `no answer within ${timeoutMs} ms`;
  }
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}
