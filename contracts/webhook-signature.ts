import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// Vipps MobilePay webhook authentication (API.md §5.5): a SHA-256 of the raw body, and an HMAC-SHA256
// over method, path + query, date, host and that hash, keyed with the registration's secret as UTF-8
// bytes (never base64-decoded). The path, query and host are those of the URL that was *registered*:
// behind a TLS proxy the request line and Host header may say something else.

const SIGNED_HEADERS = 'x-ms-date;host;x-ms-content-sha256';
const AUTHORIZATION_PREFIX = `HMAC-SHA256 SignedHeaders=${SIGNED_HEADERS}&Signature=`;

export function contentHash(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('base64');
}

/** The text Vipps signs: `POST\n{pathAndQuery}\n{date};{host};{contentHash}`. */
export function stringToSign(method: string, registeredUrl: URL, date: string, hash: string): string {
  return `${method}\n${registeredUrl.pathname}${registeredUrl.search}\n${date};${registeredUrl.host};${hash}`;
}

export function signature(secret: string, text: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(text, 'utf8').digest('base64');
}

export interface SignedHeaders {
  'x-ms-date': string;
  'x-ms-content-sha256': string;
  authorization: string;
}

/** The headers Vipps sends with a delivery of `body` to `registeredUrl` at `date` (an HTTP date). */
export function signDelivery(
  secret: string,
  registeredUrl: URL,
  date: string,
  body: Uint8Array,
): SignedHeaders {
  const hash = contentHash(body);
  return {
    'x-ms-date': date,
    'x-ms-content-sha256': hash,
    authorization: AUTHORIZATION_PREFIX + signature(secret, stringToSign('POST', registeredUrl, date, hash)),
  };
}

/** A webhook registration as the receiver knows it: where Vipps was told to send, and the secret it gave. */
export interface WebhookSecret {
  readonly url: URL;
  readonly secret: string;
}

export interface DeliveryHeaders {
  readonly date: string | undefined;
  readonly contentSha256: string | undefined;
  readonly authorization: string | undefined;
}

/** Why a delivery was refused; each says what to look at, and none contains a secret or a signature. */
export type SignatureFailure =
  | 'missing-headers'
  | 'malformed-date'
  | 'stale-date'
  | 'content-hash-mismatch'
  | 'malformed-authorization'
  | 'bad-signature';

export type SignatureVerdict<T extends WebhookSecret> =
  | { ok: true; registration: T }
  | { ok: false; failure: SignatureFailure };

/**
 * Vipps retries a failed delivery for up to 7 days (API.md §5.4) and does not say whether a retry is
 * signed anew; one that keeps its first attempt's `x-ms-date` is still Vipps speaking, so a date is
 * authentic for this long (plus the clock skew). Refusing it would only make Vipps retry it again.
 */
export const VIPPS_RETRY_WINDOW_MS = 7 * 86_400_000;

export interface VerifyOptions {
  now: number;
  /** How far the sender's clock may be from ours: how far ahead `x-ms-date` may be, and beyond 7 days back. */
  maxSkewMs: number;
}

/**
 * Checks a delivery against each candidate registration (several may share a URL, each with its own
 * secret) and returns the one whose secret signed it. Every comparison is constant-time.
 */
export function verifyDelivery<T extends WebhookSecret>(
  candidates: readonly T[],
  headers: DeliveryHeaders,
  body: Uint8Array,
  options: VerifyOptions,
): SignatureVerdict<T> {
  const { date, contentSha256, authorization } = headers;
  if (date === undefined || contentSha256 === undefined || authorization === undefined)
    return { ok: false, failure: 'missing-headers' };
  const sentAt = Date.parse(date);
  if (Number.isNaN(sentAt)) return { ok: false, failure: 'malformed-date' };
  const age = options.now - sentAt;
  if (age < -options.maxSkewMs || age > VIPPS_RETRY_WINDOW_MS + options.maxSkewMs)
    return { ok: false, failure: 'stale-date' };
  const hash = contentHash(body);
  if (!sameText(hash, contentSha256)) return { ok: false, failure: 'content-hash-mismatch' };
  if (!authorization.startsWith(AUTHORIZATION_PREFIX))
    return { ok: false, failure: 'malformed-authorization' };
  const given = authorization.slice(AUTHORIZATION_PREFIX.length);
  // Every candidate is computed and compared, so the time taken says nothing about which one matched.
  let match: T | undefined;
  for (const candidate of candidates) {
    const expected = signature(candidate.secret, stringToSign('POST', candidate.url, date, hash));
    if (sameText(expected, given) && match === undefined) match = candidate;
  }
  return match === undefined ? { ok: false, failure: 'bad-signature' } : { ok: true, registration: match };
}

/** Constant-time equality of two strings (hashed first, so unequal lengths leak nothing either). */
function sameText(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
