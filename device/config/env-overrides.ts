import type { z } from 'zod';
import { settingsSchema } from './schema.js';

export const ENV_PREFIX = 'VK_';

type LeafKind = 'number' | 'boolean' | 'string';

/** `vipps.merchantSerialNumber` -> `VK_VIPPS__MERCHANT_SERIAL_NUMBER`. */
export function envName(path: readonly string[]): string {
  return (
    ENV_PREFIX + path.map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('__')
  );
}

export interface SettingLeaf {
  path: string[];
  kind: LeafKind;
  description: string | undefined;
  /** The default the schema fills in; undefined when the key must be given or is optional. */
  fallback: unknown;
  optional: boolean;
}

interface WalkedDef {
  type: string;
  options?: z.core.$ZodType[];
  innerType?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
  defaultValue?: unknown;
}

type Found = Omit<SettingLeaf, 'path' | 'kind'>;
const NOTHING_FOUND: Found = { description: undefined, fallback: undefined, optional: false };

/** A choice of numbers, such as MQTT 5 or 4, is read from the environment as a number. */
function numberLiterals(def: WalkedDef): boolean {
  return (
    def.type === 'union' &&
    (def.options ?? []).every((option) => {
      const inner = option._zod.def as { type: string; values?: unknown[] };
      return inner.type === 'literal' && (inner.values ?? []).every((v) => typeof v === 'number');
    })
  );
}

/** Every settable key of the schema, found by walking it, so a new key gets its variable for free. */
export function settingLeaves(): Map<string, SettingLeaf> {
  const leaves = new Map<string, SettingLeaf>();
  const walk = (schema: z.core.$ZodType, path: string[], found: Found) => {
    const def = schema._zod.def as WalkedDef;
    const seen: Found = {
      description: found.description ?? (schema as { description?: string }).description,
      fallback: def.type === 'default' ? def.defaultValue : found.fallback,
      optional: found.optional || def.type === 'optional',
    };
    if (def.innerType) return walk(def.innerType, path, seen);
    if (def.type === 'object' && def.shape) {
      for (const [key, child] of Object.entries(def.shape)) walk(child, [...path, key], NOTHING_FOUND);
      return;
    }
    const kind: LeafKind =
      def.type === 'number' || numberLiterals(def) ? 'number' : def.type === 'boolean' ? 'boolean' : 'string';
    leaves.set(envName(path), { path, kind, ...seen });
  };
  walk(settingsSchema, [], NOTHING_FOUND);
  return leaves;
}

export interface Overridden {
  merged: Record<string, unknown>;
  problems: string[];
  /** Dotted key -> the variable that set it, so errors point at the variable, not the file. */
  overridden: Map<string, string>;
}

export function applyEnvOverrides(input: Record<string, unknown>, env: NodeJS.ProcessEnv): Overridden {
  const merged = structuredClone(input);
  const problems: string[] = [];
  const overridden = new Map<string, string>();
  const leaves = settingLeaves();
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const leaf = leaves.get(name);
    if (!leaf) {
      problems.push(
        `${name}: names no setting; expected one of the VK_* variables in the configuration reference (docs/configuration.md)`,
      );
      continue;
    }
    setAt(merged, leaf.path, coerce(raw, leaf.kind));
    overridden.set(leaf.path.join('.'), `environment ${name}`);
  }
  return { merged, problems, overridden };
}

// Left as text when it does not parse, so the schema reports the value with its expected form.
function coerce(raw: string, kind: LeafKind): unknown {
  if (kind === 'number' && /^-?\d+(\.\d+)?$/.test(raw.trim())) return Number(raw);
  if (kind === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}
