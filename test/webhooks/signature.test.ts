import { describe, expect, it } from 'vitest';
import {
  contentHash,
  signature,
  signDelivery,
  stringToSign,
  verifyDelivery,
} from '../../contracts/webhook-signature.js';

// The official test vector of Vipps' webhook authentication (API.md §5.5), and each way a delivery can be
// forged or replayed.

const SECRET = 'A0+AeKBRG2KRGvnNwJpQlb6IJFk48CKXCIcrLoHncVJKDILsQSxS6NWCccwWm6r6FhGKhiHTBsG2wo/xU6FY/A==';
const URL_REGISTERED = new URL('https://webhook.site/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63');
const DATE = 'Thu, 30 Mar 2023 08:38:32 GMT';
const BODY = Buffer.from('{"some-unique-content":"ee6e441b-cc4a-46f8-895d-a5af79bcc233/hello-world"}');
const HASH = 'lNlsp1XA03N34HrQsVzPgJKtC+r7l/RBF4V3JQUWMj4=';
const SIGNATURE = 'agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=';
const AUTHORIZATION = `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${SIGNATURE}`;
const AT = Date.parse(DATE);
const headers = { date: DATE, contentSha256: HASH, authorization: AUTHORIZATION };
const registration = { url: URL_REGISTERED, secret: SECRET };
const options = { now: AT + 1_000, maxSkewMs: 300_000 };
const DAY = 86_400_000;

describe('webhook signature (API.md §5.5)', () => {
  it('reproduces the official test vector', () => {
    expect(contentHash(BODY)).toBe(HASH);
    const text = stringToSign('POST', URL_REGISTERED, DATE, HASH);
    expect(text).toBe(`POST\n/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63\n${DATE};webhook.site;${HASH}`);
    expect(signature(SECRET, text)).toBe(SIGNATURE);
    // The secret is used as UTF-8 text; base64-decoding it gives another signature.
    expect(signature(Buffer.from(SECRET, 'base64').toString('latin1'), text)).not.toBe(SIGNATURE);
    expect(signDelivery(SECRET, URL_REGISTERED, DATE, BODY)).toEqual({
      'x-ms-date': DATE,
      'x-ms-content-sha256': HASH,
      authorization: AUTHORIZATION,
    });
  });

  it('accepts the official delivery and names the registration whose secret signed it', () => {
    const other = { url: URL_REGISTERED, secret: 'another-registration-secret' };
    const verdict = verifyDelivery([other, registration], headers, BODY, options);
    expect(verdict).toEqual({ ok: true, registration });
  });

  it('refuses a forged signature, a wrong host, an altered body, a replay and missing headers', () => {
    const refused = (h: typeof headers, body = BODY, candidates = [registration], now = options.now) => {
      const verdict = verifyDelivery(candidates, h, body, { ...options, now });
      return verdict.ok ? 'accepted' : verdict.failure;
    };
    const forged = `${AUTHORIZATION.slice(0, -4)}AAA=`;
    expect(refused({ ...headers, authorization: forged })).toBe('bad-signature');
    expect(refused(headers, BODY, [{ url: URL_REGISTERED, secret: `${SECRET}x` }])).toBe('bad-signature');
    // Signed for webhook.site; a receiver that took its own host would compute another signature.
    const wrongHost = new URL('https://relay.internal:8443/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63');
    expect(refused(headers, BODY, [{ url: wrongHost, secret: SECRET }])).toBe('bad-signature');
    const wrongPath = new URL('https://webhook.site/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63?x=1');
    expect(refused(headers, BODY, [{ url: wrongPath, secret: SECRET }])).toBe('bad-signature');
    const altered = Buffer.from(BODY.toString().replace('hello', 'HELLO'));
    expect(refused(headers, altered)).toBe('content-hash-mismatch');
    // An altered body with a matching hash still fails: the hash is inside the signature.
    expect(refused({ ...headers, contentSha256: contentHash(altered) }, altered)).toBe('bad-signature');
    // Vipps retries for 7 days and may keep the first attempt's date: up to 7 days old (and the clock
    // skew on top) is authentic, older is not; from the future only the clock skew is.
    expect(refused(headers, BODY, [registration], AT + 7 * DAY)).toBe('accepted');
    expect(refused(headers, BODY, [registration], AT + 7 * DAY + 6 * 60_000)).toBe('stale-date');
    expect(refused(headers, BODY, [registration], AT - 4 * 60_000)).toBe('accepted');
    expect(refused(headers, BODY, [registration], AT - 6 * 60_000)).toBe('stale-date');
    expect(refused({ ...headers, date: 'yesterday' })).toBe('malformed-date');
    expect(refused({ ...headers, authorization: `Bearer ${SIGNATURE}` })).toBe('malformed-authorization');
    expect(refused({ ...headers, authorization: undefined } as never)).toBe('missing-headers');
    expect(refused(headers, BODY, [])).toBe('bad-signature');
  });
});
