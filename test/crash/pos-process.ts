import { join } from 'node:path';
import { packageRoot } from '../../common/package-root.js';
import type { RegisterAction, RegisterModel } from '../../pos/sale/register-model.js';
import { endProcess, start, waitFor } from '../support/cli-process.js';

const CATALOG = join(packageRoot(), 'device', 'catalog', 'demo-catalog.json');

/**
 * The reference cashier screen as its own process (`vipps-kiosk pos serve … --state-dir …`), so a test
 * can kill it with SIGKILL mid-payment, as a till losing power would, and start it again on the same
 * state directory. The test is the page: it reads /api/state and posts the cashier's actions.
 */
export class PosProcess {
  url = '';
  private child: ReturnType<typeof start> | undefined;

  constructor(
    private readonly terminalUrl: string,
    private readonly tokenFile: string,
    readonly stateDir: string,
  ) {}

  async start(): Promise<this> {
    this.child = start([
      'pos',
      'serve',
      '--terminal',
      this.terminalUrl,
      '--token-file',
      this.tokenFile,
      '--catalog',
      CATALOG,
      '--port',
      '0',
      '--state-dir',
      this.stateDir,
    ]);
    this.url = (await waitFor(this.child, /cashier screen {2}(http:\/\/127\.0\.0\.1:\d+)/, 20_000))[1]!;
    return this;
  }

  /** SIGKILL: no shutdown code runs; only what the till wrote durably is there at the next start. */
  kill(): Promise<void> {
    return endProcess(this.child, 'SIGKILL');
  }

  stop(): Promise<void> {
    return endProcess(this.child, 'SIGTERM');
  }

  log(): string {
    return this.child?.output() ?? '';
  }

  async state(): Promise<RegisterModel> {
    const response = await fetch(`${this.url}/api/state`);
    if (!response.ok) throw new Error(`/api/state: HTTP ${response.status}`);
    return (await response.json()) as RegisterModel;
  }

  async act(action: RegisterAction): Promise<void> {
    const response = await fetch(`${this.url}/api/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(action),
    });
    if (response.status !== 204)
      throw new Error(`${action.type}: HTTP ${response.status} ${await response.text()}`);
  }
}
