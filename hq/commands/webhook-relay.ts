import { readFile } from 'node:fs/promises';
import { parseCommandArgs, portOption, UsageError } from '../../common/cli/args.js';
import { untilSignal } from '../../common/cli/signals.js';
import { createLogger } from '../../common/log/logger.js';
import {
  DEFAULT_RELAY_SECRETS,
  RelayConfigError,
  readRelayFile,
  readRelaySecrets,
} from '../../common/relay-secrets.js';
import { withoutCredentials } from '../../contracts/secure-url.js';
import { RelayPublisher } from '../webhook-relay/relay-publisher.js';
import {
  type RelayConfig,
  type RelaySettings,
  registrationFromFlag,
  relayConfigSchema,
} from '../webhook-relay/relay-settings.js';
import { WebhookRelay } from '../webhook-relay/webhook-relay.js';

export const webhookRelayUsage = `vipps-kiosk webhook-relay [--config FILE] [--secrets FILE] [--port N] [--host H]
    [--broker URL] [--username NAME] [--registration MSN,URL,SECRET_FILE]... [--max-skew-seconds S]
  HQ's receiver of Vipps webhooks (TLS terminated in front of it): verifies each delivery's signature
  against the registered URL and its secret, and relays the event to vk/v1/vipps/{msn}/payments/{ref}
  on the MQTT broker for the waiting kiosk. GET /healthz answers 200 {"status":"ok"}, or 503 while the
  broker is unreachable; refused deliveries are logged as one summary line a minute.
  Registrations come from the secrets file (default ${DEFAULT_RELAY_SECRETS},
  mode 0600, written by \`vipps-kiosk webhooks register\`) and from --registration (the secret is read
  from SECRET_FILE). The relay logs in as its own broker user (--username; one per replica, role
  "relay" in \`hq broker-config\`'s fleet file: it may publish only to vk/v1/vipps/#); the password comes
  from VK_RELAY_PASSWORD (VK_HQ_PASSWORD is still read) or the secrets file's "brokerPassword".
  An authentic delivery the relay cannot use is answered 200 and logged, never refused: Vipps would
  retry it for 7 days and hold back the events behind it.
  Defaults: listens on 127.0.0.1 (behind the TLS proxy; --host to change), port 8443; a delivery may
  be dated up to 7 days back (Vipps' retries) and --max-skew-seconds (300) ahead or beyond that; each
  event is relayed once in 7 days.`;

export async function webhookRelayCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    config: { type: 'string' },
    secrets: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    broker: { type: 'string' },
    username: { type: 'string' },
    registration: { type: 'string', multiple: true },
    'max-skew-seconds': { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const settings = await relaySettings(values);
  const logger = createLogger({ level: 'info', journal: false }, 'webhook-relay');
  const relay = new WebhookRelay(
    {
      host: settings.host,
      port: settings.port,
      registrations: settings.registrations,
      maxSkewMs: settings.maxSkewSeconds * 1000,
      maxBodyBytes: settings.maxBodyBytes,
      rememberedEvents: settings.rememberedEvents,
      failedSignaturesPerMinute: settings.failedSignaturesPerMinute,
      logger,
    },
    new RelayPublisher({
      url: settings.broker,
      username: settings.username,
      password: settings.password,
      ca: settings.caFile ? await readFile(settings.caFile) : undefined,
      logger: logger.child('mqtt'),
    }),
  );
  const url = await relay.start();
  const merchants = [...new Set(settings.registrations.map((r) => r.msn))].join(', ');
  process.stdout.write(
    [
      `webhook relay listening on ${url}`,
      `  registrations     ${settings.registrations.length} (MSN ${merchants})`,
      ...settings.registrations.map((r) => `    ${r.msn}  ${r.url}`),
      `  broker            ${withoutCredentials(settings.broker)}`,
      `  dates accepted    7 days back to ${settings.maxSkewSeconds} s ahead (clock skew ${settings.maxSkewSeconds} s)`,
      `  de-duplication    7 days, at most ${settings.rememberedEvents} events`,
      `  health            ${url}/healthz`,
      '',
    ].join('\n'),
  );
  await untilSignal();
  await relay.stop();
}

interface RelayFlags {
  config?: string;
  secrets?: string;
  port?: string;
  host?: string;
  broker?: string;
  username?: string;
  registration?: string[];
  'max-skew-seconds'?: string;
}

/** The config file (if any) under the flags, then the secrets file and the flag registrations. */
async function relaySettings(flags: RelayFlags): Promise<RelaySettings> {
  const fromFile: Partial<RelayConfig> = flags.config
    ? await readRelayFile(flags.config, relayConfigSchema.partial())
    : {};
  const merged = relayConfigSchema.safeParse({
    ...fromFile,
    ...(flags.port !== undefined ? { port: portOption(flags.port, 'port', 8443) } : {}),
    ...(flags.host !== undefined ? { host: flags.host } : {}),
    ...(flags.broker !== undefined ? { broker: flags.broker } : {}),
    ...(flags.username !== undefined ? { username: flags.username } : {}),
    ...(flags['max-skew-seconds'] !== undefined ? { maxSkewSeconds: Number(flags['max-skew-seconds']) } : {}),
  });
  if (!merged.success) {
    throw new UsageError(
      merged.error.issues
        .map(
          (issue) =>
            `${issue.path.join('.') === 'broker' ? '--broker' : issue.path.join('.')}: ${issue.message}`,
        )
        .join('; '),
    );
  }
  const config = merged.data;
  const secrets = await readRelaySecrets(flags.secrets ?? config.secretsFile ?? DEFAULT_RELAY_SECRETS);
  const registrations = [
    ...secrets.registrations,
    ...(await Promise.all((flags.registration ?? []).map(registrationFromFlag))),
  ];
  if (registrations.length === 0)
    throw new RelayConfigError([
      `no webhook registration: run \`vipps-kiosk webhooks register\` (it writes ${flags.secrets ?? DEFAULT_RELAY_SECRETS}) ` +
        'or give --registration MSN,URL,SECRET_FILE',
    ]);
  return {
    ...config,
    password: process.env.VK_RELAY_PASSWORD || process.env.VK_HQ_PASSWORD || secrets.brokerPassword,
    registrations,
  };
}
