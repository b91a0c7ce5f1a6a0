import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../common/log/logger.js';
import type { RelayRegistration } from '../../common/relay-secrets.js';
import { relayedEvent, type WebhookEvent, webhookEventShape } from '../../contracts/relayed-event.js';
import {
  type SignatureFailure,
  VIPPS_RETRY_WINDOW_MS,
  verifyDelivery,
  type WebhookSecret,
} from '../../contracts/webhook-signature.js';
import { FailureLimiter } from './failure-limiter.js';
import { RecentEvents } from './recent-events.js';
import { RejectionLog } from './rejection-log.js';
import type { RelayPublisher } from './relay-publisher.js';

export interface WebhookRelayOptions {
  host: string;
  port: number;
  registrations: readonly RelayRegistration[];
  /** How far the sender's clock may be from ours (x-ms-date ahead, or beyond Vipps' 7 days of retries). */
  maxSkewMs: number;
  maxBodyBytes: number;
  /** Events remembered to drop Vipps' copies within 7 days; the oldest are forgotten first. */
  rememberedEvents?: number;
  /** Failed signatures a sender address may have per minute before the next ones are answered 429. */
  failedSignaturesPerMinute?: number;
  /** How often refused deliveries are summed up in one log line. */
  rejectionLogIntervalMs?: number;
  logger: Logger;
  now?: () => number;
}

/** About 150 bytes each (measured): at most ~30 MB, room for ~14,000 payments a day (README, "Replays"). */
export const DEFAULT_REMEMBERED_EVENTS = 200_000;
export const DEFAULT_FAILED_SIGNATURES_PER_MINUTE = 30;

interface Candidate extends WebhookSecret {
  readonly msn: string;
  readonly pathAndQuery: string;
}

export interface RelayStats {
  /** Verified events published (or handed to the publisher). */
  accepted: number;
  /** Verified copies of an event published in the last 7 days: answered 200, not published again. */
  duplicates: number;
  /** Authentic deliveries the relay cannot use, by reason: answered 200 so Vipps' queue moves on. */
  unusable: Record<string, number>;
  /** Deliveries refused (not authentic, too large, broker away), by reason. */
  rejected: Record<string, number>;
}

/**
 * HQ's receiver of Vipps webhooks (TLS ends in front of it). Each delivery is verified against the
 * registrations' secrets and the *registered* URLs, answered at once (200, or 503 while the broker is
 * away so that Vipps tries again later), and then published to `vk/v1/vipps/{msn}/payments/{reference}`.
 * An authentic delivery is never refused for its content: Vipps would retry it for 7 days and hold back
 * the later events behind it. Between requests it keeps counters, the ids of recent events and the
 * failed-signature counts, all in bounded memory; any number of replicas can share one URL.
 */
export class WebhookRelay {
  private server: Server | undefined;
  private candidates: Candidate[] = [];
  private accepted = 0;
  private duplicates = 0;
  private readonly unusable: Record<string, number> = {};
  private readonly rejected: Record<string, number> = {};
  private readonly recent: RecentEvents;
  private readonly failures: FailureLimiter;
  private readonly rejections: RejectionLog;

  constructor(
    private readonly options: WebhookRelayOptions,
    private readonly publisher: RelayPublisher,
  ) {
    this.recent = new RecentEvents(
      VIPPS_RETRY_WINDOW_MS,
      options.rememberedEvents ?? DEFAULT_REMEMBERED_EVENTS,
    );
    this.failures = new FailureLimiter(
      options.failedSignaturesPerMinute ?? DEFAULT_FAILED_SIGNATURES_PER_MINUTE,
    );
    this.rejections = new RejectionLog(options.logger, options.rejectionLogIntervalMs);
  }

