import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from './config-error.js';

// The webhook relay's secrets file (mode 0600): the webhook secrets Vipps showed once at registration,
// and the relay's broker password. Two programs share it: `vipps-kiosk webhooks register` (the kiosk's
// Vipps keys) writes registrations into it, and HQ's relay reads them to verify deliveries.

/** A Vipps merchant serial number (a sales unit): also how HQ's fleet file names a kiosk's. */
export const merchantSerialNumberShape = z
  .string({ error: 'expected the merchant serial number: 4–7 digits, in quotes, e.g. "123456"' })
  .regex(/^[0-9]{4,7}$/, { error: 'expected the merchant serial number: 4–7 digits, e.g. "123456"' });

const registeredUrl = z
  .url({
    error: 'expected the https:// URL registered at Vipps, e.g. https://hooks.example.com/vipps/123456',
  })
  .refine((url) => url.startsWith('https://'), {
    error: 'expected an https:// URL: Vipps delivers only over HTTPS',
  });

export const registrationSchema = z.strictObject({
  /** The Webhooks API id, when known: `webhooks delete` removes the entry by it. */
  id: z.string().min(1).optional(),
  msn: merchantSerialNumberShape,
  url: registeredUrl,
  secret: z.string({ error: 'expected the secret Vipps returned at registration' }).min(1),
});

export const relaySecretsSchema = z.strictObject({
  brokerPassword: z.string().min(1).optional(),
  registrations: z.array(registrationSchema).default([]),
});

export type RelayRegistration = z.infer<typeof registrationSchema>;
export type RelaySecrets = z.infer<typeof relaySecretsSchema>;

/** A relay configuration or secrets file that cannot be used; one line per problem, ready to print. */
export class RelayConfigError extends ConfigError {
  constructor(problems: readonly string[]) {
    super(problems, 'The webhook relay configuration');
  }
}

export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; the keys are in "Setting up the relay" in docs/hq-operations.md`;
  return issue.message;
}

export const DEFAULT_RELAY_SECRETS = '/etc/vipps-kiosk/webhook-relay.secrets.json';

/** Reads a JSON file through a schema; every problem names the file and the key. */
export async function readRelayFile<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    throw new RelayConfigError([`${path}: cannot read it (${(error as NodeJS.ErrnoException).code})`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new RelayConfigError([`${path}: not valid JSON (${(error as Error).message})`]);
  }
  const result = schema.safeParse(parsed);
  if (result.success) return result.data;
  throw new RelayConfigError(
    result.error.issues.map(
      (issue) => `${path}: ${issue.path.join('.') || '(top level)'}: ${describeIssue(issue)}`,
    ),
  );
}

/** The secrets file, refused when other users may read it; a missing file is an empty one. */
export async function readRelaySecrets(path: string): Promise<RelaySecrets> {
  try {
    await refuseSharedSecretFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { registrations: [] };
    throw error;
  }
  return readRelayFile(path, relaySecretsSchema);
}

/**
 * A file of webhook secrets that anyone but its owner may read or change is refused (RelayConfigError);
 * a file that cannot be looked at rejects with its ErrnoException.
 */
export async function refuseSharedSecretFile(path: string): Promise<void> {
  let mode: number;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    throw new RelayConfigError([`${path}: cannot read it (${(error as NodeJS.ErrnoException).code})`]);
  }
  if ((mode & 0o077) !== 0) {
    throw new RelayConfigError([
      `${path}: mode ${mode.toString(8).padStart(4, '0')} lets other users read the webhook secrets; ` +
        `fix with: chmod 0600 ${path}`,
    ]);
  }
}
