import type { z } from 'zod';
import { settingsSchema } from '../device/config/schema.js';
import type { ConfigPair, JsonObject } from './config-files.js';

// The configuration being provisioned, settings-shaped (secrets under `secrets`), and one key of it
// checked against the schema the daemon will load it with, so provisioning never accepts a value the
// daemon would refuse, and says so in the schema's own words.

export type Draft = JsonObject;

export function draftOf(pair: ConfigPair): Draft {
  return { ...structuredClone(pair.config), secrets: structuredClone(pair.secrets) };
}

export function pairOf(draft: Draft): ConfigPair {
  const { secrets, ...config } = structuredClone(draft);
  return { config, secrets: (secrets as JsonObject | undefined) ?? {} };
}

export function valueAt(draft: Draft, path: string): unknown {
  let node: unknown = draft;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as JsonObject)[key];
  }
  return node;
}

/** Sets a key, making the objects above it; `undefined` removes it (an optional key left empty). */
export function setAt(draft: Draft, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = draft;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as JsonObject;
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** Deep merge of `over` onto `base` (objects merged, everything else replaced). */
export function merged(base: Draft, over: Draft): Draft {
  const out = structuredClone(base);
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] =
      isObject(value) && isObject(current) ? merged(current, value) : structuredClone(value as unknown);
  }
  return out;
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

interface WalkedDef {
  type: string;
  innerType?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
}

/** The schema of one key, with its default and optional wrappers left on. */
export function schemaAt(path: string): z.core.$ZodType {
  let schema = settingsSchema as z.core.$ZodType;
  for (const key of path.split('.')) {
    let def = schema._zod.def as WalkedDef;
    while (def.innerType && !def.shape) {
      schema = def.innerType;
      def = schema._zod.def as WalkedDef;
    }
    const child = def.shape?.[key];
    if (!child) throw new Error(`no setting ${path}`);
    schema = child;
  }
  return schema;
}

/** What the daemon's schema says about one value: undefined when it takes it, else the expected form. */
export function problemWith(path: string, value: unknown): string | undefined {
  const result = (schemaAt(path) as z.ZodType).safeParse(value);
  return result.success ? undefined : (result.error.issues[0]?.message ?? 'not valid');
}

/** The schema's description of a key, the same words as the configuration reference. */
export function describeKey(path: string): string {
  return (schemaAt(path) as { description?: string }).description ?? '';
}
