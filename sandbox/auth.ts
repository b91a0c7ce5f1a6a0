// Credentials, `POST /accesstoken/get`, and the gateway checks every other Vipps call passes first.
// In front of Vipps sits Azure API Management: it rejects a bad subscription key or bearer token before the
// API sees the call, with its own `{statusCode, message}` body; the token service behind `/accesstoken/get`
// answers bad client credentials in the Azure AD `{error, error_description, ...}` shape (API.md §0.3).

import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { SandboxClock } from './clock.js';
import type { SandboxContext } from './context.js';
import { header, json, type Reply, ReplyError, type SandboxRequest } from './http.js';

export interface SandboxCredentials {
  clientId: string;
  clientSecret: string;
  subscriptionKey: string;
  merchantSerialNumber: string;
}

export const DEFAULT_CREDENTIALS: Readonly<SandboxCredentials> = {
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret-not-a-real-secret',
  subscriptionKey: '5a4d0b0c5e1f4a2b8c3d9e0f1a2b3c4d',
  merchantSerialNumber: '123456',
};

export const MSN_PATTERN = /^[0-9]{4,7}$/;

export function resolveCredentials(overrides: Partial<SandboxCredentials> = {}): SandboxCredentials {
  const credentials = { ...DEFAULT_CREDENTIALS, ...overrides };
  if (!MSN_PATTERN.test(credentials.merchantSerialNumber)) {
    throw new RangeError(`merchantSerialNumber must match ${MSN_PATTERN.source}`);
  }
  for (const [name, value] of Object.entries(credentials)) {
    if (value === '') throw new RangeError(`${name} must not be empty`);
  }
  return credentials;
}

/** Compares secrets in constant time (hashing first so unequal lengths leak nothing either). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export interface IssuedToken {
  readonly token: string;
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
}

/** Opaque tokens remembered with an expiry on the sandbox clock; several may be valid at once, as at Vipps. */
export class AccessTokens {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly lifetimeSeconds: number,
  ) {}

  issue(): IssuedToken {
    const issuedAtMs = this.clock.now();
    for (const [token, expiresAtMs] of this.expiries) {
      if (expiresAtMs <= issuedAtMs) this.expiries.delete(token);
    }
    const token = randomBytes(48).toString('base64url');
    const expiresAtMs = issuedAtMs + this.lifetimeSeconds * 1000;
    this.expiries.set(token, expiresAtMs);
    return { token, issuedAtMs, expiresAtMs };
  }

  isValid(token: string): boolean {
    const expiresAtMs = this.expiries.get(token);
    return expiresAtMs !== undefined && this.clock.now() < expiresAtMs;
  }

  clear(): void {
    this.expiries.clear();
  }
}

function apimError(status: number, message: string): ReplyError {
  return new ReplyError(json(status, { statusCode: status, message }));
}

function requireSubscriptionKey(request: SandboxRequest, credentials: SandboxCredentials): void {
  const given = header(request, 'Ocp-Apim-Subscription-Key');
  if (given === undefined) {
    throw apimError(
      401,
      'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
    );
  }
  if (!sameSecret(given, credentials.subscriptionKey)) {
    throw apimError(
      401,
      'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
    );
  }
}

const BEARER = /^Bearer (\S+)$/;

/** The word `Bearer` is case-sensitive at Vipps (API.md §0.1), so `bearer x` is refused like a bad token. */
function requireBearerToken(request: SandboxRequest, tokens: AccessTokens): void {
  const token = BEARER.exec(header(request, 'Authorization') ?? '')?.[1];
  if (token === undefined || !tokens.isValid(token)) {
    throw apimError(401, 'Unauthorized. Access token is missing, invalid or expired.');
  }
}

interface TokenServiceFailure {
  readonly status: number;
  readonly error: string;
  readonly description: string;
  readonly code?: number;
}

function tokenServiceError(failure: TokenServiceFailure, nowMs: number): ReplyError {
  const { status, error, description, code } = failure;
  return new ReplyError(
    json(status, {
      error,
      error_description: description,
      error_codes: code === undefined ? [] : [code],
      timestamp: new Date(nowMs)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z'),
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
      error_uri:
        code === undefined
          ? 'https://login.windows.net/error'
          : `https://login.windows.net/error?code=${code}`,
    }),
  );
}

/** `POST /accesstoken/get`: credentials in headers, empty body, every response value a string (API.md §1). */
export function issueAccessToken(context: SandboxContext, request: SandboxRequest): Reply {
  const { credentials, tokens } = context;
  requireSubscriptionKey(request, credentials);
  const now = context.clock.now();
  if (header(request, 'client_id') !== credentials.clientId) {
    const description =
      'AADSTS700016: No application with this client_id is registered for the subscription.';
    throw tokenServiceError({ status: 401, error: 'unauthorized_client', description, code: 700016 }, now);
  }
  if (!sameSecret(header(request, 'client_secret'), credentials.clientSecret)) {
    const description = 'AADSTS7000215: The client_secret is not valid for this client_id.';
    throw tokenServiceError({ status: 401, error: 'invalid_client', description, code: 7000215 }, now);
  }
  if (request.rawBody.length > 0) {
    // The real service most likely ignores a body; refusing it flags a client that puts credentials there.
    const description =
      'The body must be empty: credentials travel in the client_id and client_secret headers.';
    throw tokenServiceError({ status: 400, error: 'invalid_request', description }, now);
  }
  const issued = tokens.issue();
  const lifetime = String(Math.round((issued.expiresAtMs - issued.issuedAtMs) / 1000));
  return json(200, {
    token_type: 'Bearer',
    expires_in: lifetime,
    ext_expires_in: lifetime,
    expires_on: String(Math.floor(issued.expiresAtMs / 1000)),
    not_before: String(Math.floor(issued.issuedAtMs / 1000)),
    resource: '00000002-0000-0000-c000-000000000000',
    access_token: issued.token,
  });
}

/** What the gateway checks on every Vipps call except `/accesstoken/get`, in the gateway's order. */
export function authorizeCall(context: SandboxContext, request: SandboxRequest): void {
  requireSubscriptionKey(request, context.credentials);
  requireBearerToken(request, context.tokens);
}
