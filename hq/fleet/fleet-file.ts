import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from '../../common/config-error.js';
import { merchantSerialNumberShape } from '../../common/relay-secrets.js';
import { clientIdFor, deviceIdShape, siteIdShape } from '../../contracts/topics.js';

// HQ's fleet file: every kiosk (site, device, sales unit), every HQ identity on the broker with its
// role, and the broker's listeners. `vipps-kiosk hq broker-config` makes the broker's ACL and config
// from it, so who may do what on the broker is written in one place. JSON: HQ's programs read JSON
// everywhere else, and the kiosk's own config is JSON too.

/** What an HQ identity may do on the broker (hq/fleet/mosquitto-files.ts has the ACL lines). */
export const HQ_ROLES = ['commands', 'relay', 'collector', 'watch'] as const;
export type HqRole = (typeof HQ_ROLES)[number];

/** Roles of programs that run as several replicas: each replica needs its own identity. */
const REPLICATED: ReadonlySet<HqRole> = new Set(['relay', 'collector']);

/** Which listener a client logs in on; the kiosks' identities come from their certificates. */
const LISTENER_AUTH = ['certificate', 'password'] as const;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

const kioskSchema = z.strictObject({
  site: siteIdShape,
  device: deviceIdShape,
  /** The sales unit of the kiosk's `vipps.merchantSerialNumber`: it reads that unit's relayed webhooks. */
  merchantSerialNumber: merchantSerialNumberShape,
});

const identityShape = z
  .string({ error: 'expected the identity: 1–64 letters, digits, ".", "_" or "-", e.g. "hq-relay-1"' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    error: 'expected the identity: 1–64 letters, digits, ".", "_" or "-", e.g. "hq-relay-1"',
  })
  // A kiosk's identity is vk-{site}-{device}, and the fleet CA signs certificates with that CN at
  // enrolment: an HQ identity there could be claimed by enrolling a kiosk of that name.
  .refine((identity) => !identity.toLowerCase().startsWith('vk-'), {
    error: 'expected an identity that does not start with "vk-", which is the kiosks\' (vk-{site}-{device})',
  });

const hqIdentitySchema = z.strictObject({
  identity: identityShape,
  role: z.enum(HQ_ROLES, {
    error: `expected a role: ${HQ_ROLES.map((r) => `"${r}"`).join(', ')}`,
  }),
});

/** A path in the broker's config: absolute, nothing Mosquitto's config reader would split. */
const brokerPath = z
  .string({ error: 'expected an absolute path on the broker host' })
  .regex(/^\/[^\s]*$/, { error: 'expected an absolute path on the broker host, without spaces' });

const listenerSchema = z
  .strictObject({
    port: z
      .number({ error: 'expected a TCP port number 1–65535' })
      .int({ error: 'expected a TCP port number 1–65535' })
      .min(1, { error: 'expected a TCP port number 1–65535' })
      .max(65_535, { error: 'expected a TCP port number 1–65535' }),
    /** The address to listen on; every address when absent. */
    bind: z
      .string({ error: 'expected an IP address or host name' })
      .regex(/^[A-Za-z0-9.:_-]+$/, { error: 'expected an IP address or host name' })
      .optional(),
    auth: z.enum(LISTENER_AUTH, {
      error:
        'expected "certificate" (kiosks: client certificates from the fleet CA) or "password" (HQ programs)',
    }),
    /** The fleet CA that signs the kiosks' client certificates. */
    caFile: brokerPath.optional(),
    certFile: brokerPath.optional(),
    keyFile: brokerPath.optional(),
  })
  .superRefine((listener, context) => {
    const problem = (path: string, message: string) =>
      context.addIssue({ code: 'custom', path: [path], message });
    if (listener.auth === 'certificate') {
      for (const key of ['caFile', 'certFile', 'keyFile'] as const)
        if (listener[key] === undefined)
          problem(key, 'a certificate listener needs caFile (the fleet CA), certFile and keyFile');
      return;
    }
    if ((listener.certFile === undefined) !== (listener.keyFile === undefined))
      problem('certFile', 'give both certFile and keyFile, or neither');
    else if (listener.certFile === undefined && !LOOPBACK.has(listener.bind ?? ''))
      problem(
        'certFile',
        'a password listener without TLS (no certFile and keyFile) is only allowed on a loopback address ("bind": "127.0.0.1")',
      );
  });

const brokerSchema = z.strictObject(
  {
    /** Where the broker reads the ACL; the file written to --out when absent. */
    aclFile: brokerPath.optional(),
    /** The Mosquitto password file of the HQ identities (needed by a password listener). */
    passwordFile: brokerPath.optional(),
    listeners: z
      .array(listenerSchema, { error: 'expected a list of listeners' })
      .min(1, { error: 'expected at least one listener' }),
  },
  { error: 'expected the broker section: its listeners and files (docs/hq-operations.md)' },
);

