import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import { type Started, startInOrder } from '../../common/lifecycle.js';
import type { LogFields, Logger } from '../../common/log/logger.js';
import { silentLogger } from '../../common/log/logger.js';
import type { Intent, ScreenModel, ScreenName } from '../../contracts/screen-model.js';
import { loadCatalogFile } from '../../device/catalog/catalog-file.js';
import type { CheckoutService } from '../../device/checkout/checkout-service.js';
import { FileReceiptNumbers } from '../../device/checkout/domain/receipt-number.js';
import type { Seller } from '../../device/checkout/domain/sales-receipt.js';
import type { ClubPolicy } from '../../device/checkout/machine.js';
import type { PhoneEntryPolicy } from '../../device/checkout/phone-entry-limit.js';
import {
  type CheckoutTiming,
  DEFAULT_TIMING,
  type Membership,
  type Payments,
} from '../../device/checkout/ports.js';
import { composeCheckout } from '../../device/checkout-composition.js';
import { bindingMessage } from '../../device/club/binding-message.js';
import { ClubMembership } from '../../device/club/club-membership.js';
import { CLUB_FILE, SqliteClub } from '../../device/club/sqlite-club.js';
import type { RecoveryService } from '../../device/journal/recovery-service.js';
import { JOURNAL_FILE, SqliteJournal } from '../../device/journal/sqlite-journal.js';
import type { VippsClient, VippsClientOptions } from '../../device/vipps/client.js';
import type { RetryPolicy } from '../../device/vipps/retry.js';
import { type RunningSandbox, SandboxClock, startSandbox } from '../../sandbox/index.js';
import { SandboxControl } from './sandbox-control.js';
import { FAST_RETRY, SHORT_TIMEOUTS, testClient } from './vipps-client.js';

export type ClientTimeouts = VippsClientOptions['timeouts'];

export interface CheckoutHarnessOptions {
  timing?: Partial<CheckoutTiming>;
  /** Per-call budgets of the real client; short ones make a hung call cost little real time. */
  timeouts?: Partial<ClientTimeouts>;
  retry?: Partial<RetryPolicy>;
  /** The client's retry sleep: the harness default sleeps at most 2 ms whatever backoff asks for. */
  sleep?: (ms: number) => Promise<void>;
  /** Puts something between the client and the sandbox (a corrupting proxy); returns the URL to use. */
  front?: (sandboxUrl: string) => Promise<string>;
  /** Sandbox time stands still and moves only with `tick`/`sandbox.clock.advance` (default false). */
  freezeSandboxClock?: boolean;
  tokenLifetimeSeconds?: number;
  /** Wrap the client in the payment journal, as device/main.ts does (default false, as test/support does). */
  journal?: boolean;
  /** The store has a customer club: members in a real SQLite file, Vipps Login into the sandbox. */
  club?: Partial<ClubPolicy>;
  /** The keypad's phone number limit; the daemon's own when absent. */
  phoneEntry?: PhoneEntryPolicy;
  /** The kiosk is a Norwegian cash register of this seller (`cashRegister`): the receipt is a Salgskvittering. */
  seller?: Seller;
}

/** Counts what the club asks of Vipps and the store, passing each through. */
function countingMembership(inner: Membership, calls: string[]): Membership {
  const counted =
    <A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      calls.push(name);
      return call(...args);
    };
  return {
    msisdnOf: counted('exchange', (qr) => inner.msisdnOf(qr)),
    lookup: counted('lookup', (msisdn) => inner.lookup(msisdn)),
    startLogin: counted('start login', (request) => inner.startLogin(request)),
    pollLogin: counted('poll login', (id) => inner.pollLogin(id)),
    enrol: counted('enrol', (approval) => inner.enrol(approval)),
  };
}

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

/** States where the machine waits only for its own timers: nothing is in flight at Vipps. */
export const TIMER_STATES = [
  'session.flow.awaitingApproval.waiting',
  'session.flow.cancelling.pausing',
  'session.flow.capturing.pausing',
] as const;

