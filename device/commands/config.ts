import { join } from 'node:path';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { settingLeaves } from '../config/env-overrides.js';
import { DEFAULT_CONFIG_DIR, loadSettings } from '../config/load.js';

export const configUsage = `vipps-kiosk config check|show|reference [--config-dir DIR]
  check      validate config.json + secrets.json + VK_* variables; exit 1 with every problem listed
  show       print the effective configuration, secrets replaced by "(set)"
  reference  print the configuration reference (Markdown): every key, its variable, default, meaning`;

export async function configCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { 'config-dir': { type: 'string' } });
  const dir = values['config-dir'] ?? DEFAULT_CONFIG_DIR;
  const paths = { configPath: join(dir, 'config.json'), secretsPath: join(dir, 'secrets.json') };
  switch (positionals[0]) {
    case 'check': {
      const settings = await loadSettings(paths);
      process.stdout.write(
        `${paths.configPath} and ${paths.secretsPath} are valid for kiosk ${settings.device.id}\n`,
      );
      return;
    }
    case 'show': {
      const settings = await loadSettings(paths);
      process.stdout.write(
        `${JSON.stringify({ ...settings, secrets: redacted(settings.secrets) }, null, 2)}\n`,
      );
      return;
    }
    case 'reference':
      process.stdout.write(configReference());
      return;
    default:
      throw new UsageError(`unknown config action "${positionals[0] ?? ''}"`);
  }
}

/** Every secret that is set shows as "(set)": enough to see it is there, nothing to copy. */
function redacted(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value === undefined ? undefined : '(set)';
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redacted(inner)]));
}

/** The configuration table in docs/configuration.md, generated from the schema so the two cannot drift apart. */
export function configReference(): string {
  const rows = [...settingLeaves()].map(([variable, leaf]) => {
    const key = leaf.path.join('.');
    const secret = leaf.path[0] === 'secrets';
    const fallback =
      leaf.fallback !== undefined
        ? `\`${JSON.stringify(leaf.fallback)}\``
        : leaf.optional
          ? 'optional'
          : 'required';
    return `| \`${key}\` | \`${variable}\` | ${secret ? `${fallback}, secret` : fallback} | ${leaf.description ?? ''} |`;
  });
  return ['| key | environment variable | default | meaning |', '|---|---|---|---|', ...rows, ''].join('\n');
}
