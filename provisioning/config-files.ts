import { execFileSync } from 'node:child_process';
import { chown, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

// config.json and secrets.json as provisioning reads and writes them: raw JSON (a half-finished or
// outdated configuration is still the best default for a re-run), written atomically so a power cut
// mid-write leaves the old file or the new one, never half of either.

export const CONFIG_FILE = 'config.json';
export const SECRETS_FILE = 'secrets.json';

export type JsonObject = Record<string, unknown>;

export interface ConfigPair {
  config: JsonObject;
  secrets: JsonObject;
}

/** What is there now; a missing file is empty, an unreadable one is an error that names it. */
export async function readConfigPair(dir: string): Promise<ConfigPair> {
  return {
    config: await readJsonObject(join(dir, CONFIG_FILE)),
    secrets: await readJsonObject(join(dir, SECRETS_FILE)),
  };
}

async function readJsonObject(path: string): Promise<JsonObject> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code}`);
  }
  const parsed: unknown = JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${path} does not hold a JSON object; move it away and provision again`);
  }
  return parsed as JsonObject;
}

export interface WriteOptions {
  /** The group that reads the files (the daemon's); owner root. Undefined leaves ownership alone. */
  gid: number | undefined;
}

/**
 * Writes each file whose content changed: temp file in the same folder with its final mode, fsync,
 * rename over the old one, fsync of the folder. Returns the files written.
 */
export async function writeConfigPair(
  dir: string,
  pair: ConfigPair,
  options: WriteOptions,
): Promise<string[]> {
  await mkdir(dir, { recursive: true, mode: 0o750 });
  if (options.gid !== undefined) await chown(dir, 0, options.gid);
  const current = await readConfigPair(dir);
  const written: string[] = [];
  for (const [file, content, mode] of [
    [CONFIG_FILE, pair.config, 0o644],
    [SECRETS_FILE, pair.secrets, 0o640],
  ] as const) {
    const before = file === CONFIG_FILE ? current.config : current.secrets;
    if (sameJson(before, content)) continue;
    await writeAtomically(join(dir, file), `${JSON.stringify(content, null, 2)}\n`, mode, options.gid);
    written.push(file);
  }
  if (written.length > 0) await fsyncDir(dir);
  return written;
}

/**
 * Copies a TLS file the tech named (a USB stick, a home folder the daemon may not read) to
 * DIR/tls/NAME, 0640 root:GROUP, unless it is already that file. Returns the path to configure.
 */
export async function adoptTlsFile(
  dir: string,
  source: string,
  name: string,
  options: WriteOptions,
): Promise<string> {
  const target = join(dir, 'tls', name);
  if (resolve(source) === target) return target;
  return writeTlsFile(dir, name, await readFile(source), 0o640, options);
}

/** Writes DIR/tls/NAME atomically with `mode`, root:GROUP, unless it holds that already. Returns its path. */
export async function writeTlsFile(
  dir: string,
  name: string,
  content: string | Buffer,
  mode: number,
  options: WriteOptions,
): Promise<string> {
  const target = join(dir, 'tls', name);
  await mkdir(join(dir, 'tls'), { recursive: true, mode: 0o750 });
  if (options.gid !== undefined) await chown(join(dir, 'tls'), 0, options.gid);
  const current = await readFile(target).catch(() => undefined);
  if (!current?.equals(Buffer.from(content))) {
    await writeAtomically(target, content, mode, options.gid);
    await fsyncDir(join(dir, 'tls'));
  }
  return target;
}

async function writeAtomically(
  path: string,
  text: string | Buffer,
  mode: number,
  gid: number | undefined,
): Promise<void> {
  const temporary = `${path}.provisioning`;
  // Created with the final mode (and owner before any secret is in it), so no moment exposes a secret.
  await rm(temporary, { force: true });
  const handle = await open(temporary, 'wx', mode);
  try {
    await handle.chmod(mode);
    if (gid !== undefined) await handle.chown(0, gid);
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sorted((value as JsonObject)[key])]),
  );
}

/** The numeric id of a group by name (getent: /etc/group, or NSS where the image uses it). */
export function groupId(name: string): number | undefined {
  try {
    const line = execFileSync('getent', ['group', name], { encoding: 'utf8' });
    const gid = Number(line.split(':')[2]);
    return Number.isInteger(gid) ? gid : undefined;
  } catch {
    return undefined;
  }
}
