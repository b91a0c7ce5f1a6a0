import { hasGtinShape, hasValidCheckDigit, normaliseGtin } from './gtin.js';

export const MAX_SCAN_LENGTH = 512;

export type UnrecognisedScanReason =
  /** Nothing but whitespace. */
  | 'empty'
  /** Longer than MAX_SCAN_LENGTH: no barcode or personal QR is that long. */
  | 'too-long'
  /** Control or invisible characters inside the text: a scanner adding prefixes, or not a scanner at all. */
  | 'control-characters'
  /** Looks like an EAN/UPC but the check digit is wrong: a misread, scan again. */
  | 'bad-check-digit'
  /** A Vipps QR as a scanner retypes it through the wrong keyboard layout or Caps Lock: see the hint. */
  | 'garbled-vipps-qr'
  /**
   * A URL naming Vipps that cannot be a personal QR: another scheme or host (a look-alike), characters
   * no URL has, or longer than ePayment takes.
   */
  | 'not-a-personal-qr'
  /** Anything else. */
  | 'unknown-code';

/**
 * What a field tech can do about it. `scanner-keyboard-layout`: a keyboard-wedge scanner is typing
 * through a keyboard layout (or Caps Lock) that changes characters, e.g. a Norwegian layout turns `/`
 * into `-` and `:` into `Ø`; set the scanner to the layout the kiosk uses, or to HID-POS/serial mode.
 */
export type ScanHint = 'scanner-keyboard-layout';

export type ScanResult =
  | { readonly kind: 'product'; readonly gtin: string }
  /** The whole scanned text, to be sent to Vipps as it is: its content can change without notice. */
  | { readonly kind: 'personal-qr'; readonly text: string }
  | { readonly kind: 'unrecognised'; readonly reason: UnrecognisedScanReason; readonly hint?: ScanHint };

// Vipps says the content of a personal QR "can change at any time, without warning" and must be sent
// whole (API.md §2.1), and only codes on qr.vipps.no are scannable in the app: so any https URL on that
// exact host is taken as a customer and Vipps' answer (4060, 7010) decides. What is checked here is only
// what no such URL can be: another host (a port, a trailing dot, userinfo), characters outside RFC 3986
// (spaces, markup, braces, backslashes), a stray `%`, or more than the 255 characters ePayment takes.
const VIPPS_QR_PREFIX = 'https://qr.vipps.no/';
const MAX_PERSONAL_QR_LENGTH = 255;
const URL_REST = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;
// Control characters (C0, DEL, C1) and invisible format characters such as bidi overrides and
// zero-width spaces; the CR/LF/tab a scanner puts around its text is trimmed before this is checked.
const CONTROL_CHARACTERS = /[\p{Cc}\p{Cf}]/u;

/** Sorts what the scanner read into a product barcode, a customer's personal QR, or neither (and why). */
export function classifyScan(scanned: string): ScanResult {
  if (scanned.length > MAX_SCAN_LENGTH) return unrecognised('too-long');
  const text = scanned.trim();
  if (text === '') return unrecognised('empty');
  if (CONTROL_CHARACTERS.test(text)) return unrecognised('control-characters');

  if (hasGtinShape(text)) {
    return hasValidCheckDigit(text)
      ? { kind: 'product', gtin: normaliseGtin(text) }
      : unrecognised('bad-check-digit');
  }
  if (isVippsQrUrl(text)) return { kind: 'personal-qr', text };
  if (/vipps/i.test(text)) {
    return looksRetyped(text)
      ? { kind: 'unrecognised', reason: 'garbled-vipps-qr', hint: 'scanner-keyboard-layout' }
      : unrecognised('not-a-personal-qr');
  }
  return unrecognised('unknown-code');
}

function isVippsQrUrl(text: string): boolean {
  return (
    text.length <= MAX_PERSONAL_QR_LENGTH &&
    text.startsWith(VIPPS_QR_PREFIX) &&
    URL_REST.test(text.slice(VIPPS_QR_PREFIX.length))
  );
}

// A wedge scanner "types" the code: on the wrong layout the `://` is the first thing lost, and Caps Lock
// shows as an upper-case VIPPS, which no Vipps-issued code has.
function looksRetyped(text: string): boolean {
  return !text.includes('://') || text.includes('VIPPS');
}

function unrecognised(reason: UnrecognisedScanReason): ScanResult {
  return { kind: 'unrecognised', reason };
}
