/** `4791234567` -> `47******67`: enough for a field tech to tell customers apart, not to call them. */
export function maskMsisdn(msisdn: string): string {
  const digits = msisdn.replace(/\D/g, '');
  if (digits.length < 6) return '*'.repeat(digits.length);
  return `${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
}

// A phone number as people write it: 8–15 digits, maybe `+` or `00` first, groups split by single
// spaces or dashes: `4791234567`, `+47 912 34 567`, `912 34 567`, `0046 70-123 45 67`.
const PHONE_SHAPE = String.raw`(?:\+|00)?\d(?:[ -]?\d){7,14}`;
// Where one may stand: not inside a longer number, nor glued into an identifier (by letters, or by a
// dash as in the payment reference `kiosk-07-0000000042-1`, whose digits are a counter).
const PHONE_STANDALONE = new RegExp(
  String.raw`(?<![\w+]|[A-Za-z0-9]-)${PHONE_SHAPE}(?!\w|-[A-Za-z0-9])`,
  'g',
);
// A bare run of digits anywhere, identifiers included.
const DIGIT_RUN = /(?<!\d)\d{8,15}(?!\d)/;
// `2026-12-07` has eight digits and dashes; it is a date.
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
// No phone number starts with 000 (the international prefix 00 is followed by a country code, never 0);
// zero-padded receipt numbers (`0000000042`) do.
const ZERO_PADDED = /^000/;

/**
 * Whether `text` holds a phone number: the telemetry guard's test, which refuses rather than masks, so
 * a bare run of 8–15 digits counts wherever it stands (zero-padded counters too); a number written in
 * groups counts where it stands alone.
 */
export function hasPhoneNumber(text: string): boolean {
  return DIGIT_RUN.test(text) || [...text.matchAll(PHONE_STANDALONE)].some((m) => !CALENDAR_DATE.test(m[0]));
}

function isPhoneShaped(candidate: string): boolean {
  return !CALENDAR_DATE.test(candidate) && !ZERO_PADDED.test(candidate);
}

// `kari.nordmann@example.no` and the like; not the `user@host` of a URL (that is its login).
const EMAIL_ADDRESS = /(?<![\w.+/:-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// `scheme://user:password@`: the password part.
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/@]+@/gi;
const VIPPS_QR_TOKEN = /(https:\/\/qr\.vipps\.no\/p\/)[^\s"']+/g;
// Money and counters a log line names as such: `amount=12345678`, `"receiptNumber":"0000000042"`.
const NAMED_QUANTITY =
  /(?:amount|value|total|price|savings|receipt(?:number)?|reference)["']?\s*[=:]?\s*["']?$/i;

/**
 * Masks what looks like personal data or a secret in free text, so a log line can carry a URL or an
 * upstream message without leaking who paid: phone numbers (also formatted, also as JSON numbers),
 * e-mail addresses, personal QR tokens and passwords inside URLs. Payment references, receipt numbers,
 * amounts and dates stay readable.
 */
export function maskPersonalData(text: string): string {
  return text
    .replace(URL_PASSWORD, '$1:***@')
    .replace(VIPPS_QR_TOKEN, '$1…')
    .replace(EMAIL_ADDRESS, maskEmail)
    .replace(PHONE_STANDALONE, (candidate: string, offset: number, whole: string) =>
      !isPhoneShaped(candidate) || NAMED_QUANTITY.test(whole.slice(Math.max(0, offset - 24), offset))
        ? candidate
        : `${candidate.startsWith('+') ? '+' : ''}${maskMsisdn(candidate)}`,
    );
}

/** Whether `text` holds an e-mail address. */
export function hasEmailAddress(text: string): boolean {
  return text.search(EMAIL_ADDRESS) >= 0;
}

/** Whether `text` holds a URL with a password in it (`mqtts://user:password@host`). */
export function hasUrlPassword(text: string): boolean {
  return text.search(URL_PASSWORD) >= 0;
}

/** `kari.nordmann@example.no` -> `k***@example.no`. */
function maskEmail(address: string): string {
  const at = address.indexOf('@');
  return `${address[0]}***${address.slice(at)}`;
}

// Log fields named for a person: `name`, `firstName`, `last_name`, `email`, `phoneNumber`, `msisdn`.
const PERSON_FIELD =
  /^(?:(?:first|last|given|family|full|middle|sur|nick|customer|member)?name|e?mail|emailaddress|phone|phonenumber|mobile|msisdn)$/;

/**
 * A log field's value as it may be written: a field named for a person is masked whatever it holds
 * (a phone or msisdn field keeps a masked number as it is, `47******67`).
 */
export function maskField(key: string, value: string): string {
  const normalised = key.toLowerCase().replace(/[_-]/g, '');
  if (!PERSON_FIELD.test(normalised)) return value;
  if (/phone|mobile|msisdn/.test(normalised)) return value.includes('*') ? value : maskMsisdn(value);
  if (/mail/.test(normalised)) {
    const masked = value.replace(EMAIL_ADDRESS, maskEmail);
    return masked === value ? '***' : masked;
  }
  return '***';
}
