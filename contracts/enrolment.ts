import { type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { z } from 'zod';
import { BROKER_URL_RULE, secureUrlShape } from './secure-url.js';
import { deviceIdShape, siteIdShape } from './topics.js';

// The enrolment code HQ prints as a QR (`vipps-kiosk hq enrol-qr`) and the kiosk reads with its own
// scanner during `vipps-kiosk provision`: which site and device this kiosk is, the HQ broker, the
// kiosk's broker login (its device id and a token minted for this enrolment), and an expiry, signed
// with HQ's Ed25519 key. The kiosk holds only HQ's public key, so a stolen kiosk cannot mint codes.
//
// Text form: VKENROL1.<payload>.<signature>, both in RFC 4648 base32 without padding. Only capital
// letters, digits and dots: a keyboard-wedge scanner types them the same on any Nordic or US layout,
// and a QR code stores them in its compact alphanumeric mode.

export const ENROLMENT_PREFIX = 'VKENROL1';

/** The kiosk's label as HQ shows it. */
export const deviceLabelShape = z.string({ error: 'expected a short human label' }).max(64);

/** The HQ broker a kiosk is enrolled with: encrypted (mqtts://, wss://) unless on this machine. */
export const brokerUrlShape = secureUrlShape(BROKER_URL_RULE);

/**
 * The rules each field of an enrolment obeys: the kiosk's configuration takes the same fields, so HQ
 * refuses at printing time a code the kiosk would refuse at scanning time.
 */
export const ENROLMENT_FIELDS = {
  site: siteIdShape,
  deviceId: deviceIdShape,
  label: deviceLabelShape,
  brokerUrl: brokerUrlShape,
} as const;

const payloadSchema = z.strictObject({
  /** Site, device id, label, broker URL, broker username, token, expiry (Unix seconds). */
  s: z.string(),
  d: z.string(),
  l: z.string().optional(),
  b: z.string(),
  u: z.string(),
  t: z.string(),
  e: z.number().int(),
});

export interface Enrolment {
  site: string;
  deviceId: string;
  label: string | undefined;
  brokerUrl: string;
  brokerUsername: string;
  /** The kiosk's broker password, minted for this enrolment. */
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

export function signEnrolment(enrolment: Enrolment, privateKey: KeyObject): string {
  const payload = Buffer.from(
    JSON.stringify({
      s: enrolment.site,
      d: enrolment.deviceId,
      ...(enrolment.label ? { l: enrolment.label } : {}),
      b: enrolment.brokerUrl,
      u: enrolment.brokerUsername,
      t: enrolment.token,
      e: Math.floor(enrolment.expiresAt.getTime() / 1000),
    }),
  );
  return `${ENROLMENT_PREFIX}.${base32(payload)}.${base32(sign(null, payload, privateKey))}`;
}

/** Checks the signature, then the expiry, then the contents; throws EnrolmentError on any of them. */
export function readEnrolment(text: string, hqPublicKey: KeyObject, now: Date): Enrolment {
  const parts = text.trim().toUpperCase().split('.');
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
  const { s, d, l, b, u, t, e } = parsed.data;
  const expiresAt = new Date(e * 1000);
  if (expiresAt.getTime() <= now.getTime()) {
    const minutes = Math.ceil((now.getTime() - expiresAt.getTime()) / 60_000);
    throw new EnrolmentError(
      `the enrolment code expired at ${expiresAt.toISOString()} (${minutes} min ago); ask HQ for a new one. ` +
        "If it should still be valid, check this kiosk's clock",
    );
  }
  return { site: s, deviceId: d, label: l, brokerUrl: b, brokerUsername: u, token: t, expiresAt };
}

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
