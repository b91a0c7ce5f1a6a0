import { chmod, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { createLogger } from '../../common/log/logger.js';
import { DEFAULT_RELAY_SECRETS, type RelaySecrets, readRelaySecrets } from '../../common/relay-secrets.js';
import { DEFAULT_CONFIG_DIR, loadSettings } from '../config/load.js';
import { vippsBaseUrl } from '../config/schema.js';
import { VippsClient } from '../vipps/client.js';
import { VippsUnavailableError } from '../vipps/errors.js';
import { KIOSK_WEBHOOK_EVENTS } from '../vipps/webhooks.js';

export const webhooksUsage = `vipps-kiosk webhooks register --url URL [--events E1,E2] | list | delete ID
    [--config-dir DIR] [--secrets FILE]
  The sales unit's webhook registrations at Vipps (Webhooks API), made with the Vipps keys and
  environment of the kiosk configuration in DIR (default ${DEFAULT_CONFIG_DIR}).
  register  asks Vipps to send payment events (default: authorized, aborted, expired, terminated,
            captured, cancelled) to URL, the relay's public https:// address, and stores the secret
            Vipps shows only once in the relay's secrets file (mode 0600); the secret is never printed
  list      every registration, and whether the secrets file holds its secret
  delete    removes one at Vipps and from the secrets file
  The secrets file is ${DEFAULT_RELAY_SECRETS} unless --secrets names another.`;

export async function webhooksCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    url: { type: 'string' },
    events: { type: 'string' },
    'config-dir': { type: 'string' },
    secrets: { type: 'string' },
  });
  const [action, ...rest] = positionals;
  const secretsFile = values.secrets ?? DEFAULT_RELAY_SECRETS;
  if (action !== 'register' && action !== 'list' && action !== 'delete')
    throw new UsageError(
      action === undefined ? 'missing action: register, list or delete' : `unknown action "${action}"`,
    );
  if (action === 'delete' ? rest.length !== 1 : rest.length > 0)
    throw new UsageError(
      action === 'delete' ? 'delete needs exactly one webhook id' : `unexpected argument "${rest[0]}"`,
    );
  if (action === 'register' && values.url === undefined)
    throw new UsageError('register needs --url, the https:// URL Vipps should deliver to');
  // Read first: a secrets file others can read is refused before anything is registered into it.
  const secrets = await readRelaySecrets(secretsFile);
  const dir = values['config-dir'] ?? DEFAULT_CONFIG_DIR;
  const settings = await loadSettings({
    configPath: join(dir, 'config.json'),
    secretsPath: join(dir, 'secrets.json'),
  });
  const msn = settings.vipps.merchantSerialNumber;
  const vipps = new VippsClient({
    baseUrl: vippsBaseUrl(settings),
    credentials: { ...settings.secrets.vipps, merchantSerialNumber: msn },
    system: settings.vipps,
    retry: settings.vipps.retry,
    timeouts: settings.vipps.timeouts,
    tokenRefreshMarginMs: settings.vipps.tokenRefreshMarginMs,
    logger: createLogger({ level: 'warn', journal: false }, 'webhooks'),
  });
  try {
    if (action === 'list') return await list(vipps, secrets, secretsFile, msn);
    if (action === 'delete') return await remove(vipps, secrets, secretsFile, rest[0]!);
    const events = values.events?.split(',').map((e) => e.trim()) ?? [...KIOSK_WEBHOOK_EVENTS];
    return await register(vipps, secrets, secretsFile, msn, values.url!, events);
  } finally {
    await vipps.stop();
  }
}

async function register(
  vipps: VippsClient,
  secrets: RelaySecrets,
  secretsFile: string,
  msn: string,
  url: string,
  events: string[],
): Promise<void> {
  let registered: { id: string; secret: string };
  try {
    registered = await vipps.webhooks.register(url, events);
  } catch (error) {
    if (error instanceof VippsUnavailableError && error.outcomeUnknown)
      throw new Error(
        `${error.message}. Vipps may have registered the webhook without us seeing its secret: run ` +
          '`vipps-kiosk webhooks list` and delete any registration of this URL the secrets file does not hold',
      );
    throw error;
  }
  const entry = { id: registered.id, msn, url, secret: registered.secret };
  try {
    await writeSecrets(secretsFile, { ...secrets, registrations: [...secrets.registrations, entry] });
  } catch (error) {
    // Unusable without its secret: take it back rather than leave Vipps delivering to a relay that refuses.
    const taken = await vipps.webhooks.delete(registered.id).then(
      () => 'the registration was deleted again',
      (deleteError: unknown) =>
        `deleting the registration failed too (${deleteError instanceof Error ? deleteError.message : String(deleteError)}): ` +
        `run \`vipps-kiosk webhooks delete ${registered.id}\``,
    );
    throw new Error(
      `registered ${registered.id}, but could not store its secret in ${secretsFile} ` +
        `(${(error as NodeJS.ErrnoException).code ?? String(error)}); ${taken}`,
    );
  }
  process.stdout.write(
    [
      `registered webhook ${registered.id} for MSN ${msn}`,
      `  url     ${url}`,
      `  events  ${events.join(', ')}`,
      `  secret  stored in ${secretsFile} (not shown); restart the relay to use it`,
      '',
    ].join('\n'),
  );
}

async function list(
  vipps: VippsClient,
  secrets: RelaySecrets,
  secretsFile: string,
  msn: string,
): Promise<void> {
  const webhooks = await vipps.webhooks.list();
  const stored = new Set(secrets.registrations.map((r) => r.id));
  if (webhooks.length === 0) {
    process.stdout.write(`no webhooks registered for MSN ${msn}\n`);
    return;
  }
  const rows = webhooks.map((w) => [w.id, stored.has(w.id) ? 'yes' : 'NO', w.url, w.events.join(',')]);
  const header = ['id', 'secret stored', 'url', 'events'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n(secrets file: ${secretsFile})\n`);
}

async function remove(
  vipps: VippsClient,
  secrets: RelaySecrets,
  secretsFile: string,
  id: string,
): Promise<void> {
  await vipps.webhooks.delete(id);
  const kept = secrets.registrations.filter((r) => r.id !== id);
  if (kept.length !== secrets.registrations.length)
    await writeSecrets(secretsFile, { ...secrets, registrations: kept });
  process.stdout.write(
    `deleted webhook ${id}${kept.length !== secrets.registrations.length ? ` and its secret in ${secretsFile}` : ''}\n`,
  );
}

/** Temp file with mode 0600, then rename: the file is never half written nor readable by others. */
async function writeSecrets(path: string, secrets: RelaySecrets): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600); // a leftover temp file keeps its old mode through writeFile
  await rename(temporary, path);
}
