import { createHash, createPublicKey, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { z } from 'zod';

// An HQ command as it goes over MQTT on `vk/v1/{site}/{device}/cmd/{name}`, signed with HQ's command key
// (Ed25519). Broker access alone is not enough to command a kiosk: the kiosk carries out only a command
// signed by a key in its folder of HQ command keys, for this very kiosk and command name, still fresh,
// and never seen before.
//
// Wire form (JSON): {"payload": "<base64url of the command's JSON bytes>", "sig": "<base64url>", "kid": "<key id>"}.
// The signature is over the exact payload bytes, so nobody re-serialises JSON to check it: the kiosk
// verifies the bytes it received and only then parses them. The payload binds every field below,
// the key id included, so neither the envelope's `kid` nor the topic can be swapped under a signature.

/** The version of the signed payload; a kiosk refuses one it does not know. */
export const COMMAND_PAYLOAD_VERSION = 1;
/** How long a command HQ signs is valid unless it says otherwise. */
export const DEFAULT_COMMAND_TTL_MS = 60_000;
/** The longest validity a kiosk accepts: a captured command is worthless soon after. */
export const MAX_COMMAND_TTL_MS = 10 * 60_000;
/** How far HQ's clock may run ahead of the kiosk's before a command counts as from the future. */
export const COMMAND_CLOCK_SKEW_MS = 2 * 60_000;

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'expected base64url text' });
const timestamp = z.iso.datetime({ offset: false, precision: 3 });

/** The key id: the first 16 hex digits of the SHA-256 of the public key (SPKI DER). */
export const commandKeyIdShape = z.string().regex(/^[0-9a-f]{16}$/, {
  error: 'expected a key id of 16 hex digits',
});

export const signedCommandShape = z.strictObject({
  payload: base64url.max(8_192),
  sig: base64url.max(128),
  kid: commandKeyIdShape,
});
export type SignedCommand = z.infer<typeof signedCommandShape>;

/** A command's arguments: plain JSON values, one level deep (the commands take numbers and words). */
export const commandArgsShape = z.record(
  z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,31}$/),
  z.union([z.string().max(256), z.number(), z.boolean(), z.null()]),
);
export type CommandArgs = z.infer<typeof commandArgsShape>;

/** What HQ signs, in this key order (the order `encodeCommand` writes). */
export const commandPayloadShape = z.strictObject({
  v: z.literal(COMMAND_PAYLOAD_VERSION),
  name: z.string().min(1).max(64),
  site: z.string().min(1).max(64),
  device: z.string().min(1).max(64),
  transactionId: z.string().min(1).max(64),
  issuedAt: timestamp,
  expiresAt: timestamp,
  nonce: base64url.min(16).max(64),
  kid: commandKeyIdShape,
  args: commandArgsShape,
});
export type CommandPayload = z.infer<typeof commandPayloadShape>;

export function commandKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** A command HQ means to send; `signCommand` adds the nonce, the times and the key id. */
export interface CommandToSign {
  name: string;
  site: string;
  device: string;
  transactionId: string;
  args: CommandArgs;
  /** Default DEFAULT_COMMAND_TTL_MS; at most MAX_COMMAND_TTL_MS. */
  ttlMs?: number | undefined;
}

/** Signs `command` with HQ's private command key; returns the JSON text to publish and what was signed. */
export function signCommand(
  command: CommandToSign,
  privateKey: KeyObject,
  now: number = Date.now(),
): { text: string; payload: CommandPayload } {
  const ttlMs = command.ttlMs ?? DEFAULT_COMMAND_TTL_MS;
  if (!Number.isInteger(ttlMs) || ttlMs < 1_000 || ttlMs > MAX_COMMAND_TTL_MS)
    throw new RangeError(`a command is valid 1 s to ${MAX_COMMAND_TTL_MS / 60_000} min, not ${ttlMs} ms`);
  const payload: CommandPayload = {
    v: COMMAND_PAYLOAD_VERSION,
    name: command.name,
    site: command.site,
    device: command.device,
    transactionId: command.transactionId,
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + ttlMs).toISOString(),
    nonce: randomBytes(18).toString('base64url'),
    kid: commandKeyId(createPublicKey(privateKey)),
    args: command.args,
  };
  return { text: signPayload(commandPayloadShape.parse(payload), privateKey), payload };
}

/**
 * The envelope around exactly these payload bytes (JSON of `payload` in its key order). signCommand
 * checks what it signs; this does not, so tests can sign what HQ never would.
 */
export function signPayload(payload: CommandPayload, privateKey: KeyObject): string {
  const bytes = Buffer.from(JSON.stringify(payload), 'utf8');
  const envelope: SignedCommand = {
    payload: bytes.toString('base64url'),
    sig: sign(null, bytes, privateKey).toString('base64url'),
    kid: payload.kid,
  };
  return JSON.stringify(envelope);
}

