import type { Logger } from '../../common/log/logger.js';
import { hasEmailAddress, hasPhoneNumber, hasUrlPassword } from '../../common/log/mask.js';

/**
 * No personal data leaves the kiosk in telemetry (DESIGN.md): every payload — status, state, health,
 * events — passes this check before it is written to the outbox or published. The check refuses
 * rather than masks: a masked phone number in an event is still a sign that code put a customer's
 * data where it does not belong, and HQ has no use for it.
 *
 * What it refuses:
 * - a phone number in a string: a run of 8–15 digits, or one written in groups (`+47 912 34 567`,
 *   `912 34 567`, `0046 70-123 45 67`); dates (`2026-11-23`) are not;
 * - a JSON number of 8–15 digits (a phone number held as a number), unless its key names a quantity
 *   by its unit or as money (`amount`, `memberSavings`, `uptimeSeconds`, `p95Ms`, `stateDirFreeMb`);
 * - an e-mail address, and a URL with a password in it (`mqtts://user:password@host`);
 * - a Vipps personal QR token (`qr.vipps.no/p/...`);
 * - a key that names personal data or a secret: msisdn, phone, name, mail, token, secret, password.
 *
 * What it lets through: the two identifiers the kiosk makes itself and HQ needs to reconcile with
 * Vipps, `receiptNumber` (ten digits) and `reference` (`<kiosk>-<receipt>-<attempt>`), whose digits
 * are counters, not people; and of a file a command sent, its `sha256` and the SAF-T `file` name (the
 * company's organisation number and a time). The *values* it finds are never copied into the error, so the error
 * itself can be logged.
 */

/** Where personal data was found and which rule matched; never the data itself. */
export class PersonalDataInTelemetryError extends Error {
  override readonly name = 'PersonalDataInTelemetryError';

  constructor(
    readonly topic: string,
    readonly path: string,
    readonly rule: 'phone-number' | 'e-mail' | 'url-password' | 'personal-qr' | 'personal-key',
  ) {
    super(
      `Telemetry for ${topic} was refused: ${path} looks like ${RULE_TEXT[rule]}. No personal data may leave ` +
        'the kiosk; this is a bug in the code that built the payload, not a fault of the device.',
    );
  }
}

const RULE_TEXT: Record<PersonalDataInTelemetryError['rule'], string> = {
  'phone-number': 'a phone number (8–15 digits)',
  'e-mail': 'an e-mail address',
  'url-password': 'a URL with a password in it',
  'personal-qr': "a customer's personal Vipps QR token",
  'personal-key': 'a field for a phone number, a name, a token or a secret',
};

const PERSONAL_QR = /qr\.vipps\.no\/p\//i;
// Matched against the key with `_` and `-` removed, lowercase: `customer_name`, `firstName`, `msisdn`,
// `accessToken`, `clientSecret`. Deliberately broad (it also refuses `hostname`, `productName`):
// telemetry fields are ours to name, and a false alarm costs a rename, a leak costs far more.
const PERSONAL_KEY = /msisdn|phone|name|mail|token|secret|password/;
// Numbers that may be long and are not people: money, and measures that carry their unit in the key.
const QUANTITY_KEY = /amount$|savings$|total$|price$|ms$|seconds$|mb$|bytes$/i;
const PHONE_LENGTH_INTEGER = { min: 10_000_000, max: 999_999_999_999_999 };
// Made by the kiosk's own counters (device/checkout/domain): checked for shape instead of for digit runs.
const OWN_IDENTIFIERS: Record<string, RegExp> = {
  receiptNumber: /^\d{10}$/,
  reference: /^[a-zA-Z][a-zA-Z0-9-]{0,30}-\d{10}-\d{1,6}$/,
  // A file a command sent (contracts/file-transfer.ts): its hash, and the SAF-T file's name, which
  // carries the company's organisation number and the time it was made.
  sha256: /^[0-9a-f]{64}$/,
  file: /^SAF-T Cash Register_\d{9}_\d{14}\.xml$/,
};

/** Throws {@link PersonalDataInTelemetryError} at the first personal datum in `payload`. */
export function assertNoPersonalData(topic: string, payload: unknown): void {
  walk(topic, payload, '$', 0);
}

function walk(topic: string, value: unknown, path: string, depth: number, key?: string): void {
  if (depth > 32) return; // JSON from our own code is shallow; this only stops a pathological cycle
  if (typeof value === 'string') {
    const rule = stringRule(value);
    if (rule) throw new PersonalDataInTelemetryError(topic, path, rule);
    return;
  }
  if (typeof value === 'number') {
    const magnitude = Math.abs(value);
    const phoneLength = magnitude >= PHONE_LENGTH_INTEGER.min && magnitude <= PHONE_LENGTH_INTEGER.max;
    if (Number.isInteger(value) && phoneLength && !(key !== undefined && QUANTITY_KEY.test(key)))
      throw new PersonalDataInTelemetryError(topic, path, 'phone-number');
    return;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) walk(topic, item, `${path}[${index}]`, depth + 1);
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      // A key can carry data too (`{"4791234567": ...}`): checked first, and named without its text.
      walk(topic, key, `${path}.<a key>`, depth + 1);
      const childPath = `${path}.${key}`;
      if (PERSONAL_KEY.test(key.toLowerCase().replace(/[_-]/g, '')))
        throw new PersonalDataInTelemetryError(topic, childPath, 'personal-key');
      const own = OWN_IDENTIFIERS[key];
      if (own && typeof item === 'string' && own.test(item)) continue;
      walk(topic, item, childPath, depth + 1, key);
    }
  }
}

function stringRule(value: string): PersonalDataInTelemetryError['rule'] | undefined {
  if (PERSONAL_QR.test(value)) return 'personal-qr';
  if (hasUrlPassword(value)) return 'url-password';
  if (hasEmailAddress(value)) return 'e-mail';
  if (hasPhoneNumber(value)) return 'phone-number';
  return undefined;
}

/**
 * The check as the publisher applies it to everything it sends. `drop` (production): log the refusal
 * without the data and send nothing — telemetry must never break a checkout. `throw` (tests,
 * development): throw {@link PersonalDataInTelemetryError} so the bug is found where it is made.
 */
export class PayloadGuard {
  private refusedCount = 0;

  constructor(
    private readonly mode: 'drop' | 'throw',
    private readonly logger: Logger,
  ) {}

  /** Payloads refused (and dropped) so far. */
  get refused(): number {
    return this.refusedCount;
  }

  /** True when the payload may go out on `topic`. */
  passes(topic: string, payload: unknown): boolean {
    try {
      assertNoPersonalData(topic, payload);
      return true;
    } catch (error) {
      if (!(error instanceof PersonalDataInTelemetryError) || this.mode === 'throw') throw error;
      this.refusedCount += 1;
      // The message names the field and the rule, never the value: safe to log.
      this.logger.error(error.message, { topic: error.topic, field: error.path, rule: error.rule });
      return false;
    }
  }
}
