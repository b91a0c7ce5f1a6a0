import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { CONNECT_TIMEOUT_MS, loginToBroker } from '../../common/mqtt/broker-connection.js';
import { type BrokerEndpoint, withTimeout } from '../../common/mqtt/link.js';
import {
  type CommandArgs,
  commandArgsShape,
  commandKeyId,
  MAX_COMMAND_TTL_MS,
  newTransactionId,
  signCommand,
} from '../../contracts/hq-command.js';
import { deviceTopics } from '../../contracts/topics.js';
import { subscribeAwaited } from './awaited-subscription.js';
import { brokerOption } from './broker-option.js';
import { FileReceiver } from './file-receiver.js';

export const hqSendCommandUsage = `vipps-kiosk hq command-keygen --out DIR
  Makes an HQ command key pair: DIR/hq-command-KID.key (private, 0600, for the HQ programs that send
  commands) and DIR/hq-command-KID.pub (for every kiosk's /etc/vipps-kiosk/hq-command-keys/:
  install.sh --hq-command-key FILE). KID is the key id, a short hash of the public key. A kiosk
  trusts every .pub in that folder: to rotate, add the new .pub to the fleet, sign with the new key,
  then remove the old .pub.
vipps-kiosk hq command --broker URL --key FILE [--username NAME] SITE/DEVICE NAME
                       [--arg KEY=VALUE ...| --json '{...}'] [--ttl SECONDS] [--timeout SECONDS]
  Signs the command NAME (identify, diagnostics, reload-catalog, maintenance, reboot, report) for that one
  kiosk with the command key FILE, valid --ttl seconds (default 60, at most ${MAX_COMMAND_TTL_MS / 1000}), publishes it
  (QoS 1, never retained), waits up to --timeout seconds (default 10) for the kiosk's answer and prints
  it. Exit code 0 when the kiosk carried it out, 1 when it refused or did not answer in time.
  --arg values that look like numbers or true/false are sent as such (--arg seconds=5, --arg state=on).
  The password comes from VK_HQ_PASSWORD (never from the command line).
vipps-kiosk hq command --broker URL --key FILE SITE/DEVICE saft-export --from DATE --to DATE --out DIR
  The kiosk's SAF-T Cash Register file of the period (YYYY-MM-DD or "today", both included, Norwegian
  time): it comes in chunks on files/TRANSACTION (contracts/asyncapi.yaml), is checked against the
  answer's SHA-256 and written as DIR/"SAF-T Cash Register_<orgnr>_<yyyyMMddHHmmss>.xml" (never over a
  file). --timeout defaults to 120 here.`;

const DEFAULT_TIMEOUT_SECONDS = 10;
const SAFT_EXPORT = 'saft-export';
/** A year's SAF-T file is made and sent in well under this on a Pi. */
const SAFT_TIMEOUT_SECONDS = 120;
const CHUNK_WAIT_MS = 10_000;

