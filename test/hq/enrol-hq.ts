import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, spawnCli } from '../provisioning/cli.js';
import { OPENSSL_BIN } from '../telemetry/mosquitto.js';

// HQ's enrolment side as an operator sets it up, through the real commands: `hq enrol-keygen`,
// `hq ca-init`, a self-signed certificate for the enrolment service (the kiosks pin it), `hq enrol-serve`
// on a free loopback port, and `hq enrol-qr` per kiosk.

export class EnrolmentHq {
  readonly keyFile: string;
  readonly publicKeyFile: string;
  readonly caDir: string;
  readonly tokensFile: string;
  readonly serviceCert: string;
  readonly serviceKey: string;
  private server: ChildProcess | undefined;
  private serverOutput = '';
  private serviceUrl: string | undefined;

  private constructor(readonly dir: string) {
    this.keyFile = join(dir, 'hq-enrol.key');
    this.publicKeyFile = join(dir, 'hq-enrol.pub');
    this.caDir = join(dir, 'ca');
    this.tokensFile = join(dir, 'enrol-tokens.sqlite');
    this.serviceCert = join(dir, 'service.crt');
    this.serviceKey = join(dir, 'service.key');
  }

  static async make(dir: string): Promise<EnrolmentHq> {
    const hq = new EnrolmentHq(dir);
    await mkdir(hq.caDir, { recursive: true });
    for (const args of [
      ['hq', 'enrol-keygen', '--out', dir],
      ['hq', 'ca-init', '--out', hq.caDir],
    ]) {
      const run = await runCli(args);
      if (run.code !== 0) throw new Error(`${args.join(' ')} failed:\n${run.output}`);
    }
    execFileSync(OPENSSL_BIN, [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      hq.serviceKey,
      '-out',
      hq.serviceCert,
      '-days',
      '2',
      '-subj',
      '/CN=enrol.hq.test',
    ]);
    return hq;
  }

  get url(): string {
    if (!this.serviceUrl) throw new Error('the enrolment service is not running');
    return this.serviceUrl;
  }

  /** Starts `hq enrol-serve` on a free loopback port; `brokerCa` is handed to the kiosks. */
  async serve(brokerCa?: string): Promise<string> {
    const child = spawnCli([
      'hq',
      'enrol-serve',
      '--ca',
      this.caDir,
      '--tokens',
      this.tokensFile,
      '--tls-cert',
      this.serviceCert,
      '--tls-key',
      this.serviceKey,
      '--port',
      '0',
      ...(brokerCa ? ['--broker-ca', brokerCa] : []),
    ]);
    this.server = child;
    const collect = (chunk: Buffer) => {
      this.serverOutput += chunk.toString();
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const match = /listening on (https:\/\/[^/\s]+)/.exec(this.serverOutput);
      if (match) {
        this.serviceUrl = match[1]!;
        return this.serviceUrl;
      }
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`hq enrol-serve did not start:\n${this.serverOutput}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** What `hq enrol-serve` has logged so far. */
  log(): string {
    return this.serverOutput;
  }

  /** `hq enrol-qr` for one kiosk; resolves with the code (the last line) and the whole output. */
  async enrolQr(
    site: string,
    device: string,
    brokerUrl: string,
    extra: string[] = [],
    env: NodeJS.ProcessEnv = {},
  ): Promise<{ code: string; output: string }> {
    const run = await runCli(
      [
        'hq',
        'enrol-qr',
        '--key',
        this.keyFile,
        '--tokens',
        this.tokensFile,
        '--site',
        site,
        '--device',
        device,
        '--broker',
        brokerUrl,
        '--service',
        this.url,
        '--service-cert',
        this.serviceCert,
        ...extra,
      ],
      env,
    );
    if (run.code !== 0) throw new Error(`hq enrol-qr failed:\n${run.output}`);
    return { code: run.output.trim().split('\n').at(-1)!, output: run.output };
  }

  async close(): Promise<void> {
    const child = this.server;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
