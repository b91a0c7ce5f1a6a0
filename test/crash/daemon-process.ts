import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import WebSocket from 'ws';
import { screenAuthorization, screenProtocols } from '../../contracts/screen-auth.js';
import type { Intent, ScreenModel } from '../../contracts/screen-model.js';
import { endProcess } from '../support/cli-process.js';

const MAIN = new URL('../../cli/main.ts', import.meta.url).pathname;

/**
 * The kiosk daemon as its own process (`vipps-kiosk demo --sandbox-url … --state-dir …`), so a test
 * can kill it with SIGKILL, as a power cut or an OOM kill would, and start it again on the same state.
 */
export class DaemonProcess {
  url = '';
  /** The run's screen token, as the demo prints it in the screen's address. */
  private token = '';
  private child: ChildProcess | undefined;
  private output = '';

  constructor(
    private readonly sandboxUrl: string,
    private readonly stateDir: string,
    /** Each kiosk its own id, so kiosks sharing a sandbox never share a payment reference. */
    private readonly deviceId: string,
    /** More settings as VK_* variables (attended mode and its terminal's port). */
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  async start(): Promise<this> {
    this.output = '';
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        MAIN,
        'demo',
        '--port',
        '0',
        '--broker-port',
        '0',
        '--sandbox-url',
        this.sandboxUrl,
        '--state-dir',
        this.stateDir,
        // HQ's collector and page are not what a crash is about, and would slow every restart.
        '--no-hq',
        // In attended mode the demo starts its cashier screen too: on a free port, not 8085, so daemons
        // of tests running side by side do not fight over it.
        '--pos-port',
        '0',
      ],
      {
        // The crash matrix is about the payment: the demo store's club would put an offer before it.
        env: {
          ...process.env,
          VK_LOG__LEVEL: 'info',
          VK_DEVICE__ID: this.deviceId,
          VK_CLUB__ENABLED: 'false',
          ...this.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString();
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const match = /kiosk screen {2}(http:\/\/127\.0\.0\.1:\d+)\/#screen-token=([0-9a-f]{64})\n/.exec(
        this.output,
      );
      if (match) {
        this.url = match[1]!;
        this.token = match[2]!;
        return this;
      }
      if (child.exitCode !== null || Date.now() > deadline) {
        // One that hangs at start is not left running after the test.
        if (child.exitCode === null) child.kill('SIGKILL');
        throw new Error(`daemon did not start:\n${this.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** SIGKILL: no shutdown code runs; only what the daemon wrote durably is there at the next start. */
  kill(): Promise<void> {
    return endProcess(this.child, 'SIGKILL');
  }

  stop(): Promise<void> {
    return endProcess(this.child, 'SIGTERM');
  }

  log(): string {
    return this.output;
  }

  async post(path: string, body: unknown): Promise<void> {
    const res = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: screenAuthorization(this.token) },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  }

  scan(text: string): Promise<void> {
    return this.post('/api/scan', { text });
  }

  async model(): Promise<ScreenModel> {
    const response = await fetch(`${this.url}/api/state`, {
      headers: { authorization: screenAuthorization(this.token) },
    });
    return ((await response.json()) as { model: ScreenModel }).model;
  }

  async health(): Promise<{ status: string; recovery: ScreenModel['recovery'] }> {
    return (await (await fetch(`${this.url}/healthz`)).json()) as {
      status: string;
      recovery: ScreenModel['recovery'];
    };
  }

  /** Sends one intent as the screen would, over the WebSocket. */
  async intent(intent: Intent): Promise<void> {
    const socket = new WebSocket(`${this.url.replace('http', 'ws')}/api/ws`, screenProtocols(this.token), {
      origin: this.url,
    });
    // Listening before the handshake ends: the screen model can come in the same read as the upgrade.
    const greeted = once(socket, 'message');
    await once(socket, 'open');
    await greeted;
    socket.send(JSON.stringify({ type: 'intent', intent }));
    // The close handshake follows the intent on the same stream, so the daemon has read it by then.
    socket.close();
    await once(socket, 'close');
  }
}
