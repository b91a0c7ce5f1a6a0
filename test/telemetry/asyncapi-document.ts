import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

// contracts/asyncapi.yaml as the tests read it: every $ref resolved, each channel's address as a pattern
// and each message's payload schema compiled with ajv, so a test can ask which channel and message a
// topic and payload are. Used by asyncapi.test.ts (real payloads from a running kiosk) and
// telemetry-map.test.ts (the typed map in contracts/telemetry.ts).

export type Json = Record<string, unknown>;

const DOCUMENT_PATH = new URL('../../contracts/asyncapi.yaml', import.meta.url);
const doc = parse(readFileSync(DOCUMENT_PATH, 'utf8')) as Json;

/** The value at a local `$ref` (`#/components/schemas/Status`). */
function pointer(ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are used in the document: ${ref}`);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node))
      throw new Error(`$ref ${ref} does not resolve`);
    node = (node as Json)[key];
  }
  return node;
}

/** A copy of `node` with every `$ref` replaced by what it points to (the document has no cycles). */
function deref(node: unknown, depth = 0): unknown {
  if (depth > 40) throw new Error('$ref cycle in the document');
  if (Array.isArray(node)) return node.map((item) => deref(item, depth + 1));
  if (node === null || typeof node !== 'object') return node;
  const object = node as Json;
  if (typeof object.$ref === 'string') return deref(pointer(object.$ref), depth + 1);
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, deref(value, depth + 1)]));
}

interface ParameterSpec {
  enum?: string[];
}

export interface MessageSpec {
  key: string;
  name: string;
  payload: Json;
  validate: ValidateFunction;
}

export interface ChannelSpec {
  key: string;
  address: string;
  planned: boolean;
  pattern: RegExp;
  parameterNames: string[];
  parameters: Record<string, ParameterSpec>;
  messages: MessageSpec[];
}

export interface OperationSpec {
  action: 'send' | 'receive';
  channel: { address: string };
  bindings?: { mqtt?: { qos?: number; retain?: boolean } };
  'x-status'?: string;
}

export const ajv = new Ajv({
  strict: true,
  allErrors: true,
  allowUnionTypes: true,
  // Timestamps carry a `pattern` as well; `format` is documentation here (no ajv-formats).
  formats: { 'date-time': true },
});

export const resolved = deref(doc) as {
  asyncapi: string;
  info: { title: string; version: string; description: string };
  servers: Record<string, { host: string; protocol: string }>;
  channels: Record<
    string,
    {
      address: string;
      'x-status'?: string;
      parameters?: Record<string, ParameterSpec>;
      messages: Record<string, { name: string; payload: Json; examples?: Array<{ payload: unknown }> }>;
    }
  >;
  operations: Record<string, OperationSpec>;
};

export const channels: ChannelSpec[] = Object.entries(resolved.channels).map(([key, channel]) => {
  const parameterNames: string[] = [];
  const source = channel.address
    .split('/')
    .map((level) => {
      const parameter = /^\{(\w+)\}$/.exec(level);
      if (!parameter) return level.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      parameterNames.push(parameter[1]!);
      return '([^/]+)';
    })
    .join('/');
  return {
    key,
    address: channel.address,
    planned: channel['x-status'] === 'planned',
    pattern: new RegExp(`^${source}$`),
    parameterNames,
    parameters: channel.parameters ?? {},
    messages: Object.entries(channel.messages).map(([messageKey, message]) => ({
      key: messageKey,
      name: message.name,
      payload: message.payload,
      validate: ajv.compile(message.payload),
    })),
  };
});

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;

export interface Verdict {
  channel: ChannelSpec;
  message: MessageSpec;
  parameters: Record<string, string>;
}

/**
 * The one channel `topic` belongs to and the one message of it that `payload` is: throws with the
 * reasons otherwise (no channel, two channels, a parameter outside its enum, no or two valid messages).
 */
export function classify(topic: string, payload: unknown): Verdict {
  const matches = channels.filter((channel) => channel.pattern.test(topic));
  if (matches.length !== 1)
    throw new Error(`${topic} matches ${matches.length} channels (${matches.map((c) => c.key).join(', ')})`);
  const channel = matches[0]!;
  const values = channel.pattern.exec(topic)!.slice(1);
  const parameters = Object.fromEntries(channel.parameterNames.map((name, i) => [name, values[i]!]));
  for (const [name, value] of Object.entries(parameters)) {
    if (!SEGMENT.test(value)) throw new Error(`${topic}: {${name}} = ${value} is not a valid topic level`);
    const allowed = channel.parameters[name]?.enum;
    if (allowed && !allowed.includes(value))
      throw new Error(`${topic}: {${name}} = ${value} is not one of ${allowed.join(', ')}`);
  }
  const valid: MessageSpec[] = [];
  const reasons: string[] = [];
  for (const message of channel.messages) {
    if (message.validate(payload)) valid.push(message);
    else reasons.push(`${message.name}: ${ajv.errorsText(message.validate.errors)}`);
  }
  if (valid.length !== 1)
    throw new Error(
      `${topic}: the payload is ${valid.length} of the channel's messages\n  ${reasons.join('\n  ')}\n  ${JSON.stringify(payload)}`,
    );
  const message = valid[0]!;
  // An event's envelope names its type, and the topic level must say the same.
  if (parameters.type !== undefined && (payload as Json).type !== parameters.type)
    throw new Error(`${topic}: the envelope says type ${String((payload as Json).type)}`);
  return { channel, message, parameters };
}

/** The MQTT QoS and retain flag the document promises for what the kiosk sends on a channel. */
export function sendBinding(channel: ChannelSpec): { qos?: number; retain?: boolean } {
  const operation = Object.values(resolved.operations).find(
    (op) => op.action === 'send' && op.channel.address === channel.address,
  );
  if (!operation) throw new Error(`no send operation for ${channel.address}`);
  return operation.bindings?.mqtt ?? {};
}
