import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { packageRoot } from '../common/package-root.js';
import type { SandboxCredentials, TestCustomer } from '../sandbox/index.js';

export interface SandboxProcess {
  url: string;
  credentials: SandboxCredentials;
  customers: TestCustomer[];
  stop(): Promise<void>;
}

/**
 * The sandbox as its own process, started by the product's CLI, so the clients measured here do not
 * share an event loop with the server they talk to.
 */
export async function startSandboxProcess(): Promise<SandboxProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(packageRoot(), 'bin', 'vipps-kiosk.js'), 'sandbox', '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code} before listening`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
  });
  const credentials = (await (await fetch(`${url}/_sandbox/credentials`)).json()) as SandboxCredentials;
  const customers = (await (await fetch(`${url}/_sandbox/users`)).json()) as TestCustomer[];
  return {
    url,
    credentials,
    customers,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
