import { type KeyObject, verify } from 'node:crypto';
import { IdTokenInvalidError } from './login-errors.js';

// OpenID Connect ID token validation for the one case the kiosk has: an RS256 JWS from Vipps Login,
// checked against the issuer's published keys. Small enough that a JWT library would add more surface
// (algorithm negotiation, JWE, key fetching) than it saves.

export interface IdTokenExpectations {
  readonly issuer: string;
  readonly clientId: string;
  readonly nowMs: number;
  /** Tolerated difference between our clock and Vipps'. */
  readonly skewSeconds: number;
  /** The verification key for a key id (undefined when the token names none). */
  readonly keyFor: (kid: string | undefined) => Promise<KeyObject | undefined>;
}

export interface IdTokenClaims {
  readonly sub: string;
  readonly iss: string;
  readonly exp: number;
  readonly iat: number;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

export async function verifyIdToken(token: string, expected: IdTokenExpectations): Promise<IdTokenClaims> {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) {
    throw new IdTokenInvalidError('format', 'it is not a compact JWS of three base64url parts');
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart, 'header');
  if (header.alg !== 'RS256') {
    throw new IdTokenInvalidError('alg', `it is signed with ${String(header.alg)}; only RS256 is accepted`);
  }
  if (header.crit !== undefined) {
    throw new IdTokenInvalidError('crit', 'it requires header extensions we do not understand');
  }
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const key = await expected.keyFor(kid);
  if (key === undefined) {
    throw new IdTokenInvalidError('kid', `no key ${kid ?? '(unnamed)'} in Vipps' published key set`);
  }
  const signed = Buffer.from(`${headerPart}.${payloadPart}`, 'ascii');
  if (!verify('RSA-SHA256', signed, key, Buffer.from(signaturePart, 'base64url'))) {
    throw new IdTokenInvalidError('signature', 'the signature does not match the key Vipps published');
  }

  const claims = decodeJson(payloadPart, 'payload');
  if (claims.iss !== expected.issuer) {
    throw new IdTokenInvalidError('iss', `issued by ${String(claims.iss)}, expected ${expected.issuer}`);
  }
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes(expected.clientId)) {
    throw new IdTokenInvalidError('aud', "it was issued for another client than this kiosk's client id");
  }
  if (audience.length > 1 && claims.azp !== undefined && claims.azp !== expected.clientId) {
    throw new IdTokenInvalidError('azp', "it was authorized for another client than this kiosk's client id");
  }
  const nowSeconds = expected.nowMs / 1000;
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds - expected.skewSeconds) {
    throw new IdTokenInvalidError('exp', 'it has expired (or carries no expiry); check the kiosk clock');
  }
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds + expected.skewSeconds) {
    throw new IdTokenInvalidError('nbf', 'it is not valid yet; check the kiosk clock');
  }
  if (typeof claims.iat !== 'number') throw new IdTokenInvalidError('iat', 'it carries no issue time');
  if (typeof claims.sub !== 'string' || claims.sub === '') {
    throw new IdTokenInvalidError('sub', 'it names no user');
  }
  return { sub: claims.sub, iss: claims.iss, exp: claims.exp, iat: claims.iat };
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Reported below like any other non-object.
  }
  throw new IdTokenInvalidError('format', `its ${what} is not a JSON object`);
}