const fleetSchema = z.strictObject(
  {
    kiosks: z.array(kioskSchema, { error: 'expected a list of kiosks' }).default([]),
    hq: z.array(hqIdentitySchema, { error: 'expected a list of HQ identities' }).default([]),
    broker: brokerSchema,
  },
  { error: 'expected a JSON object with "kiosks", "hq" and "broker"' },
);

export type Fleet = z.infer<typeof fleetSchema>;
export type FleetKiosk = z.infer<typeof kioskSchema>;
export type FleetListener = z.infer<typeof listenerSchema>;

/** A fleet file that cannot be used; one line per problem, each naming its entry. */
export class FleetFileError extends ConfigError {
  constructor(file: string, problems: readonly string[]) {
    super(problems, `The fleet file ${file}`);
  }
}

export async function readFleetFile(path: string): Promise<Fleet> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FleetFileError(path, [`cannot read it (${(error as NodeJS.ErrnoException).code})`]);
  }
  return parseFleet(text, path);
}

/** The fleet in `text`, checked entry by entry and across entries (one identity per client). */
export function parseFleet(text: string, file: string): Fleet {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new FleetFileError(file, [`not valid JSON: ${jsonProblem(text, error as Error)}`]);
  }
  const result = fleetSchema.safeParse(raw);
  if (!result.success)
    throw new FleetFileError(
      file,
      result.error.issues.map((issue) => `${entryName(raw, issue.path)}: ${describe(issue)}`),
    );
  const problems = crossChecks(result.data);
  if (problems.length > 0) throw new FleetFileError(file, problems);
  return result.data;
}

/** A kiosk's broker identity: its client id, its certificate's CN and its ACL user. */
export function kioskIdentity(kiosk: FleetKiosk): string {
  return clientIdFor(kiosk.site, kiosk.device);
}

function crossChecks(fleet: Fleet): string[] {
  const problems: string[] = [];
  // Two entries with one identity would share a client id: each would knock the other off the broker.
  const owners = new Map<string, string>();
  const claim = (identity: string, entry: string, clash: (first: string) => string) => {
    const key = identity.toLowerCase();
    const first = owners.get(key);
    if (first === undefined) owners.set(key, entry);
    else problems.push(`${entry}: ${clash(first)}`);
  };
  fleet.kiosks.forEach((kiosk, i) => {
    const identity = kioskIdentity(kiosk);
    claim(
      identity,
      `kiosks[${i}] (${kiosk.site}/${kiosk.device})`,
      (first) => `its identity ${identity} is also ${first}'s; give one of them another device id`,
    );
  });
  fleet.hq.forEach(({ identity, role }, i) => {
    claim(identity, `hq[${i}] (${identity})`, (first) =>
      REPLICATED.has(role)
        ? `the identity is also ${first}'s: each ${role} replica needs its own (e.g. hq-${role}-1, hq-${role}-2), or two replicas knock each other off the broker`
        : `the identity is also ${first}'s: give each its own`,
    );
  });
  const ports = new Map<number, number>();
  fleet.broker.listeners.forEach((listener, i) => {
    const first = ports.get(listener.port);
    if (first !== undefined)
      problems.push(`broker.listeners[${i}]: port ${listener.port} is also broker.listeners[${first}]'s`);
    else ports.set(listener.port, i);
  });
  if (fleet.broker.listeners.some((l) => l.auth === 'password') && fleet.broker.passwordFile === undefined)
    problems.push(
      'broker.passwordFile: a password listener needs the password file, e.g. "/etc/mosquitto/passwd"',
    );
  return problems;
}

/** `kiosks[2] (oslo-1/kiosk-07): merchantSerialNumber`, from an issue's path and the raw file. */
function entryName(raw: unknown, path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  const [list, index, ...rest] = path;
  if ((list !== 'kiosks' && list !== 'hq') || typeof index !== 'number') return dotted(path);
  const entry = (raw as Record<string, unknown[]>)[list]?.[index] as Record<string, unknown> | undefined;
  const names = list === 'kiosks' ? [entry?.site, entry?.device] : [entry?.identity];
  const label = names.every((name) => typeof name === 'string') ? ` (${names.join('/')})` : '';
  const where = `${list}[${index}]${label}`;
  return rest.length > 0 ? `${where}: ${dotted(rest)}` : where;
}

/** `broker.listeners[0].port` */
function dotted(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; the fleet file is described in docs/hq-operations.md`;
  return issue.message;
}

/** JSON.parse's message, with the line and column where it gives only a position. */
function jsonProblem(text: string, error: Error): string {
  const position = /at position (\d+)/.exec(error.message)?.[1];
  if (position === undefined || /line \d+/.test(error.message)) return error.message;
  const before = text.slice(0, Number(position)).split('\n');
  return `${error.message} (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`;
}
