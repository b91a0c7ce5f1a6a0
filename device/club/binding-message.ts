import { randomInt } from 'node:crypto';

// Letters and digits nobody misreads on a screen or says wrong aloud: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G.
const ALPHABET = 'ACDEFHJKMNPRTUVWXY3479';

/**
 * The code a customer compares between the kiosk and the app before approving a login: two groups of
 * three ("HJK-479"), within Vipps' `^[A-Z0-9-]{5,8}$`. Fresh for every login, so a push meant for
 * someone else at another kiosk never matches.
 */
export function bindingMessage(): string {
  const group = () => Array.from({ length: 3 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${group()}-${group()}`;
}