  async start(): Promise<string> {
    this.candidates = this.options.registrations.map((registration) => {
      const url = new URL(registration.url);
      return {
        url,
        secret: registration.secret,
        msn: registration.msn,
        pathAndQuery: url.pathname + url.search,
      };
    });
    this.publisher.start();
    this.rejections.start();
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.options.logger.error('webhook delivery failed inside the relay', { error: String(error) });
        if (!response.headersSent) answer(response, 500, { error: 'relay failure' });
      });
    });
    // Vipps gives up after 10 s; a sender slower than that is not Vipps and may not hold a socket.
    server.requestTimeout = 10_000;
    server.headersTimeout = 10_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const host = this.options.host === '0.0.0.0' ? '127.0.0.1' : this.options.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    this.rejections.stop();
    await this.publisher.stop();
  }

  stats(): RelayStats {
    return {
      accepted: this.accepted,
      duplicates: this.duplicates,
      unusable: { ...this.unusable },
      rejected: { ...this.rejected },
    };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = request.url ?? '/';
    if (path === '/healthz' && request.method === 'GET') {
      // 503 takes a replica that cannot publish out of the load balancer's rotation. Nothing else: the
      // path is as public as the relay, and counters would tell a forger how its attempts fare. The
      // counts are in the relay's log (one line per minute of refusals) and in stats().
      const ok = this.publisher.connected;
      answer(response, ok ? 200 : 503, { status: ok ? 'ok' : 'not ok' });
      return;
    }
    if (request.method !== 'POST') {
      answer(response, 405, { error: 'webhook deliveries are POSTs' }, { allow: 'POST' });
      return;
    }
    const body = await readLimited(request, this.options.maxBodyBytes);
    if (body === undefined) {
      this.refuse(request, response, 413, 'body-too-large');
      return;
    }
    const now = (this.options.now ?? Date.now)();
    const verdict = verifyDelivery(
      this.candidatesFor(path),
      {
        date: headerOf(request, 'x-ms-date'),
        contentSha256: headerOf(request, 'x-ms-content-sha256'),
        authorization: headerOf(request, 'authorization'),
      },
      body,
      { now, maxSkewMs: this.options.maxSkewMs },
    );
    if (!verdict.ok) {
      const waitSeconds = this.failures.fail(request.socket.remoteAddress ?? 'unknown', now);
      if (waitSeconds !== undefined) {
        this.refuse(request, response, 429, 'too-many-failed-signatures', {
          'retry-after': String(waitSeconds),
        });
        return;
      }
      this.refuse(request, response, verdict.failure === 'malformed-date' ? 400 : 401, verdict.failure);
      return;
    }
    const event = readEvent(body);
    if (!event.ok) {
      this.acceptUnusable(response, event.reason);
      return;
    }
    // A secret of one sales unit must not speak for another: its topic belongs to other kiosks.
    if (event.data.msn !== verdict.registration.msn) {
      this.acceptUnusable(response, 'msn-not-registered-here');
      return;
    }
    const relayed = relayedEvent(event.data);
    if (this.recent.has(relayed.id, now)) {
      this.duplicates += 1;
      answer(response, 200, { received: true });
      return;
    }
    if (!this.publisher.connected) {
      this.refuse(request, response, 503, 'broker-unreachable', { 'retry-after': '60' });
      return;
    }
    this.accepted += 1;
    this.recent.remember(relayed.id, now);
    answer(response, 200, { received: true });
    try {
      await this.publisher.publish(relayed);
    } catch (error) {
      // Forgotten again, so a later copy of the same event is published rather than dropped.
      this.recent.forget(relayed.id);
      this.options.logger.error('a verified webhook could not be published; the kiosk finds out by polling', {
        reference: event.data.reference,
        event: event.data.name,
        error: String(error),
      });
    }
  }

  /** Answers 200 to an authentic delivery it cannot use, and counts it: a 4xx would stall Vipps' queue. */
  private acceptUnusable(response: ServerResponse, reason: UnusableReason): void {
    this.unusable[reason] = (this.unusable[reason] ?? 0) + 1;
    this.options.logger.warn('authentic webhook delivery the relay cannot use; answered 200', { reason });
    answer(response, 200, { received: true, relayed: false, reason });
  }

  /** The registrations of the URL that was hit, or all of them when a proxy rewrote the path. */
  private candidatesFor(path: string): readonly Candidate[] {
    const exact = this.candidates.filter((candidate) => candidate.pathAndQuery === path);
    return exact.length > 0 ? exact : this.candidates;
  }

  private refuse(
    request: IncomingMessage,
    response: ServerResponse,
    status: number,
    reason: SignatureFailure | string,
    headers: Record<string, string> = {},
  ): void {
    this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
    // Summed up, never a line per request: a flood of forgeries stays out of the log.
    this.rejections.record(reason, request.socket.remoteAddress ?? 'unknown');
    answer(response, status, { error: reason }, headers);
    // An oversized body was not read to the end: close rather than read the rest of it.
    if (status === 413) response.once('finish', () => request.destroy());
  }
}

type UnusableReason = 'body-not-json' | 'not-an-epayment-event' | 'msn-not-registered-here';

/** The ePayment event in a verified body, read leniently (fields Vipps adds later are passed over). */
function readEvent(body: Buffer): { ok: true; data: WebhookEvent } | { ok: false; reason: UnusableReason } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, reason: 'body-not-json' };
  }
  const event = webhookEventShape.safeParse(parsed);
  return event.success ? { ok: true, data: event.data } : { ok: false, reason: 'not-an-epayment-event' };
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The body, or undefined as soon as it passes `limit` bytes (declared or actual). */
async function readLimited(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(request.headers['content-length'] ?? 0) > limit) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function answer(
  response: ServerResponse,
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
