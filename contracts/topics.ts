import { z } from 'zod';
/**
 * MQTT topics, version 1 (DESIGN.md): `vk/v1/{site}/{device}/...`. Every topic a kiosk publishes or
 * subscribes to is built here, so the broker ACL (each device only its own subtree) has one source.
 */

export const TOPIC_ROOT = 'vk/v1';

/** AWS IoT's limit, which we keep so the fleet can move there: at most 7 levels. */
export const MAX_TOPIC_LEVELS = 7;
/** Also AWS IoT's limit (bytes, UTF-8). */
export const MAX_TOPIC_BYTES = 256;

/** A site or device id (or an event/command name) that cannot be a topic level. */
export class InvalidTopicSegmentError extends Error {
  override readonly name = 'InvalidTopicSegmentError';

  constructor(
    readonly what: string,
    readonly value: string,
    reason: string,
  ) {
    super(
      `The ${what} ${JSON.stringify(value)} cannot be used in an MQTT topic: ${reason}. ` +
        'Use letters, digits and dashes (for example "oslo-1" or "kiosk-07") in the kiosk config.',
    );
  }
}

// Letters, digits, dash and underscore (the config schema's device and site ids; AWS's topic guidance):
// no wildcards (`+`, `#`), no level separator, no `$` (reserved for broker topics), no spaces or
// control characters that an ACL pattern or a shell would trip over.
const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;

export function validateSegment(what: string, value: string): string {
  if (value.length === 0) throw new InvalidTopicSegmentError(what, value, 'it is empty');
  if (/[+#]/.test(value))
    throw new InvalidTopicSegmentError(what, value, 'it contains an MQTT wildcard (+ or #)');
  if (value.includes('/')) throw new InvalidTopicSegmentError(what, value, 'it contains a slash');
  if (!SEGMENT.test(value))
    throw new InvalidTopicSegmentError(
      what,
      value,
      'only letters, digits, "-" and "_" are allowed, at most 64 characters',
    );
  return value;
}

function checked(topic: string): string {
  // The segments are validated, so these only fire if a builder below is wrong.
  if (topic.startsWith('/')) throw new Error(`topic ${topic} has a leading slash`);
  if (topic.split('/').length > MAX_TOPIC_LEVELS)
    throw new Error(`topic ${topic} has more than ${MAX_TOPIC_LEVELS} levels`);
  if (Buffer.byteLength(topic) > MAX_TOPIC_BYTES)
    throw new Error(`topic ${topic} is longer than ${MAX_TOPIC_BYTES} bytes`);
  return topic;
}

export interface DeviceTopics {
  /** Retained; `online` on every connect, the last will `offline`. */
  readonly status: string;
  /** Retained projection of the machine snapshot. */
  readonly state: string;
  /** Periodic samples, not retained. */
  readonly health: string;
  /** Prefix of the events: `.../events/{type}`. */
  event(type: string): string;
  /** HQ -> kiosk. */
  command(name: string): string;
  /** Kiosk -> HQ, answer to `command(name)`. */
  response(name: string): string;
  /** Kiosk -> HQ, a file a command asked for, in chunks (contracts/file-transfer.ts). */
  file(transactionId: string): string;
  /** What the kiosk subscribes to for commands. */
  readonly commandFilter: string;
  /** The subtree a broker ACL grants this device (`vk/v1/{site}/{device}/#`). */
  readonly aclPattern: string;
}

export function deviceTopics(site: string, device: string): DeviceTopics {
  const base = `${TOPIC_ROOT}/${validateSegment('site id', site)}/${validateSegment('device id', device)}`;
  return {
    status: checked(`${base}/status`),
    state: checked(`${base}/state`),
    health: checked(`${base}/health`),
    event: (type) => checked(`${base}/events/${validateSegment('event type', type)}`),
    command: (name) => checked(`${base}/cmd/${validateSegment('command name', name)}`),
    response: (name) => checked(`${base}/resp/${validateSegment('command name', name)}`),
    file: (transactionId) => checked(`${base}/files/${validateSegment('transaction id', transactionId)}`),
    commandFilter: `${base}/cmd/+`,
    aclPattern: `${base}/#`,
  };
}

/** The MQTT client id: one per device, so two kiosks never kick each other off the broker. */
export function clientIdFor(site: string, device: string): string {
  return `vk-${validateSegment('site id', site)}-${validateSegment('device id', device)}`;
}

/**
 * A Vipps webhook for one payment, relayed by HQ: `vk/v1/vipps/{msn}/payments/{reference}`. HQ publishes
 * there; the kiosk waiting on that payment subscribes to exactly that topic.
 */
export function vippsPaymentTopic(msn: string, reference: string): string {
  const merchant = validateSegment('merchant serial number', msn);
  return checked(
    `${TOPIC_ROOT}/vipps/${merchant}/payments/${validateSegment('payment reference', reference)}`,
  );
}

/**
 * HQ's alert topic: every alert raised or cleared, the kiosks' own and HQ's collector rules', for
 * whatever paging the chain uses. Only HQ's collector identity may publish here (the broker ACL).
 * Four levels, so no kiosk topic (`vk/v1/{site}/{device}/...`, five or more) can be it.
 */
export const HQ_ALERTS_TOPIC = `${TOPIC_ROOT}/hq/alerts`;

/** A kiosk's id: its MQTT topic level, and part of every payment reference. */
export const deviceIdShape = z
  .string({ error: 'expected a device id of 1–32 letters, digits and -' })
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,31}$/, { error: 'expected a device id of 1–32 letters, digits and -' });

/** A store's id: the MQTT topic level above its kiosks. */
export const siteIdShape = z
  .string({ error: 'expected a site id of 1–32 letters, digits, - and _' })
  .regex(/^[a-zA-Z0-9_-]{1,32}$/, { error: 'expected a site id of 1–32 letters, digits, - and _' })
  // vk/v1/vipps/... carries the Vipps webhooks HQ relays: a kiosk there could forge them.
  .refine((site) => site.toLowerCase() !== 'vipps', {
    error: 'expected any site id but "vipps", which HQ reserves',
  });
