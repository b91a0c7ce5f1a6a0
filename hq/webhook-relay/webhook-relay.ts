import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../common/log/logger.js';
import type { RelayRegistration } from '../../common/relay-secrets.js';
import { relayedEvent, webhookEventShape } from '../../contracts/relayed-event.js';
import {
  type SignatureFailure,
  verifyDelivery,
  type WebhookSecret,
} from '../../contracts/webhook-signature.js';
import type { RelayPublisher } from './relay-publisher.js';

export interface WebhookRelayOptions {
  host: string;
  port: number;
  registrations: readonly RelayRegistration[];
  /** How far x-ms-date may be from now before the delivery counts as a replay. */
  maxSkewMs: number;
  maxBodyBytes: number;
  logger: Logger;
  now?: () => number;
}

interface Candidate extends WebhookSecret {
  readonly msn: string;
  readonly pathAndQuery: string;
}

export interface RelayStats {
  accepted: number;
  rejected: Record<string, number>;
}

/**
 * HQ's receiver of Vipps webhooks (TLS ends in front of it). Each delivery is verified against the
 * registrations' secrets and the *registered* URLs, answered at once (200, or 503 while the broker is
 * away so that Vipps tries again later), and then published to `vk/v1/vipps/{msn}/payments/{reference}`.
 * It keeps nothing between requests beyond counters, so any number of replicas can share one URL.
 */
export class WebhookRelay {
  private server: Server | undefined;
  private candidates: Candidate[] = [];
  private accepted = 0;
  private readonly rejected: Record<string, number> = {};

  constructor(
    private readonly options: WebhookRelayOptions,
    private readonly publisher: RelayPublisher,
  ) {}

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
    await this.publisher.stop();
  }

  stats(): RelayStats {
    return { accepted: this.accepted, rejected: { ...this.rejected } };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = request.url ?? '/';
    if (path === '/healthz' && request.method === 'GET') {
      const ok = this.publisher.connected;
      // 503 takes a replica that cannot publish out of the load balancer's rotation.
      answer(response, ok ? 200 : 503, {
        status: ok ? 'ok' : 'broker unreachable',
        registrations: this.candidates.length,
        ...this.stats(),
        mqtt: this.publisher.stats(),
      });
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
    const verdict = verifyDelivery(
      this.candidatesFor(path),
      {
        date: headerOf(request, 'x-ms-date'),
        contentSha256: headerOf(request, 'x-ms-content-sha256'),
        authorization: headerOf(request, 'authorization'),
      },
      body,
      { now: (this.options.now ?? Date.now)(), maxSkewMs: this.options.maxSkewMs },
    );
    if (!verdict.ok) {
      this.refuse(request, response, verdict.failure === 'malformed-date' ? 400 : 401, verdict.failure);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      this.refuse(request, response, 400, 'body-not-json');
      return;
    }
    const event = webhookEventShape.safeParse(parsed);
    if (!event.success) {
      this.refuse(request, response, 400, 'not-an-epayment-event');
      return;
    }
    // A secret of one sales unit must not speak for another: its topic belongs to other kiosks.
    if (event.data.msn !== verdict.registration.msn) {
      this.refuse(request, response, 400, 'msn-not-registered-here');
      return;
    }
    if (!this.publisher.connected) {
      this.refuse(request, response, 503, 'broker-unreachable', { 'retry-after': '60' });
      return;
    }
    this.accepted += 1;
    answer(response, 200, { received: true });
    try {
      await this.publisher.publish(relayedEvent(event.data));
    } catch (error) {
      this.options.logger.error('a verified webhook could not be published; the kiosk finds out by polling', {
        reference: event.data.reference,
        event: event.data.name,
        error: String(error),
      });
    }
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
    this.options.logger.warn('webhook delivery refused', {
      status,
      reason,
      path: request.url,
      from: request.socket.remoteAddress,
    });
    answer(response, status, { error: reason }, headers);
    // An oversized body was not read to the end: close rather than read the rest of it.
    if (status === 413) response.once('finish', () => request.destroy());
  }
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
