import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { SimulatedClock } from 'xstate';
import { type Logger, silentLogger } from '../../common/log/logger.js';
import { screenAuthorization, screenProtocols } from '../../contracts/screen-auth.js';
import type { Intent, ScreenModel, ScreenName } from '../../contracts/screen-model.js';
import type { ScreenKeyPress } from '../../contracts/speech.js';
import { DEMO_COMPANY, demoSigningKey } from '../../demo/demo-cash-register.js';
import { sandboxSettings } from '../../demo/sandbox-settings.js';
import type { SandboxCommand } from '../../device/cash-register/training-sandbox.js';
import { type Country, CURRENCY_OF } from '../../device/checkout/domain/market.js';
import type { KeyPort } from '../../device/hardware/key-port.js';
import { type KioskRuntime, startKiosk } from '../../device/main.js';
import type { SpeechPort } from '../../device/speech/speech-port.js';
import { type RunningSandbox, type SandboxCustomer, startSandbox } from '../../sandbox/index.js';
import { SandboxControl } from './sandbox-control.js';

/**
 * The whole daemon as `vipps-kiosk demo` runs it (composition root, server, machine, client) against a
 * sandbox, with the checkout's timers on a simulated clock the test moves.
 */
export class KioskUnderTest {
  readonly clock = new SimulatedClock();
  sandbox!: RunningSandbox;
  control!: SandboxControl;
  kiosk!: KioskRuntime;
  stateDir!: string;
  market: Country = 'NO';

