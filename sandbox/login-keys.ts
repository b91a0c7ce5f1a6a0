// The sandbox's Vipps Login signing key: a fresh RSA key per sandbox start, published as a JWK Set, and
// compact RS256 JWS signing for the ID tokens it issues.

import { generateKeyPair, type KeyObject, randomUUID, sign } from 'node:crypto';
import { promisify } from 'node:util';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** Off the event loop: making an RSA key takes a few hundred ms on a Pi. */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  return { kid: `sandbox-${randomUUID()}`, privateKey, publicKey };
}

/** `GET jwks_uri`: the public half only, marked for RS256 signatures. */
export function publishKeySet(keys: readonly SigningKey[]) {
  return {
    keys: keys.map((key) => ({
      ...key.publicKey.export({ format: 'jwk' }),
      kid: key.kid,
      use: 'sig',
      alg: 'RS256',
    })),
  };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** `header.payload` as a JWS signing input, for any header (tests forge `none` and HS256 with it). */
export function signingInput(header: Record<string, unknown>, claims: Record<string, unknown>): string {
  return `${base64url(header)}.${base64url(claims)}`;
}

export function signRs256(key: SigningKey, claims: Record<string, unknown>): string {
  const input = signingInput({ alg: 'RS256', typ: 'JWT', kid: key.kid }, claims);
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}
