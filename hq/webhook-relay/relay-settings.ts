import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import {
  describeIssue,
  RelayConfigError,
  type RelayRegistration,
  refuseSharedSecretFile,
  registrationSchema,
} from '../../common/relay-secrets.js';
import { BROKER_URL_RULE, secureUrlShape } from '../../contracts/secure-url.js';

// The relay's settings: a config file (port, broker, clock skew, memory bounds) and the secrets file
// (common/relay-secrets.ts), either of which flags can stand in for.

export const relayConfigSchema = z.strictObject({
  /** Loopback: the relay runs behind the TLS proxy that faces Vipps, on the same machine. */
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(8443),
  broker: secureUrlShape(BROKER_URL_RULE),
  username: z.string().min(1).optional(),
  caFile: z.string().min(1).optional(),
  /**
   * How far the sender's clock may be from the relay's: how far ahead x-ms-date may be, and how far
   * beyond Vipps' 7 days of retries it may lie back (contracts/webhook-signature.ts).
   */
  maxSkewSeconds: z.number().int().min(30).max(3_600).default(300),
  /** Events remembered for 7 days to drop Vipps' copies; about 150 bytes each. */
  rememberedEvents: z.number().int().min(1_000).max(2_000_000).default(200_000),
  /** Failed signatures per minute from one address before the next are answered 429. */
  failedSignaturesPerMinute: z.number().int().min(1).max(10_000).default(30),
  maxBodyBytes: z.number().int().min(1_024).max(1_048_576).default(65_536),
  secretsFile: z.string().min(1).optional(),
});

export type RelayConfig = z.infer<typeof relayConfigSchema>;

export interface RelaySettings extends RelayConfig {
  password: string | undefined;
  registrations: RelayRegistration[];
}

/** A registration given as flags: `MSN,URL,SECRET_FILE` (the secret stays off the command line). */
export async function registrationFromFlag(value: string): Promise<RelayRegistration> {
  const [givenMsn, url, secretFile, ...rest] = value.split(',');
  if (givenMsn === undefined || url === undefined || secretFile === undefined || rest.length > 0)
    throw new RelayConfigError([`--registration ${value}: expected MSN,URL,SECRET_FILE`]);
  let secret: string;
  try {
    await refuseSharedSecretFile(secretFile);
    secret = (await readFile(secretFile, 'utf8')).trim();
  } catch (error) {
    if (error instanceof RelayConfigError) throw error;
    throw new RelayConfigError([
      `--registration: cannot read the secret file ${secretFile} (${(error as NodeJS.ErrnoException).code})`,
    ]);
  }
  const result = registrationSchema.safeParse({ msn: givenMsn, url, secret });
  if (result.success) return result.data;
  throw new RelayConfigError(
    result.error.issues.map(
      (issue) => `--registration ${givenMsn},${url}: ${issue.path.join('.')}: ${describeIssue(issue)}`,
    ),
  );
}