/** Why the kiosk refused a command. Every reason is safe to send back to HQ and to log. */
export type CommandRefusal =
  | 'retained'
  | 'unsigned'
  | 'unknown-key'
  | 'bad-signature'
  | 'malformed'
  | 'wrong-command'
  | 'wrong-device'
  | 'expired'
  | 'from-the-future'
  | 'too-long-lived'
  | 'replayed'
  | 'no-keys';

/** The words HQ sees in the refusal answer (`error`) and the kiosk writes in its log. */
export const REFUSAL_TEXT: Record<CommandRefusal, string> = {
  retained:
    'refused: a retained command is never carried out (it would run again on every reconnect); clear it with an empty retained message',
  unsigned:
    'refused: not a signed HQ command ({"payload","sig","kid"}); send it with "vipps-kiosk hq command"',
  'unknown-key':
    "refused: signed by a key this kiosk does not trust (not in its hq-command-keys folder); install the key's .pub on the kiosk",
  'bad-signature': 'refused: the signature does not match the command (forged or altered)',
  malformed: 'refused: signed, but the command is not understood; update vipps-kiosk',
  'wrong-command': 'refused: signed for another command than the topic names',
  'wrong-device': 'refused: signed for another kiosk',
  expired: "refused: expired; send a new one (if it should be valid, check the kiosk's and HQ's clocks)",
  'from-the-future': "refused: issued in the future; check the kiosk's and HQ's clocks",
  'too-long-lived': `refused: valid longer than ${MAX_COMMAND_TTL_MS / 60_000} min`,
  replayed: 'refused: this command (its nonce or transaction id) was already received',
  'no-keys': 'refused: this kiosk has no HQ command key installed; install one in its hq-command-keys folder',
};

export type VerifiedCommand =
  | { ok: true; command: CommandPayload }
  | { ok: false; refusal: CommandRefusal; transactionId: string | null; kid: string | null };

export interface CommandCheck {
  /** The command name from the topic. */
  name: string;
  site: string;
  device: string;
  /** The trusted public keys by key id; asked for only once the message is a signed envelope. */
  keys(): ReadonlyMap<string, KeyObject>;
  now: number;
}

/**
 * Checks a command's envelope, signature, addressee and freshness (in that order: nothing of the
 * payload is believed before the signature is checked). Replay is the kiosk's to check, with its
 * durable memory of nonces. `transactionId` in a refusal is what the message claims, echoed so HQ can
 * match the answer; it is only a correlation id.
 */
export function verifyCommand(text: string, check: CommandCheck): VerifiedCommand {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, refusal: 'unsigned', transactionId: null, kid: null };
  }
  const envelope = signedCommandShape.safeParse(json);
  if (!envelope.success) return { ok: false, refusal: 'unsigned', transactionId: claimedId(json), kid: null };
  const bytes = Buffer.from(envelope.data.payload, 'base64url');
  const transactionId = claimedId(parseOrNull(bytes));
  const { kid } = envelope.data;
  const refuse = (refusal: CommandRefusal): VerifiedCommand => ({ ok: false, refusal, transactionId, kid });
  const keys = check.keys();
  if (keys.size === 0) return refuse('no-keys');
  const key = keys.get(kid);
  if (!key) return refuse('unknown-key');
  if (!verify(null, bytes, key, Buffer.from(envelope.data.sig, 'base64url'))) return refuse('bad-signature');
  const parsed = commandPayloadShape.safeParse(parseOrNull(bytes));
  if (!parsed.success || parsed.data.kid !== kid) return refuse('malformed');
  const command = parsed.data;
  if (command.name !== check.name) return refuse('wrong-command');
  if (command.site !== check.site || command.device !== check.device) return refuse('wrong-device');
  const issuedAt = Date.parse(command.issuedAt);
  const expiresAt = Date.parse(command.expiresAt);
  if (expiresAt <= issuedAt) return refuse('malformed');
  if (expiresAt - issuedAt > MAX_COMMAND_TTL_MS) return refuse('too-long-lived');
  if (issuedAt > check.now + COMMAND_CLOCK_SKEW_MS) return refuse('from-the-future');
  if (expiresAt <= check.now) return refuse('expired');
  return { ok: true, command };
}

function parseOrNull(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
}

function claimedId(json: unknown): string | null {
  const id = (json as { transactionId?: unknown } | null)?.transactionId;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : null;
}

/** A transaction id of letters only: it passes the kiosk's personal-data guard (no digit runs). */
export function newTransactionId(): string {
  const letters = 'abcdefghijkmnpqrstuvwxyz';
  return `hq-${[...randomBytes(16)].map((byte) => letters[byte % letters.length]).join('')}`;
}
