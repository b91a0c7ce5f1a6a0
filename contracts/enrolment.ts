import { createHash, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { z } from 'zod';
import { BROKER_URL_RULE, secureUrlShape } from './secure-url.js';
import { deviceIdShape, siteIdShape } from './topics.js';

// The enrolment code HQ prints as a QR (`vipps-kiosk hq enrol-qr`) and the kiosk reads with its own
// scanner during `vipps-kiosk provision`: which site and device this kiosk is, the HQ broker, HQ's
// enrolment service (its HTTPS URL and its certificate's SHA-256 fingerprint, which the kiosk pins), a
// one-time token and an expiry, signed with HQ's Ed25519 key. The kiosk holds only HQ's public key, so a
// stolen kiosk cannot mint codes, and the signature is what makes the pinned fingerprint trustworthy.
//
// The code is readable by anyone who sees it, so it carries no broker credential: the token is worth
// one certificate signing request at the enrolment service, for this client id only, before the expiry;
// the kiosk's private key is made on the kiosk and never leaves it (exchange below).
//
// Text form: VKENROL2.<payload>.<signature>, both in RFC 4648 base32 without padding. Only capital
// letters, digits and dots: a keyboard-wedge scanner types them the same on any Nordic or US layout,
// and a QR code stores them in its compact alphanumeric mode.

export const ENROLMENT_PREFIX = 'VKENROL2';

/** The longest a code lives: a code is printed for one visit, not kept in a drawer. */
export const MAX_ENROLMENT_TTL_MINUTES = 24 * 60;

/** The kiosk's label as HQ shows it. */
export const deviceLabelShape = z.string({ error: 'expected a short human label' }).max(64);

/** The HQ broker a kiosk is enrolled with: encrypted (mqtts://, wss://) unless on this machine. */
export const brokerUrlShape = secureUrlShape(BROKER_URL_RULE);

/** HQ's enrolment service: HTTPS always (loopback included), its certificate pinned by the code. */
export const enrolmentServiceUrlShape = z.url({
  protocol: /^https$/,
  error: "expected the https:// URL of HQ's enrolment service (vipps-kiosk hq enrol-serve)",
});

/** SHA-256 of the enrolment service's certificate (DER), 64 hex digits; colons and case are forgiven. */
export function certificateFingerprint(text: string): string | undefined {
  const hex = text.replace(/:/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}

/**
 * The rules each field of an enrolment obeys: the kiosk's configuration takes the same fields, so HQ
 * refuses at printing time a code the kiosk would refuse at scanning time.
 */
export const ENROLMENT_FIELDS = {
  site: siteIdShape,
  deviceId: deviceIdShape,
  label: deviceLabelShape,
  brokerUrl: brokerUrlShape,
  serviceUrl: enrolmentServiceUrlShape,
} as const;

const payloadSchema = z.strictObject({
  /** Site, device id, label, broker URL, enrolment service URL and fingerprint, token, expiry (Unix s). */
  s: z.string(),
  d: z.string(),
  l: z.string().optional(),
  b: z.string(),
  n: enrolmentServiceUrlShape,
  f: z.string().refine((text) => certificateFingerprint(text) === text),
  t: z.string(),
  e: z.number().int(),
});

export interface Enrolment {
  site: string;
  deviceId: string;
  label: string | undefined;
  brokerUrl: string;
  /** HQ's enrolment service, where the token buys one client certificate. */
  serviceUrl: string;
  /** SHA-256 of the service's certificate, lower-case hex: the kiosk talks to that certificate only. */
  serviceFingerprint: string;
  /** One-time: worth one certificate for `clientIdFor(site, deviceId)`, until `expiresAt`. */
  token: string;
  expiresAt: Date;
}

/** A code that cannot be used; the message says why and what to do, in words for a field tech. */
export class EnrolmentError extends Error {
  override readonly name = 'EnrolmentError';
}

export function newEnrolmentToken(): string {
  return base32(randomBytes(20));
}

/** What the enrolment service keeps of a token: its hash, so the store holds nothing worth stealing. */
export function enrolmentTokenHash(token: string): string {
  return createHash('sha256').update(token.trim().toUpperCase()).digest('hex');
}

export function signEnrolment(enrolment: Enrolment, privateKey: KeyObject): string {
  const payload = Buffer.from(
    JSON.stringify({
      s: enrolment.site,
      d: enrolment.deviceId,
      ...(enrolment.label ? { l: enrolment.label } : {}),
      b: enrolment.brokerUrl,
      n: enrolment.serviceUrl,
      f: enrolment.serviceFingerprint,
      t: enrolment.token,
      e: Math.floor(enrolment.expiresAt.getTime() / 1000),
    }),
  );
  return `${ENROLMENT_PREFIX}.${base32(payload)}.${base32(sign(null, payload, privateKey))}`;
}

/** Checks the signature, then the expiry, then the contents; throws EnrolmentError on any of them. */
export function readEnrolment(text: string, hqPublicKey: KeyObject, now: Date): Enrolment {
  const parts = text.trim().toUpperCase().split('.');
  if (parts[0] === 'VKENROL1') {
    throw new EnrolmentError(
      'that is an old enrolment code (VKENROL1, a broker password); ask HQ for a new one made with this version',
    );
  }
  if (parts[0] !== ENROLMENT_PREFIX || parts.length !== 3) {
    throw new EnrolmentError(
      `that is not a vipps-kiosk enrolment code (one starts with ${ENROLMENT_PREFIX}.); scan the QR HQ made with "vipps-kiosk hq enrol-qr"`,
    );
  }
  const payload = unbase32(parts[1]!);
  const signature = unbase32(parts[2]!);
  if (payload === undefined || signature === undefined || !verify(null, payload, hqPublicKey, signature)) {
    throw new EnrolmentError(
      "the enrolment code is not signed by this fleet's HQ (forged, altered, or from another fleet); nothing was taken from it. Ask HQ for a new code",
    );
  }
  const parsed = payloadSchema.safeParse(JSON.parse(payload.toString('utf8')));
  if (!parsed.success) {
    throw new EnrolmentError(
      'the enrolment code is signed by HQ but its contents are not understood; update vipps-kiosk',
    );
  }
  const { s, d, l, b, n, f, t, e } = parsed.data;
  const expiresAt = new Date(e * 1000);
  if (expiresAt.getTime() <= now.getTime()) throw expiredError(expiresAt, now);
  return {
    site: s,
    deviceId: d,
    label: l,
    brokerUrl: b,
    serviceUrl: n,
    serviceFingerprint: f,
    token: t,
    expiresAt,
  };
}

/** The same words whether the kiosk's clock or HQ's enrolment service finds the code too old. */
export function expiredError(expiresAt: Date, now: Date): EnrolmentError {
  const minutes = Math.ceil((now.getTime() - expiresAt.getTime()) / 60_000);
  return new EnrolmentError(
    `the enrolment code expired at ${expiresAt.toISOString()} (${minutes} min ago); ask HQ for a new one. ` +
      "If it should still be valid, check this kiosk's clock",
  );
}

// The exchange with HQ's enrolment service: POST {serviceUrl}/v1/enrol, JSON both ways.

export const ENROL_PATH = '/v1/enrol';

export const enrolRequestSchema = z.strictObject({
  token: z.string().min(1).max(100),
  /** PKCS#10, PEM; subject CN = the kiosk's client id, signed with the kiosk's new key. */
  csr: z.string().min(1).max(8_000),
});
export type EnrolRequest = z.infer<typeof enrolRequestSchema>;

export const enrolResponseSchema = z.strictObject({
  /** The kiosk's client certificate, PEM: CN = client id, clientAuth only. */
  certificate: z.string(),
  /** The CA that signed the broker's certificate, PEM; absent: the kiosk verifies the broker with the system's CAs. */
  brokerCa: z.string().optional(),
});
export type EnrolResponse = z.infer<typeof enrolResponseSchema>;

/** Why the service refused, in `error`; `message` is for the field tech as it stands. */
export const enrolRefusalSchema = z.object({
  error: z.enum(['bad-request', 'unknown-token', 'used-token', 'expired-token', 'wrong-identity']),
  message: z.string(),
});
export type EnrolRefusal = z.infer<typeof enrolRefusalSchema>;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(text: string): Buffer | undefined {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return undefined;
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}
