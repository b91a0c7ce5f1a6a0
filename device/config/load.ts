import { readFile, stat } from 'node:fs/promises';
import type { z } from 'zod';
import { ConfigError } from '../../common/config-error.js';
import { applyEnvOverrides } from './env-overrides.js';
import { checkedSettingsSchema, type Settings } from './schema.js';

export const DEFAULT_CONFIG_DIR = '/etc/vipps-kiosk';

export interface LoadOptions {
  configPath: string;
  secretsPath: string;
  env?: NodeJS.ProcessEnv;
}

export async function loadSettings(options: LoadOptions): Promise<Settings> {
  const config = await readJsonFile(options.configPath, 'configuration');
  if ('secrets' in config) {
    throw new ConfigError([
      `${options.configPath}: key "secrets" does not belong here; move it to ${options.secretsPath} (mode 0640 or 0600)`,
    ]);
  }
  await refuseSharedSecrets(options.secretsPath);
  const secrets = await readJsonFile(options.secretsPath, 'secrets');
  return parseSettings({ ...config, secrets }, options.env ?? process.env, {
    config: options.configPath,
    secrets: options.secretsPath,
  });
}

/** Validates a settings object after applying VK_* overrides; errors name where each key came from. */
export function parseSettings(
  input: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  sources: { config: string; secrets: string },
): Settings {
  const { merged, problems, overridden } = applyEnvOverrides(input, env);
  const result = checkedSettingsSchema.safeParse(merged);
  if (result.success && problems.length === 0) return result.data;
  const issues = result.success ? [] : result.error.issues;
  throw new ConfigError([
    ...problems,
    ...issues.map((issue) => {
      const key = issue.path.map(String).join('.');
      const source = overridden.get(key) ?? (key.startsWith('secrets') ? sources.secrets : sources.config);
      return `${source}: ${key || '(top level)'}: ${describeIssue(issue, merged)}`;
    }),
  ]);
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; expected only the keys in the configuration reference (docs/configuration.md)`;
  }
  const value = valueAt(input, issue.path);
  if (value === undefined) return `is missing; ${issue.message}`;
  if (issue.path[0] === 'secrets') return `is not valid (value not shown); ${issue.message}`;
  return `${JSON.stringify(value)} is not valid; ${issue.message}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

async function readJsonFile(path: string, what: string): Promise<Record<string, unknown>> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint =
      code === 'ENOENT'
        ? 'it does not exist; run `vipps-kiosk provision` to create it'
        : `cannot read it (${code})`;
    throw new ConfigError([`${path}: the ${what} file: ${hint}`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError([
      `${path}: not valid JSON (${(error as Error).message}); expected one JSON object`,
    ]);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError([
      `${path}: holds ${Array.isArray(parsed) ? 'an array' : typeof parsed}; expected one JSON object`,
    ]);
  }
  return parsed as Record<string, unknown>;
}

/** Secrets readable or writable by anyone outside the owner and group would leak the merchant's keys. */
async function refuseSharedSecrets(path: string): Promise<void> {
  let mode: number;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch {
    return; // readJsonFile reports the missing file with its own hint
  }
  if ((mode & 0o007) !== 0 || (mode & 0o020) !== 0) {
    throw new ConfigError([
      `${path}: mode ${mode.toString(8).padStart(4, '0')} lets other users read or change the Vipps keys; ` +
        `fix with: chown root:kiosk ${path} && chmod 0640 ${path}`,
    ]);
  }
}
