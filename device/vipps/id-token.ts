import { type KeyObject, verify } from 'node:crypto';
import { IdTokenInvalidError } from './login-errors.js';

// OpenID Connect ID token validation for the one case the kiosk has: a JWS from Vipps Login, signed with
// an algorithm Vipps' discovery document offers, checked against the issuer's published keys. Small
// enough that a JWT library would add more surface (JWE, key fetching) than it saves; `jose` is not a
// dependency of the project.

interface Algorithm {
  /** The key type a JWK for it has. */
  readonly kty: 'RSA' | 'EC' | 'OKP';
  /** Whether `key` (already of the right type) signed `data` with `signature`. */
  readonly verify: (data: Buffer, key: KeyObject, signature: Buffer) => boolean;
  /** The key node:crypto must hold for it: its type and, for EC, its curve. */
  readonly keyType: string;
  readonly curve?: string;
}

const rsa = (hash: string): Algorithm => ({
  kty: 'RSA',
  keyType: 'rsa',
  verify: (data, key, signature) => verify(hash, data, key, signature),
});
const pss = (hash: string, saltLength: number): Algorithm => ({
  kty: 'RSA',
  keyType: 'rsa',
  verify: (data, key, signature) =>
    verify(hash, data, { key, padding: 2 /* RSA_PKCS1_PSS_PADDING */, saltLength }, signature),
});
const ec = (hash: string, curve: string): Algorithm => ({
  kty: 'EC',
  keyType: 'ec',
  curve,
  verify: (data, key, signature) => verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature),
});

/**
 * The asymmetric JWS algorithms this verifier can check. `none` and the HMAC family are absent on
 * purpose: whatever discovery says, a token signed so is never believed.
 */
export const VERIFIABLE_ALGORITHMS: Readonly<Record<string, Algorithm>> = {
  RS256: rsa('sha256'),
  RS384: rsa('sha384'),
  RS512: rsa('sha512'),
  PS256: pss('sha256', 32),
  PS384: pss('sha384', 48),
  PS512: pss('sha512', 64),
  ES256: ec('sha256', 'prime256v1'),
  ES384: ec('sha384', 'secp384r1'),
  ES512: ec('sha512', 'secp521r1'),
  EdDSA: { kty: 'OKP', keyType: 'ed25519', verify: (data, key, sig) => verify(null, data, key, sig) },
};

export interface IdTokenExpectations {
  readonly issuer: string;
  readonly clientId: string;
  /** The algorithms Vipps' discovery document offers that this verifier can check. */
  readonly algorithms: readonly string[];
  readonly nowMs: number;
  /** Tolerated difference between our clock and Vipps'. */
  readonly skewSeconds: number;
  /** The verification key for a key id (undefined when the token names none) and algorithm. */
  readonly keyFor: (kid: string | undefined, alg: string) => Promise<KeyObject | undefined>;
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
  const alg = typeof header.alg === 'string' ? header.alg : undefined;
  const algorithm =
    alg !== undefined && expected.algorithms.includes(alg) ? VERIFIABLE_ALGORITHMS[alg] : undefined;
  if (alg === undefined || algorithm === undefined) {
    throw new IdTokenInvalidError(
      'alg',
      `it is signed with ${String(header.alg)}; Vipps' discovery offers ${expected.algorithms.join(', ')}`,
    );
  }
  if (header.crit !== undefined) {
    throw new IdTokenInvalidError('crit', 'it requires header extensions we do not understand');
  }
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const key = await expected.keyFor(kid, alg);
  if (key === undefined) {
    throw new IdTokenInvalidError('kid', `no ${alg} key ${kid ?? '(unnamed)'} in Vipps' published key set`);
  }
  if (
    key.asymmetricKeyType !== algorithm.keyType ||
    key.asymmetricKeyDetails?.namedCurve !== algorithm.curve
  ) {
    throw new IdTokenInvalidError('kid', `key ${kid ?? '(unnamed)'} is not a key for ${alg}`);
  }
  const signed = Buffer.from(`${headerPart}.${payloadPart}`, 'ascii');
  if (!algorithm.verify(signed, key, Buffer.from(signaturePart, 'base64url'))) {
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
  if (claims.iat > nowSeconds + expected.skewSeconds) {
    throw new IdTokenInvalidError('iat', 'it was issued in the future; check the kiosk clock');
  }
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
