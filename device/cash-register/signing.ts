import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { amountText, localDateTime } from './formats.js';

// Transaction signatures as Skatteetaten's "Requirements and guidelines for implementing digital
// signatures in Cash Register Systems" and its validator specify: RSA-SHA1 (PKCS#1 v1.5) with a 1024-bit
// key and public exponent 65537, over `previous signature;transDate;transTime;nr;transAmntIn;transAmntEx`,
// the signature in base64; the first transaction signs with `0` as the previous signature.

export const FIRST_PREVIOUS_SIGNATURE = '0';
const KEY_BITS = 1024;
const PUBLIC_EXPONENT = 65_537;

/** The key cannot be used to sign: the kiosk must not record a sale it cannot sign. */
export class SigningKeyError extends Error {
  override readonly name = 'SigningKeyError';
}

export interface SignedFields {
  previousSignature: string;
  /** When the transaction was concluded (ms since epoch); signed as the till's local date and time. */
  at: number;
  /** The transaction number (`nr` in SAF-T), at most 35 characters. */
  nr: string;
  /** Amount including VAT, minor units. */
  amountIn: number;
  /** Amount excluding VAT, minor units. */
  amountEx: number;
}

/** The exact text that is signed, e.g. `0;2026-11-23;13:00:05;1;67.80;58.95`. */
export function signingText(fields: SignedFields): string {
  const { date, time } = localDateTime(fields.at);
  return [
    fields.previousSignature,
    date,
    time,
    fields.nr,
    amountText(fields.amountIn),
    amountText(fields.amountEx),
  ].join(';');
}

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  readonly version: number;
}

/** A signing key from its PEM (as stored in secrets.json), checked to be what Skatteetaten accepts. */
export function signingKeyOf(privateKeyPem: string, version: number): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch (error) {
    throw new SigningKeyError(
      `the cash-register signing key (secrets.cashRegister.signingKey) is not a readable PEM private key ` +
        `(${(error as Error).message}); provision the kiosk again to make one`,
    );
  }
  const details = privateKey.asymmetricKeyDetails;
  if (
    privateKey.asymmetricKeyType !== 'rsa' ||
    details?.modulusLength !== KEY_BITS ||
    details.publicExponent !== BigInt(PUBLIC_EXPONENT)
  ) {
    throw new SigningKeyError(
      `the cash-register signing key must be RSA ${KEY_BITS}-bit with exponent ${PUBLIC_EXPONENT} ` +
        `(Skatteetaten's rule); this one is ${privateKey.asymmetricKeyType ?? 'unknown'} ` +
        `${details?.modulusLength ?? '?'}-bit; provision the kiosk again to make one`,
    );
  }
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKeyPem, version };
}

/** A new key pair: the private key as PKCS#1 PEM (the form Skatteetaten's validator takes). */
export function generateSigningKey(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: KEY_BITS,
    publicExponent: PUBLIC_EXPONENT,
  });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function signText(key: SigningKey, text: string): string {
  return sign('sha1', Buffer.from(text, 'utf8'), key.privateKey).toString('base64');
}

/** True when `signature` (base64) is the RSA-SHA1 signature of `text` under the public key. */
export function signatureHolds(publicKeyPem: string, text: string, signature: string): boolean {
  try {
    return verify(
      'sha1',
      Buffer.from(text, 'utf8'),
      createPublicKey(publicKeyPem),
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}
