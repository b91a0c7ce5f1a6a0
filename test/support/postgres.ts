import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';
import { describeWithTools } from './required-tools.js';

// A real PostgreSQL for a test file: a throwaway cluster made by initdb in a temporary folder, on a
// free loopback port, removed afterwards. As root (CI, containers) it runs as the `postgres` user,
// which PostgreSQL insists on. CI installs Debian's `postgresql` (.ci/run).

const BIN = process.env.POSTGRES_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
const INITDB = join(BIN, 'initdb');
const POSTGRES = join(BIN, 'postgres');

/** A describe() for suites that need PostgreSQL: skipped with a message, or failed under CI=true. */
export function describeWithPostgres(name: string, body: () => void): void {
  describeWithTools(name, { initdb: INITDB, postgres: POSTGRES }, 'apt-get install -y postgresql', body);
}

/** uid/gid to run the server as: ourselves, or `postgres` when we are root. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

export class TestPostgres {
  private databases = 0;
  private output = '';

  private constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  static async start(): Promise<TestPostgres> {
    const dir = await mkdtemp(join(tmpdir(), 'vk-postgres-'));
    const user = serverUser();
    const data = join(dir, 'data');
    if (user) {
      await chown(dir, user.uid, user.gid);
      await chmod(dir, 0o700);
    }
    execFileSync(INITDB, ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'], {
      stdio: 'pipe',
      ...user,
    });
    const port = await freePort();
    // fsync off: a test cluster need not survive a power cut, and the machine is shared.
    const child = spawn(
      POSTGRES,
      ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
      { stdio: ['ignore', 'pipe', 'pipe'], ...user },
    );
    const server = new TestPostgres(dir, port, child);
    child.stdout!.on('data', (chunk: Buffer) => {
      server.output += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      server.output += chunk.toString();
    });
    await server.ready();
    return server;
  }

  private async ready(): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const client = new pg.Client({ connectionString: this.url('postgres') });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.end();
        return;
      } catch {
        if (this.child.exitCode !== null || Date.now() > deadline)
          throw new Error(`PostgreSQL did not start:\n${this.output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** A fresh, empty database of its own for one test; its URL. */
  async createDatabase(): Promise<string> {
    this.databases += 1;
    const name = `t${this.databases}`;
    const client = new pg.Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  log(): string {
    return this.output;
  }

  /** Fast shutdown (SIGINT: open connections are ended), then the folder is removed. */
  async dispose(): Promise<void> {
    if (this.child.exitCode === null) {
      this.child.kill('SIGINT');
      await once(this.child, 'exit');
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
