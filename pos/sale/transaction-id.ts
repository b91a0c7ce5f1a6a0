import { randomBytes } from 'node:crypto';

// Crockford's base 32: no I, L, O or U, so an id read aloud over the phone to support cannot be misheard.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The POS's own id for a sale's payment, ULID-shaped: 10 characters of milliseconds (so ids sort by time
 * in the terminal's list and in a log) and 16 of randomness (so two tills never mint the same one).
 * The terminal uses it as the idempotency key: the same id never charges twice.
 */
export function newTransactionId(now: number = Date.now(), random: Uint8Array = randomBytes(10)): string {
  if (!Number.isSafeInteger(now) || now < 0) throw new RangeError(`time ${now} is not a millisecond count`);
  if (random.length !== 10) throw new RangeError('a transaction id takes exactly 10 random bytes');
  let time = '';
  for (let rest = now, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) time = ALPHABET[rest % 32] + time;
  let bits = 0;
  let width = 0;
  let tail = '';
  for (const byte of random) {
    bits = (bits << 8) | byte;
    width += 8;
    while (width >= 5) {
      width -= 5;
      tail += ALPHABET[(bits >> width) & 31];
    }
    bits &= (1 << width) - 1;
  }
  return time + tail;
}