/** Screens where the machine waits for the customer (or for nothing at all). */
export const RESTING_SCREENS: readonly ScreenName[] = [
  'attract',
  'basket',
  'identify',
  'approved',
  'declined',
  'unavailable',
];

const quickSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 2)));

/** Keeps what the daemon would log at `level` (error by default), so a test can see what went wrong. */
function recordingLogger(lines: string[], level: 'warn' | 'error' = 'error'): Logger {
  const record = (message: string, fields?: LogFields) => {
    lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
  };
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: level === 'warn' ? record : () => {},
    error: record,
    child: () => logger,
  };
  return logger;
}

/**
 * A checkout machine on an xstate SimulatedClock, paying through the REAL Vipps client over loopback
 * into a REAL in-process sandbox. Timers move only when the test advances the clock; HTTP runs for real.
 * Knobs for resilience tests: short client timeouts, an injectable retry sleep, a proxy in front of
 * the sandbox, a sandbox clock that moves in step, and the payment journal with recovery as
 * device/main.ts wires them.
 */
export class CheckoutHarness {
  readonly clock = new SimulatedClock();
  readonly errors: string[] = [];
  /** What the club logged as a warning (each costs a customer their member prices). */
  readonly warnings: string[] = [];
  sandbox!: RunningSandbox;
  control!: SandboxControl;
  service!: CheckoutService;
  client!: VippsClient;
  calls!: string[];
  vippsUrl!: string;
  receiptNumbers!: FileReceiptNumbers;
  private running: Started | undefined;
  journal: SqliteJournal | undefined;
  recovery: RecoveryService | undefined;
  club: SqliteClub | undefined;
  clubPath: string | undefined;
  /** What the club asked, in order: exchange, lookup, start login, poll login, enrol. */
  readonly clubCalls: string[] = [];
  private readonly listeners: Array<() => void> = [];

  /** References the checkout let go of without knowing they settled, in order. */
  readonly abandoned: string[] = [];

  constructor(private readonly options: CheckoutHarnessOptions = {}) {}