  async start(
    options: {
      demo?: boolean;
      telemetry?: Record<string, unknown>;
      club?: Record<string, unknown>;
      env?: NodeJS.ProcessEnv;
      /** Start on a state directory an earlier daemon left (journal, outbox, receipt counter). */
      stateDir?: string;
      /** What HQ's `reboot` calls (the machine's reboot is the OS edge); absent, it is refused. */
      reboot?: () => Promise<void>;
      /** HQ's public command keys (TestCommandKey.keysDir); absent, every HQ command is refused. */
      commandKeysDir?: string;
      /** Where the daemon logs; silent by default. */
      logger?: Logger;
      /** The kiosk as a Norwegian cash register (the demo's company and a signing key in its state). */
      cashRegister?: Record<string, unknown>;
      /** How training mode runs its sandbox; the TypeScript CLI is what a test has (no dist/ needed). */
      trainingSandbox?: SandboxCommand;
      /** Speech mode's tactile keys, and the engine it speaks with (a recorder, WAV files). */
      keys?: KeyPort;
      speech?: SpeechPort;
      /** More settings on top of the test defaults, e.g. `{ mode: 'attended', terminal: {...} }`. */
      settings?: Record<string, unknown>;
      /** The market it sells in, through the sandbox's sales unit there; Norway by default. */
      market?: Country;
    } = {},
  ): Promise<this> {
    this.clock.set(Date.now());
    this.stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'vk-daemon-')));
    this.sandbox = await startSandbox();
    this.control = new SandboxControl(this.sandbox);
    this.market = options.market ?? 'NO';
    const settings = sandboxSettings(
      this.sandbox,
      {
        stateDir: this.stateDir,
        port: 0,
        deviceId: 'it-kiosk-1',
        market: this.market,
        extra: {
          store: { name: 'Butikken Test', country: this.market, currency: CURRENCY_OF[this.market] },
          ...(options.telemetry ? { telemetry: options.telemetry } : {}),
          ...(options.club ? { club: options.club } : {}),
          ...(options.cashRegister ? { cashRegister: { ...DEMO_COMPANY, ...options.cashRegister } } : {}),
          ...options.settings,
        },
        ...(options.cashRegister ? { secrets: { cashRegister: await demoSigningKey(this.stateDir) } } : {}),
      },
      // Retries in milliseconds, so a test of a Vipps outage reaches "unavailable" at once.
      {
        VK_VIPPS__RETRY__MAX_ATTEMPTS: '2',
        VK_VIPPS__RETRY__BASE_DELAY_MS: '1',
        VK_VIPPS__RETRY__MAX_DELAY_MS: '2',
        ...options.env,
      },
    );
    // Port 0 (any free port) is for tests; a kiosk's configuration must name its port.
    this.kiosk = await startKiosk(
      { ...settings, server: { port: 0 } },
      {
        logger: options.logger ?? silentLogger,
        clock: this.clock,
        ...(options.reboot ? { reboot: options.reboot } : {}),
        ...(options.commandKeysDir ? { commandKeysDir: options.commandKeysDir } : {}),
        ...(options.trainingSandbox ? { trainingSandbox: options.trainingSandbox } : {}),
        ...(options.keys ? { keys: options.keys } : {}),
        ...(options.speech ? { speech: options.speech } : {}),
        demo:
          options.demo === false
            ? null
            : { phoneUrl: `${this.sandbox.url}/phone`, sandboxUrl: this.sandbox.url, customers: [] },
      },
    );
    return this;
  }

  async stop(): Promise<void> {
    await this.kiosk?.stop();
    await this.sandbox?.close();
  }

  /** The sandbox's test users of the kiosk's market: the people a payment from this kiosk can reach. */
  get customers(): readonly SandboxCustomer[] {
    return this.sandbox.salesUnits.find((unit) => unit.market === this.market)?.customers ?? [];
  }

  get url(): string {
    return this.kiosk.url;
  }

  get screenToken(): string {
    return this.kiosk.screenToken;
  }

  async scan(text: string): Promise<Response> {
    return fetch(`${this.url}/api/scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: screenAuthorization(this.screenToken) },
      body: JSON.stringify({ text }),
    });
  }

  async state(): Promise<ScreenModel> {
    const response = await fetch(`${this.url}/api/state`, {
      headers: { authorization: screenAuthorization(this.screenToken) },
    });
    return ((await response.json()) as { model: ScreenModel }).model;
  }

  async screen(screen: ScreenName, timeoutMs = 5000): Promise<ScreenModel> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const model = await this.state();
      if (model.screen === screen) return model;
      if (Date.now() > deadline)
        throw new Error(`screen is ${model.screen} (${model.machineState}), wanted ${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  }
}

/** A screen's socket: every model it is sent, and intents out. */
export class ScreenSocket {
  readonly models: ScreenModel[] = [];
  readonly errors: string[] = [];
  /** Speech mode's tactile keys, as the daemon passed them on. */
  readonly keys: ScreenKeyPress[] = [];
  private socket!: WebSocket;

  /** Opens the socket as the screen does: from the kiosk's own origin, offering the boot's token. */
  async open(kiosk: { url: string; screenToken: string }): Promise<this> {
    this.socket = new WebSocket(
      `${kiosk.url.replace('http', 'ws')}/api/ws`,
      screenProtocols(kiosk.screenToken),
      {
        origin: kiosk.url,
      },
    );
    this.socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        type: string;
        model?: ScreenModel;
        message?: string;
        press?: ScreenKeyPress;
      };
      if (message.type === 'screen') this.models.push(message.model!);
      if (message.type === 'key') this.keys.push(message.press!);
      if (message.type === 'error') this.errors.push(message.message!);
    });
    await new Promise((resolve, reject) => {
      this.socket.once('open', resolve);
      this.socket.once('error', reject);
    });
    return this;
  }

  send(intent: Intent | unknown): void {
    this.socket.send(JSON.stringify({ type: 'intent', intent }));
  }

  raw(text: string): void {
    this.socket.send(text);
  }

  close(): void {
    this.socket.close();
  }

  async next(predicate: (model: ScreenModel) => boolean, timeoutMs = 5000): Promise<ScreenModel> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.models.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`no matching model; saw ${this.models.map((m) => m.screen).join(' > ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
