import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port.js';
import { describeWithTools } from '../support/required-tools.js';

export const MOSQUITTO_BIN = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';
export const MOSQUITTO_PASSWD_BIN = process.env.MOSQUITTO_PASSWD_BIN ?? '/usr/bin/mosquitto_passwd';
export const OPENSSL_BIN = process.env.OPENSSL_BIN ?? '/usr/bin/openssl';

function openssl(dir: string, args: string[]): void {
  execFileSync(OPENSSL_BIN, args, { cwd: dir, stdio: 'pipe' });
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A throwaway CA for the suite (P-256 keys: quick to make). */
function makeCertificateAuthority(dir: string): void {
  openssl(dir, [
    'req',
    '-x509',
    ...EC_KEY,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=vk-test-ca',
  ]);
}

function issueCertificate(dir: string, name: string, commonName: string, extension?: string): void {
  openssl(dir, [
    'req',
    ...EC_KEY,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${commonName}`,
  ]);
  const args = ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial'];
  args.push('-out', `${name}.crt`, '-days', '2');
  if (extension) {
    writeFileSync(join(dir, `${name}.ext`), `${extension}\n`);
    args.push('-extfile', `${name}.ext`);
  }
  openssl(dir, args);
}

/** A describe() for suites that need the real broker: skipped with a message, or failed under CI=true. */
export function describeWithMosquitto(name: string, body: () => void): void {
  describeWithTools(
    name,
    { mosquitto: MOSQUITTO_BIN, mosquitto_passwd: MOSQUITTO_PASSWD_BIN, openssl: OPENSSL_BIN },
    'apt-get install -y mosquitto openssl',
    body,
  );
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A real Mosquitto on a free loopback port, with a password listener (no anonymous clients) and
 * persistence, so a stop/start keeps retained messages and persistent sessions as a production broker
 * with `persistence true` does.
 */
export class Mosquitto {
  readonly username = 'kiosk';
  readonly password = 'test-password-for-the-suite';
  private child: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly dir: string,
    readonly port: number,
    /** The client-certificate listener (require_certificate, the certificate's CN is the username). */
    readonly tlsPort: number,
  ) {}

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get tlsUrl(): string {
    return `mqtts://127.0.0.1:${this.tlsPort}`;
  }

  /** PEM files of the test CA and of a client certificate for `commonName`, signed by that CA. */
  async clientCertificate(commonName: string): Promise<{ ca: string; cert: string; key: string }> {
    const name = `client-${commonName}`;
    issueCertificate(this.dir, name, commonName);
    return {
      ca: await readFile(join(this.dir, 'ca.crt'), 'utf8'),
      cert: await readFile(join(this.dir, `${name}.crt`), 'utf8'),
      key: await readFile(join(this.dir, `${name}.key`), 'utf8'),
    };
  }

  /** `clientCaFile`: the CA the TLS listener trusts for client certificates (default: the suite's CA). */
  static async start(options: { clientCaFile?: string } = {}): Promise<Mosquitto> {
    const dir = await mkdtemp(join(tmpdir(), 'vk-mosquitto-'));
    const broker = new Mosquitto(dir, await freePort(), await freePort());
    makeCertificateAuthority(dir);
    issueCertificate(dir, 'server', 'localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost');
    await mkdir(join(dir, 'data'));
    const passwords = join(dir, 'passwd');
    execFileSync(MOSQUITTO_PASSWD_BIN, ['-b', '-c', passwords, broker.username, broker.password]);
    await writeFile(
      join(dir, 'mosquitto.conf'),
      [
        // Run as whoever runs the tests: as root Mosquitto would switch to the `mosquitto` user, which
        // cannot read this temporary directory.
        `user ${userInfo().username}`,
        `listener ${broker.port} 127.0.0.1`,
        'allow_anonymous false',
        `password_file ${passwords}`,
        'persistence true',
        `persistence_location ${join(dir, 'data')}/`,
        `listener ${broker.tlsPort} 127.0.0.1`,
        `cafile ${options.clientCaFile ?? join(dir, 'ca.crt')}`,
        `certfile ${join(dir, 'server.crt')}`,
        `keyfile ${join(dir, 'server.key')}`,
        'require_certificate true',
        'use_identity_as_username true',
        'log_dest stderr',
        'log_type error',
        'log_type warning',
        'log_type notice',
        '',
      ].join('\n'),
    );
    await broker.run();
    return broker;
  }

  /** Starts the broker (again) on the same port and data. */
  async run(): Promise<void> {
    const child = spawn(MOSQUITTO_BIN, ['-c', join(this.dir, 'mosquitto.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    const deadline = Date.now() + 5_000;
    while (!((await portOpen(this.port)) && (await portOpen(this.tlsPort)))) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`mosquitto did not start:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** SIGTERM: Mosquitto saves its persistence file and exits, as on `systemctl stop`. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    await once(child, 'exit');
  }

  /** SIGHUP: Mosquitto reads its password file again, as on `systemctl reload mosquitto`. */
  reload(): void {
    this.child?.kill('SIGHUP');
  }

  /** Freezes the broker: connections stay open, nothing is answered (no PUBACK). */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  log(): string {
    return this.output;
  }

  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
