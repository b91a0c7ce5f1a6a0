import { Ajv, type ValidateFunction } from 'ajv';
import { type Json, readResolvedDocument } from '../support/yaml-document.js';

export type { Json };

// contracts/asyncapi.yaml as the tests read it: every $ref resolved, each channel's address as a pattern
// and each message's payload schema compiled with ajv, so a test can ask which channel and message a
// topic and payload are. Used by asyncapi.test.ts (real payloads from a running kiosk) and
// telemetry-map.test.ts (the typed map in contracts/telemetry.ts).

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

export const resolved = readResolvedDocument(new URL('../../contracts/asyncapi.yaml', import.meta.url)) as {
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
