import { TOPIC_ROOT } from '../../contracts/topics.js';

// What the collector makes of one MQTT message on a kiosk's topics (contracts/asyncapi.yaml): the row
// it becomes, or why it cannot be read. Pure: nothing a kiosk publishes can make it throw.

type Json = Record<string, unknown>;

export type TelemetryRecord =
  | {
      kind: 'event';
      site: string;
      device: string;
      id: string;
      type: string;
      class: 'money' | 'info';
      at: Date;
      reference: string | null;
      /** Minor units, when the payload carries an `amount`. */
      amount: number | null;
      currency: string | null;
      payload: Json;
    }
  | {
      kind: 'presence';
      site: string;
      device: string;
      state: 'online' | 'offline';
      bootId: string;
      session: number;
      version: string | null;
      startedAt: Date | null;
    }
  | { kind: 'health'; site: string; device: string; payload: Json }
  /** `payload` null: the retained state was cleared (a decommissioned kiosk). */
  | { kind: 'state'; site: string; device: string; payload: Json | null }
  | { kind: 'unreadable'; topic: string; problem: string; payload: string }
  /** Valid traffic that is not kept: a cleared retained status. */
  | { kind: 'ignored' };

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;
/** Kiosk event ids are ULIDs; anything id-like up to 64 characters is taken. */
const EVENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

function object(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function parse(text: string): Json | undefined {
  try {
    return object(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function date(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export function telemetryRecord(topic: string, payload: Buffer): TelemetryRecord {
  const body = payload.toString('utf8');
  const unreadable = (problem: string): TelemetryRecord => ({
    kind: 'unreadable',
    topic,
    problem,
    payload: body,
  });
  const [root, version, site, device, kind, name, ...rest] = topic.split('/');
  if (
    `${root}/${version}` !== TOPIC_ROOT ||
    site === undefined ||
    device === undefined ||
    !SEGMENT.test(site) ||
    !SEGMENT.test(device) ||
    rest.length > 0
  )
    return unreadable('not a kiosk topic');
  if (kind === 'events' && name !== undefined) return event(site, device, name, body, unreadable);
  if (name !== undefined) return unreadable('not a collected topic');
  if (kind === 'status') {
    if (body === '') return { kind: 'ignored' };
    const status = parse(body);
    const state = status?.state;
    const bootId = text(status?.bootId);
    const session = status?.session;
    if (state !== 'online' && state !== 'offline') return unreadable('status without online/offline');
    if (bootId === null || typeof session !== 'number' || !Number.isSafeInteger(session))
      return unreadable('status without its bootId and session');
    return {
      kind: 'presence',
      site,
      device,
      state,
      bootId,
      session,
      version: text(status?.version),
      startedAt: date(status?.startedAt),
    };
  }
  if (kind === 'state') {
    if (body === '') return { kind: 'state', site, device, payload: null };
    const state = parse(body);
    return state ? { kind: 'state', site, device, payload: state } : unreadable('state is not a JSON object');
  }
  if (kind === 'health') {
    const health = parse(body);
    return health
      ? { kind: 'health', site, device, payload: health }
      : unreadable('health is not a JSON object');
  }
  return unreadable('not a collected topic');
}

function event(
  site: string,
  device: string,
  topicType: string,
  body: string,
  unreadable: (problem: string) => TelemetryRecord,
): TelemetryRecord {
  const envelope = parse(body);
  if (!envelope) return unreadable('event is not a JSON object');
  const id = text(envelope.id);
  if (id === null || !EVENT_ID.test(id)) return unreadable('event without a usable id');
  if (envelope.type !== topicType)
    return unreadable(`event of type ${String(envelope.type)} on events/${topicType}`);
  const eventClass = envelope.class;
  if (eventClass !== 'money' && eventClass !== 'info')
    return unreadable('event class is neither money nor info');
  const at = date(envelope.at);
  if (at === null) return unreadable('event without a valid time (at)');
  const payload = object(envelope.payload);
  if (!payload) return unreadable('event without a payload object');
  const amount = payload.amount;
  if (amount !== undefined && amount !== null && !Number.isSafeInteger(amount))
    return unreadable('event amount is not a whole number of minor units');
  return {
    kind: 'event',
    site,
    device,
    id,
    type: topicType,
    class: eventClass,
    at,
    reference: text(payload.reference),
    amount: typeof amount === 'number' ? amount : null,
    currency: text(payload.currency),
    payload,
  };
}