export async function hqSendCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    out: { type: 'string' },
    broker: { type: 'string' },
    key: { type: 'string' },
    username: { type: 'string' },
    arg: { type: 'string', multiple: true },
    json: { type: 'string' },
    ttl: { type: 'string' },
    timeout: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  });
  const [sub, target, name, ...extra] = positionals;
  if (sub === 'command-keygen') return keygen(values.out);
  if (target === undefined || name === undefined)
    throw new UsageError('expected SITE/DEVICE and the command NAME, e.g. oslo-1/kiosk-07 identify');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const [site, device, ...rest] = target.split('/');
  if (!site || !device || rest.length > 0)
    throw new UsageError(`expected the kiosk as SITE/DEVICE (e.g. oslo-1/kiosk-07), not "${target}"`);
  try {
    deviceTopics(site, device).command(name);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const broker = brokerOption(values.broker);
  const privateKey = readCommandKey(values.key);
  const saft = name === SAFT_EXPORT;
  if (saft && (values.out === undefined || values.out === ''))
    throw new UsageError('saft-export needs --out DIR, the folder the SAF-T file is written to');
  const period = { ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}) };
  const args = { ...commandArgs(values.arg ?? [], values.json), ...period };
  const ttlMs = seconds(values.ttl, '--ttl', 60, MAX_COMMAND_TTL_MS / 1000) * 1000;
  const fallback = saft ? SAFT_TIMEOUT_SECONDS : DEFAULT_TIMEOUT_SECONDS;
  const timeoutMs = seconds(values.timeout, '--timeout', fallback, 600) * 1000;
  const password = process.env.VK_HQ_PASSWORD || undefined;
  const username = values.username ?? (decodeURIComponent(broker.username) || undefined);
  broker.username = '';
  const url = broker.toString();

  const transactionId = newTransactionId();
  const received = new FileReceiver(transactionId);
  const result = await exchangeCommand({
    broker: { url, username, password },
    privateKey,
    site,
    device,
    name,
    args,
    ttlMs,
    timeoutMs,
    transactionId,
    ...(saft ? { onFile: (payload: Buffer) => received.offer(payload) } : {}),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (result.ok !== true)
    throw new Error(`${site}/${device} refused ${name}: ${String(result.error ?? 'no reason given')}`);
  // Every chunk went out before the answer; a few may still be on their way through the broker.
  if (saft) process.stdout.write(`${await received.write(result.result, values.out!, CHUNK_WAIT_MS)}\n`);
}

export interface CommandExchange {
  broker: BrokerEndpoint;
  privateKey: KeyObject;
  site: string;
  device: string;
  name: string;
  args: CommandArgs;
  ttlMs: number;
  timeoutMs: number;
  transactionId?: string;
  /** Chunks on the kiosk's `files/{transactionId}` (saft-export), before the answer. */
  onFile?: (payload: Buffer) => void;
}

/**
 * One command to one kiosk: logs in (its own connection, ended after), subscribes to the answer, signs
 * and publishes, and resolves with the kiosk's answer ({ok, result} or {ok: false, error}); rejects
 * with a readable error when the broker or the kiosk does not answer in time. Used by `hq command`
 * and the HQ page's buttons.
 */
export async function exchangeCommand(request: CommandExchange): Promise<Record<string, unknown>> {
  const { broker, site, device, name, args, ttlMs, timeoutMs, onFile } = request;
  const topics = deviceTopics(site, device);
  const transactionId = request.transactionId ?? newTransactionId();
  const url = broker.url;
  let answered: (answer: Record<string, unknown>) => void = () => {};
  const answer = new Promise<Record<string, unknown>>((resolve) => {
    answered = resolve;
  });
  const responseTopic = topics.response(name);
  const fileTopic = topics.file(transactionId);
  const link = await loginToBroker({
    ...broker,
    clientIdPrefix: 'vk-hq-command',
    hints: { noPassword: 'set VK_HQ_PASSWORD', refused: 'check --username and VK_HQ_PASSWORD' },
    events: {
      message: (topic, payload) => {
        if (topic === fileTopic) onFile?.(payload);
        if (topic !== responseTopic) return;
        const parsed = parseJson(payload.toString('utf8'));
        if (parsed?.transactionId === transactionId) answered(parsed);
      },
    },
  });
  try {
    await subscribeAwaited(link, responseTopic, url);
    if (onFile) await subscribeAwaited(link, fileTopic, url);
    // Signed once subscribed: the validity runs from the moment the command can be answered.
    const { text } = signCommand({ name, site, device, transactionId, args, ttlMs }, request.privateKey);
    await withTimeout(
      link.client!.publishAsync(topics.command(name), text, { qos: 1, retain: false }),
      CONNECT_TIMEOUT_MS,
      `the MQTT broker at ${url} did not acknowledge the command within ${CONNECT_TIMEOUT_MS / 1000} s`,
    );
    return await withTimeout(
      answer,
      timeoutMs,
      `no answer from ${site}/${device} within ${timeoutMs / 1000} s (transaction ${transactionId}); ` +
        'is it online (hq watch)? A kiosk drops a command it gets after the command expired.',
    );
  } finally {
    await link.stop();
  }
}

function keygen(out: string | undefined): void {
  if (out === undefined || out === '') throw new UsageError('--out DIR is required');
  const { kid, privatePath, publicPath } = writeCommandKeyPair(out);
  process.stdout.write(
    `HQ command key ${kid}: ${privatePath} (for HQ's programs that send commands; 0600) and ` +
      `${publicPath} (for every kiosk's /etc/vipps-kiosk/hq-command-keys/) written\n`,
  );
}

/** A new HQ command key pair in `dir`: `hq-command-KID.key` (0600) and `hq-command-KID.pub`. */
export function writeCommandKeyPair(dir: string): { kid: string; privatePath: string; publicPath: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const kid = commandKeyId(publicKey);
  const privatePath = join(dir, `hq-command-${kid}.key`);
  const publicPath = join(dir, `hq-command-${kid}.pub`);
  if (existsSync(privatePath)) throw new UsageError(`${privatePath} exists already`);
  writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(publicPath, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  return { kid, privatePath, publicPath };
}

/** HQ's private command key from FILE (hq command-keygen); a UsageError says what is wrong with it. */
export function readCommandKey(path: string | undefined): KeyObject {
  if (path === undefined || path === '')
    throw new UsageError("--key FILE (HQ's private command key, from hq command-keygen) is required");
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(path));
  } catch (error) {
    throw new UsageError(`--key ${path}: not a readable private key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new UsageError(
      `--key ${path}: a ${key.asymmetricKeyType} key; expected the Ed25519 key of hq command-keygen`,
    );
  return key;
}

function commandArgs(pairs: string[], json: string | undefined): CommandArgs {
  if (json !== undefined && pairs.length > 0) throw new UsageError('give --arg or --json, not both');
  let args: unknown;
  if (json !== undefined) {
    args = parseJson(json);
    if (args === undefined) throw new UsageError(`--json must be a JSON object, not ${json}`);
  } else {
    args = Object.fromEntries(
      pairs.map((pair) => {
        const at = pair.indexOf('=');
        if (at < 1) throw new UsageError(`--arg must be KEY=VALUE, not "${pair}"`);
        return [pair.slice(0, at), typed(pair.slice(at + 1))];
      }),
    );
  }
  const checked = commandArgsShape.safeParse(args);
  if (!checked.success)
    throw new UsageError(
      'the arguments must be names (letters and digits) with a text, number, true/false or null value',
    );
  return checked.data;
}

function typed(value: string): string | number | boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

function seconds(value: string | undefined, flag: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1 || n > max)
    throw new UsageError(`${flag} must be whole seconds, 1–${max}, not "${value}"`);
  return n;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