  async start(): Promise<this> {
    const { options } = this;
    const start = Date.parse('2026-11-23T12:00:00Z');
    this.clock.set(start);
    const sandboxClock = new SandboxClock(start);
    if (options.freezeSandboxClock) sandboxClock.setSpeed(0);
    this.sandbox = await startSandbox({
      clock: sandboxClock,
      ...(options.tokenLifetimeSeconds ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
    });
    this.control = new SandboxControl(this.sandbox);
    this.vippsUrl = options.front ? await options.front(this.sandbox.url) : this.sandbox.url;
    this.client = testClient(this.vippsUrl, this.sandbox.credentials, {
      retry: { ...FAST_RETRY, ...options.retry },
      timeouts: { ...SHORT_TIMEOUTS, ...options.timeouts },
      logger: recordingLogger([]),
      sleep: options.sleep ?? quickSleep,
      // The kiosk's clock agrees with Vipps' (ID token expiry, access token lifetime are read against it).
      now: () => sandboxClock.now(),
    });
    const stateDir = await mkdtemp(join(tmpdir(), 'vk-resilience-'));
    this.journal = options.journal ? SqliteJournal.open(join(stateDir, JOURNAL_FILE)) : undefined;
    let membership: Membership | undefined;
    if (options.club) {
      this.clubPath = join(stateDir, CLUB_FILE);
      this.club = new SqliteClub({ path: this.clubPath });
      await this.club.start();
      const real = new ClubMembership({
        club: this.club,
        login: this.client.login,
        qr: this.client.qr,
        kioskId: 'kiosk-07',
        logger: recordingLogger(this.warnings, 'warn'),
        now: () => this.clock.now(),
      });
      membership = countingMembership(real, this.clubCalls);
    }
    this.receiptNumbers = new FileReceiptNumbers(stateDir);
    // The daemon's own composition (device/checkout-composition.ts), on the test's clock; recovery's
    // retries come quickly.
    const composed = composeCheckout({
      payments: this.client.epayment,
      journal: this.journal,
      recovery: { logger: silentLogger, retryMs: 50, lateWindowMs: 0, now: () => this.clock.now() },
      around: (payments) => {
        const counted = countingPayments(payments);
        this.calls = counted.calls;
        return counted.payments;
      },
      receiptNumbers: this.receiptNumbers,
      membership,
      env: {
        catalog: await loadCatalogFile(DEMO_CATALOG),
        kioskId: 'kiosk-07',
        merchantSerialNumber: this.sandbox.credentials.merchantSerialNumber,
        storeName: 'Butikken Test',
        timing: { ...DEFAULT_TIMING, ...options.timing },
        defaultLanguage: 'nb',
        club: options.club
          ? { scopes: 'openid name phoneNumber', loginExpirySeconds: 180, bindingMessage, ...options.club }
          : null,
        ...(options.seller ? { seller: options.seller } : {}),
      },
      service: {
        demo: false,
        logger: recordingLogger(this.errors),
        clock: this.clock,
        ...(options.phoneEntry ? { phoneEntry: options.phoneEntry } : {}),
      },
    });
    this.service = composed.checkout;
    this.recovery = composed.recovery;
    this.service.onDomainEvent((event) => {
      if (event.type === 'payment.abandoned') this.abandoned.push(event.reference);
    });
    this.running = await startInOrder(composed.components, silentLogger);
    this.service.subscribe(() => {
      for (const listener of this.listeners.splice(0)) listener();
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.running?.stop();
    await this.receiptNumbers?.close();
    this.journal?.stop();
    await this.club?.stop();
    await this.client?.stop();
    await this.sandbox?.close();
  }

  get model(): ScreenModel {
    return this.service.model();
  }

  get customer() {
    return this.sandbox.customers[0]!;
  }

  /** 'active' while the checkout runs; 'error' once a guard or action threw and the actor stopped. */
  get status(): string {
    return this.service.snapshot().status;
  }

  scan(text: string): void {
    this.service.scan(text);
  }

  send(intent: Intent): void {
    const outcome = this.service.dispatch(intent);
    if (!outcome.accepted) throw new Error(`intent refused: ${outcome.reason}`);
  }

  /** Moves the checkout's timers only. */
  advance(ms: number): void {
    this.clock.increment(ms);
  }

  /** Moves the checkout's timers and sandbox time together, as the real world would. */
  tick(ms: number): void {
    this.sandbox.clock.advance(ms);
    this.clock.increment(ms);
  }

  /** Throws at once if the checkout actor has stopped on an error. */
  assertRunning(): void {
    const snapshot = this.service.snapshot();
    if (snapshot.status !== 'active') {
      const error = (snapshot as { error?: unknown }).error;
      throw new Error(`checkout machine is ${snapshot.status}: ${String(error)}`);
    }
  }

  /** Waits (real time, for HTTP) until `done(model)` holds; fails fast if the machine stopped. */
  async waitFor(done: (model: ScreenModel) => boolean, what: string, timeoutMs = 5000): Promise<ScreenModel> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.assertRunning();
      const model = this.model;
      if (done(model)) return model;
      if (Date.now() > deadline)
        throw new Error(`still in ${model.machineState} (${model.screen}), wanted ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 20);
        this.listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  until(state: ScreenName | string, timeoutMs = 5000): Promise<ScreenModel> {
    return this.waitFor(
      (model) =>
        model.screen === state || model.machineState === state || model.machineState.startsWith(`${state}.`),
      state,
      timeoutMs,
    );
  }

  /** Waits until nothing is in flight: a timer state, or a screen waiting for the customer. */
  untilResting(timeoutMs = 10_000): Promise<ScreenModel> {
    return this.waitFor(
      (model) =>
        (TIMER_STATES as readonly string[]).includes(model.machineState) ||
        RESTING_SCREENS.includes(model.screen),
      'a resting state',
      timeoutMs,
    );
  }

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
