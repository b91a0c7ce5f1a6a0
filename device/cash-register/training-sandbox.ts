import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Logger } from '../../common/log/logger.js';
import { packageRoot } from '../../common/package-root.js';
import type { Payments } from '../checkout/ports.js';

// Where training mode's payments go: the Vipps sandbox (sandbox/), run as a child process on a loopback
// port, with a second Vipps client pointed at it. Why a child process: the daemon may not import sandbox/
// (test/architecture/dependency-rules.test.ts keeps the stand-in for Vipps out of what runs on a kiosk),
// and `vipps-kiosk sandbox` is the same program a developer runs, so training pays into exactly the
// strict sandbox the tests use. It is started when the first training payment needs it, not at boot: a
// kiosk that never trains never pays its memory.

/** How the sandbox is run: `vipps-kiosk sandbox --port 0` by default; tests run the TypeScript CLI. */
export interface SandboxCommand {
  command: string;
  args: readonly string[];
}

export function installedSandboxCommand(): SandboxCommand {
  return {
    command: process.execPath,
    args: [join(packageRoot(), 'bin', 'vipps-kiosk.js'), 'sandbox', '--port', '0', '--host', '127.0.0.1'],
  };
}

/** What the sandbox prints when it listens: its address and its own fixed, fake keys. */
export interface SandboxAddress {
  url: string;
  credentials: {
    clientId: string;
    clientSecret: string;
    subscriptionKey: string;
    merchantSerialNumber: string;
  };
}

/** The training route cannot reach its sandbox: no training payment can be made until it does. */
export class TrainingSandboxError extends Error {
  override readonly name = 'TrainingSandboxError';
}

export interface TrainingSandboxOptions {
  command: SandboxCommand;
  /** The second Vipps client, pointed at the sandbox (the kiosk's client settings, the sandbox's keys). */
  client: (address: SandboxAddress) => { epayment: Payments; stop(): Promise<void> };
  logger: Logger;
  /** How long the sandbox may take to say where it listens. */
  startTimeoutMs: number;
}

const PRINTED = {
  url: /Vipps sandbox listening on (\S+)/,
  clientId: /client id\s+(\S+)/,
  clientSecret: /client secret\s+(\S+)/,
  subscriptionKey: /subscription key\s+(\S+)/,
  merchantSerialNumber: /merchant \(MSN\)\s+(\S+)/,
} as const;

export class TrainingSandbox {
  readonly name = 'training sandbox';
  private child: ChildProcess | undefined;
  private client: { epayment: Payments; stop(): Promise<void> } | undefined;
  private running: Promise<Payments> | undefined;

  constructor(private readonly options: TrainingSandboxOptions) {}

  /** The sandbox's ePayment API, starting the sandbox the first time; a failed start is tried again next time. */
  payments(): Promise<Payments> {
    this.running ??= this.launch().catch((error: unknown) => {
      this.running = undefined;
      throw error;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.running = undefined;
    await this.client?.stop();
    this.client = undefined;
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  }

  private async launch(): Promise<Payments> {
    const { command, args } = this.options.command;
    const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const address = await this.addressOf(child);
    this.options.logger.info('training payments go to the Vipps sandbox', { url: address.url });
    const client = this.options.client(address);
    this.client = client;
    // A sandbox that dies is started again for the next training payment; a payment in flight fails as
    // Vipps being unreachable would, and nothing of it reaches Vipps.
    child.once('exit', (code) => {
      if (this.child !== child) return;
      this.options.logger.error('the training sandbox stopped; it is started again when needed', {
        code: String(code),
      });
      this.child = undefined;
      this.client = undefined;
      this.running = undefined;
      void client.stop();
    });
    return client.epayment;
  }

  private addressOf(child: ChildProcess): Promise<SandboxAddress> {
    return new Promise((resolve, reject) => {
      let output = '';
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill('SIGTERM');
        reject(
          new TrainingSandboxError(
            `training mode cannot start the Vipps sandbox (${why}); training payments are refused until it ` +
              `starts — switch training off to sell. Its output: ${output.slice(-500) || '(none)'}`,
          ),
        );
      };
      const timer = setTimeout(
        () => fail('it did not say where it listens in time'),
        this.options.startTimeoutMs,
      );
      child.once('error', (error) => fail(error.message));
      // 'close', not 'exit': by then its output is all read, so the error can quote it.
      child.once('close', (code) => fail(`it exited with code ${String(code)}`));
      let listening = false;
      child.stderr?.on('data', (chunk: Buffer) => {
        if (!listening) output += chunk.toString();
      });
      child.stdout?.on('data', (chunk: Buffer) => {
        if (listening) return;
        output += chunk.toString();
        const found = Object.fromEntries(
          Object.entries(PRINTED).map(([key, pattern]) => [key, pattern.exec(output)?.[1]]),
        ) as Record<keyof typeof PRINTED, string | undefined>;
        if (Object.values(found).some((value) => value === undefined)) return;
        listening = true;
        clearTimeout(timer);
        child.removeAllListeners('close');
        child.removeAllListeners('error');
        const { url, ...credentials } = found as Record<keyof typeof PRINTED, string>;
        resolve({ url, credentials });
      });
    });
  }
}
