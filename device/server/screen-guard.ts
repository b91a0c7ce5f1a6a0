import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SCREEN_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../../contracts/screen-auth.js';

/** Why a request was turned away: the status to answer and a short text (never the token). */
export interface Refusal {
  status: 401 | 403 | 415 | 421;
  reason: string;
}

/** A fresh per-boot screen token: 256 random bits as hex, which is also a valid WebSocket protocol token. */
export function newScreenToken(): string {
  return randomBytes(32).toString('hex');
}

export function isScreenToken(text: string): boolean {
  return /^[0-9a-f]{64}$/.test(text);
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Who may talk to the screen server. Only the kiosk's own names reach it (a DNS-rebound name like
 * `evil.example:8080` is refused, so a web page cannot read it from the customer's browser); a browser
 * request from any other origin is refused; and every API call and the socket must carry the per-boot
 * token that only the screen's user can read, so another local process cannot drive the checkout either.
 */
export class ScreenGuard {
  private readonly tokenDigest: Buffer;
  private hosts = new Set<string>();
  private origins = new Set<string>();

  constructor(token: string) {
    if (!isScreenToken(token)) throw new Error('the screen token must be 64 hex digits');
    this.tokenDigest = digest(token);
  }

  /** The names the server answers to, once it knows its port: the loopback address and `localhost`. */
  listeningOn(port: number): void {
    const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    this.hosts = new Set(hosts);
    this.origins = new Set(hosts.map((host) => `http://${host}`));
  }

  /** Every request: the Host header must be one of the kiosk's own names. */
  host(req: IncomingMessage): Refusal | null {
    const host = req.headers.host?.toLowerCase();
    if (host !== undefined && this.hosts.has(host)) return null;
    return { status: 421, reason: 'unknown host' };
  }

  /** API calls: a browser's Origin, when sent, must be the kiosk's; the token must be the boot's. */
  api(req: IncomingMessage): Refusal | null {
    const origin = req.headers.origin;
    if (origin !== undefined && !this.origins.has(origin)) return { status: 403, reason: 'foreign origin' };
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    return this.token(bearer);
  }

  /** State-changing API calls also need a JSON body, so no form or text/plain post is a simple request. */
  change(req: IncomingMessage): Refusal | null {
    const refused = this.api(req);
    if (refused) return refused;
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    return type === 'application/json' ? null : { status: 415, reason: 'expected application/json' };
  }

  /**
   * The WebSocket handshake: the kiosk's name and origin (a browser always sends Origin on a socket),
   * and the token offered as the second subprotocol next to `vipps-kiosk.screen`.
   */
  socket(req: IncomingMessage): Refusal | null {
    const refused = this.host(req);
    if (refused) return refused;
    const origin = req.headers.origin;
    if (origin === undefined || !this.origins.has(origin)) return { status: 403, reason: 'foreign origin' };
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes(SCREEN_PROTOCOL)) return { status: 401, reason: 'no screen protocol' };
    const token = offered
      .find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX))
      ?.slice(TOKEN_PROTOCOL_PREFIX.length);
    return this.token(token);
  }

  // Digests of equal length make the comparison constant-time whatever the length of what was sent.
  private token(presented: string | undefined): Refusal | null {
    if (presented === undefined) return { status: 401, reason: 'no screen token' };
    return timingSafeEqual(digest(presented), this.tokenDigest)
      ? null
      : { status: 401, reason: 'wrong screen token' };
  }
}
