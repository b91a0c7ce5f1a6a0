import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import { loadCatalogFile } from '../../device/catalog/catalog-file.js';
import { CheckoutService } from '../../device/checkout/checkout-service.js';
import { FileReceiptNumbers } from '../../device/checkout/domain/receipt-number.js';
import { type CheckoutTiming, DEFAULT_TIMING, type Payments } from '../../device/checkout/ports.js';
import { provideCheckout } from '../../device/checkout/provide.js';
import { silentLogger } from '../../device/log/logger.js';
import type { Intent, ScreenModel, ScreenName } from '../../device/server/screen-model.js';
import type { VippsClient } from '../../device/vipps/client.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { SandboxControl } from './sandbox-control.js';
import { testClient } from './vipps-client.js';

export const DEMO_CATALOG = new URL('../../device/catalog/demo-catalog.json', import.meta.url).pathname;

/** Counts the calls the checkout makes, passing each through to the real client. */
export function countingPayments(inner: Payments) {
  const calls: string[] = [];
  const payments: Payments = {
    createPayment(request, key) {
      calls.push(`create ${request.reference}`);
      return inner.createPayment(request, key);
    },
    getPayment(reference) {
      calls.push(`get ${reference}`);
      return inner.getPayment(reference);
    },
    capture(reference, amount, key) {
      calls.push(`capture ${key}`);
      return inner.capture(reference, amount, key);
    },
    cancel(reference, options, key) {
      calls.push(`cancel ${key}`);
      return inner.cancel(reference, options, key);
    },
  };
  return { payments, calls };
}

/**
 * A checkout machine on a simulated clock, talking over loopback HTTP through the real Vipps client
 * to a real sandbox. Timers move only when the test advances the clock; HTTP runs for real.
 */
export class CheckoutHarness {
  readonly clock = new SimulatedClock();
  sandbox!: RunningSandbox;
  control!: SandboxControl;
  service!: CheckoutService;
  calls!: string[];
  /** References the checkout let go of without knowing they settled, in order. */
  readonly abandoned: string[] = [];
  private client!: VippsClient;
  private receiptNumbers!: FileReceiptNumbers;
  private readonly listeners: Array<() => void> = [];

  async start(timing: Partial<CheckoutTiming> = {}): Promise<this> {
    this.clock.set(Date.parse('2026-11-23T12:00:00Z'));
    this.sandbox = await startSandbox();
    this.control = new SandboxControl(this.sandbox);
    this.client = testClient(this.sandbox.url, this.sandbox.credentials);
    const counted = countingPayments(this.client.epayment);
    this.calls = counted.calls;
    this.receiptNumbers = new FileReceiptNumbers(await mkdtemp(join(tmpdir(), 'vk-checkout-')));
    this.service = new CheckoutService(
      provideCheckout({ payments: counted.payments, receiptNumbers: this.receiptNumbers }),
      {
        catalog: await loadCatalogFile(DEMO_CATALOG),
        kioskId: 'kiosk-07',
        storeName: 'Butikken Test',
        timing: { ...DEFAULT_TIMING, ...timing },
        defaultLanguage: 'nb',
        now: () => this.clock.now(),
        onAbandon: (reference) => this.abandoned.push(reference),
      },
      { demo: false, logger: silentLogger, clock: this.clock },
    );
    this.service.start();
    this.service.subscribe(() => {
      for (const listener of this.listeners.splice(0)) listener();
    });
    return this;
  }

  async stop(): Promise<void> {
    this.service?.stop();
    await this.receiptNumbers?.close();
    await this.client?.stop();
    await this.sandbox?.close();
  }

  get model(): ScreenModel {
    return this.service.model();
  }

  get customer() {
    return this.sandbox.customers[0]!;
  }

  scan(text: string): void {
    this.service.scan(text);
  }

  send(intent: Intent): void {
    const outcome = this.service.dispatch(intent);
    if (!outcome.accepted) throw new Error(`intent refused: ${outcome.reason}`);
  }

  advance(ms: number): void {
    this.clock.increment(ms);
  }

  /** Waits (real time, for HTTP) until the machine is in `state` (a screen name or a dotted state path). */
  async until(state: ScreenName | string, timeoutMs = 5000): Promise<ScreenModel> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const model = this.model;
      if (
        model.screen === state ||
        model.machineState === state ||
        model.machineState.startsWith(`${state}.`)
      ) {
        return model;
      }
      if (Date.now() > deadline)
        throw new Error(`still in ${model.machineState} (${model.screen}), wanted ${state}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 20);
        this.listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Lets in-flight HTTP settle without moving the simulated clock. */
  async settle(ms = 60): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Basket with two items, then the customer's personal QR: ends waiting for approval. */
  async startPayment(): Promise<string> {
    this.scan('2000000000015');
    this.scan('2000000000022');
    this.scan(this.customer.personalQrV2);
    const model = await this.until('awaiting-approval');
    return model.payment!.reference;
  }
}
