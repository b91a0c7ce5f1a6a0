import { randomBytes } from 'node:crypto';

// Crockford base32, lowercase: ULID's alphabet (no i, l, o, u).
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const PHONE_LIKE = /\d{8}/;

function encode(value: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(value & 31n)]! + out;
    value >>= 5n;
  }
  return out;
}

/**
 * A ULID-style id (48-bit millisecond time + 80 random bits, 26 characters), so ids sort by creation
 * and HQ can de-duplicate redelivered events by id. Ids that happen to contain eight digits in a row
 * are drawn again: the payload guard (and HQ's own PII scan) would take them for a phone number.
 */
export function newEventId(now: number = Date.now()): string {
  for (;;) {
    const random = BigInt(`0x${randomBytes(10).toString('hex')}`);
    const id = encode(BigInt(now), 10) + encode(random, 16);
    if (!PHONE_LIKE.test(id)) return id;
    // The time part alone can hold eight digits for a given millisecond: move on to the next one.
    now += 1;
  }
}
