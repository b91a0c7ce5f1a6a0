import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { LogFields, Logger } from '../../common/log/logger.js';
import type { ScreenModel } from '../../contracts/screen-model.js';
import { DEMO_COMPANY, demoSigningKey } from '../../demo/demo-cash-register.js';
import { sandboxSettings } from '../../demo/sandbox-settings.js';
import { CASH_REGISTER_FILE, CashRegisterStore } from '../../device/cash-register/journal-store.js';
import { TrainingSandbox } from '../../device/cash-register/training-sandbox.js';
import { JOURNAL_FILE, SqliteJournal } from '../../device/journal/sqlite-journal.js';
import { type KioskRuntime, startKiosk } from '../../device/main.js';
import { TEST_CUSTOMERS } from '../../sandbox/customers.js';
import { KioskUnderTest } from '../support/kiosk-under-test.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { Subscriber, waitFor } from '../telemetry/subscriber.js';

// Training mode's promise, through the whole daemon: whatever the configuration says about Vipps, a
// training payment goes to the sandbox that training mode starts as a child process. The configured
// "Vipps" here is a server that records every request and answers none of them usefully.

const CLI = new URL('../../cli/main.ts', import.meta.url).pathname;

/** Every request the configured Vipps endpoint received, method and path. */
async function recordingVipps(): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

/** Keeps what the daemon logs at info and above, so the test learns the training sandbox's address. */
function listeningLogger(lines: Array<{ message: string; fields: LogFields }>): Logger {
  const record = (message: string, fields: LogFields = {}) => lines.push({ message, fields });
  const logger: Logger = { debug: () => {}, info: record, warn: record, error: record, child: () => logger };
  return logger;
}

let vipps: Awaited<ReturnType<typeof recordingVipps>>;
let kiosk: KioskRuntime | undefined;

afterEach(async () => {
  await kiosk?.stop();
  kiosk = undefined;
  vipps?.server.close();
});

async function startDaemon(
  stateDir: string,
  clock: SimulatedClock,
  log: Array<{ message: string; fields: LogFields }>,
) {
  const settings = sandboxSettings(
    {
      url: vipps.url,
      credentials: {
        clientId: 'the-stores-real-id',
        clientSecret: 'the-stores-real-secret',
        subscriptionKey: 'the-stores-real-key',
        merchantSerialNumber: '123456',
      },
    },
    {
      stateDir,
      port: 0,
      deviceId: 'kiosk-07',
      // No printer here (the printer's own tests cover it): the store lets the kiosk sell without one.
      extra: {
        store: { name: 'Butikken Test' },
        cashRegister: { ...DEMO_COMPANY, allowSaleWithoutPrinter: true },
      },
      secrets: { cashRegister: await demoSigningKey(stateDir) },
    },
  );
  return startKiosk(
    { ...settings, server: { port: 0 } },
    {
      logger: listeningLogger(log),
      clock,
      demo: null,
      trainingSandbox: {
        command: process.execPath,
        args: ['--import', 'tsx', CLI, 'sandbox', '--port', '0'],
      },
    },
  );
}

async function until(runtime: KioskRuntime, done: (model: ScreenModel) => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const model = runtime.checkout.model();
    if (done(model)) return model;
    if (Date.now() > deadline)
      throw new Error(`still on ${model.screen} (${model.machineState}), wanted ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it('pays a training sale into the sandbox, never to the configured Vipps, and journals it as training only', async () => {
  vipps = await recordingVipps();
  const clock = new SimulatedClock();
  clock.set(Date.parse('2026-11-23T12:00:00Z'));
  const stateDir = await mkdtemp(join(tmpdir(), 'vk-training-'));
  const log: Array<{ message: string; fields: LogFields }> = [];
  kiosk = await startDaemon(stateDir, clock, log);
  const startup = [...vipps.requests];

  kiosk.training!.set(true, 'E7');
  expect(kiosk.checkout.model().training).toBe(true);
  kiosk.checkout.scan('2000000000015');
  kiosk.checkout.scan(TEST_CUSTOMERS[0]!.personalQrV2);
  const waiting = await until(kiosk, (m) => m.screen === 'awaiting-approval', 'awaiting-approval');
  const reference = waiting.payment!.reference;
  const sandboxUrl = log.find((l) => l.message === 'training payments go to the Vipps sandbox')?.fields.url;
  expect(sandboxUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const approved = await fetch(`${sandboxUrl}/_sandbox/payments/${reference}/approve`, { method: 'POST' });
  expect(approved.status).toBe(200);
  clock.increment(5_000);
  const paid = await until(kiosk, (m) => m.screen === 'approved', 'approved');
  expect(paid.receipt?.sales).toMatchObject({ heading: 'Salgskvittering', training: true, total: 2490 });
  kiosk.checkout.dispatch({ type: 'done' });
  clock.increment(60_000);

  // A training payment nobody approves: when its window has passed the kiosk cancels it and lets the
  // reference go; recovery (which would follow it to the configured Vipps) must not take it.
  const letGo: string[] = [];
  kiosk.checkout.onDomainEvent((event) => {
    if (event.type === 'payment.abandoned') letGo.push(event.reference);
  });
  kiosk.checkout.scan('2000000000022');
  kiosk.checkout.scan(TEST_CUSTOMERS[0]!.personalQrV2);
  const unanswered = (await until(kiosk, (m) => m.screen === 'awaiting-approval', 'awaiting-approval'))
    .payment!.reference;
  clock.increment(10 * 60_000 + 30_000);
  await until(kiosk, (m) => m.screen === 'declined', 'declined');
  expect(letGo).toEqual([unanswered]);

  // The sandbox captured the sale and had the unanswered one cancelled: the money steps went there.
  const atSandbox = (await (await fetch(`${sandboxUrl}/_sandbox/payments`)).json()) as Array<{
    reference: string;
    state: string;
    aggregate: { capturedAmount: { value: number } };
  }>;
  expect(atSandbox.map((p) => [p.reference, p.state, p.aggregate.capturedAmount.value])).toEqual([
    [reference, 'AUTHORIZED', 2490],
    [unanswered, 'TERMINATED', 0],
  ]);
  // Nothing of the training sale reached the configured Vipps: not even a token.
  expect(vipps.requests).toEqual(startup);
  expect(vipps.requests).toEqual([]);
  await kiosk.stop();
  kiosk = undefined;

  const journal = SqliteJournal.open(join(stateDir, JOURNAL_FILE));
  // Neither is in the payment journal: not even the one let go, which recovery would otherwise have taken.
  expect(journal.outcome(reference)).toBeUndefined();
  expect(journal.outcome(unanswered)).toBeUndefined();
  journal.stop();
  const store = CashRegisterStore.openExisting(join(stateDir, CASH_REGISTER_FILE));
  const rows = [...store.all()];
  // Its receipt number is accounted for by the training receipt: neither a sale nor void.
  expect(rows.filter((r) => ['sale', 'receipt.shown', 'receipt.void'].includes(r.kind))).toEqual([]);
  const training = rows.filter((r) => r.kind === 'training.sale');
  expect(training.map((r) => [r.code, r.transNr, JSON.parse(r.data).amountIn])).toEqual([['13017', 1, 2490]]);
  store.close();

  // Training mode is still on after a restart, and says so on the screen.
  kiosk = await startDaemon(stateDir, clock, log);
  expect(kiosk.training!.isOn()).toBe(true);
  expect(kiosk.checkout.model().training).toBe(true);
  kiosk.training!.set(false, 'E7');
  expect(kiosk.checkout.model().training).toBeUndefined();
}, 60_000);

describeWithMosquitto('training sales and HQ', () => {
  let broker: Mosquitto;
  let hq: Subscriber | undefined;
  let daemon: KioskUnderTest | undefined;

  beforeAll(async () => {
    broker = await Mosquitto.start();
  });
  afterAll(async () => {
    await broker.stop();
  });
  afterEach(async () => {
    await daemon?.stop();
    await hq?.close();
  });

  it('tells HQ of the real sale after a training sale, and nothing of the training sale', async () => {
    hq = await Subscriber.connect(broker, ['vk/v1/+/+/events/#']);
    const log: Array<{ message: string; fields: LogFields }> = [];
    daemon = await new KioskUnderTest().start({
      telemetry: { brokerUrl: broker.url, username: broker.username, healthIntervalMs: 60_000 },
      env: { VK_SECRETS__TELEMETRY__PASSWORD: broker.password },
      cashRegister: {},
      logger: listeningLogger(log),
      trainingSandbox: {
        command: process.execPath,
        args: ['--import', 'tsx', CLI, 'sandbox', '--port', '0'],
      },
    });
    const kiosk = daemon;
    const sell = async (approve: (reference: string) => Promise<void>) => {
      await kiosk.scan('2000000000015');
      await kiosk.scan(TEST_CUSTOMERS[0]!.personalQrV2);
      const { payment } = await kiosk.screen('awaiting-approval', 20_000);
      await approve(payment!.reference);
      kiosk.clock.increment(5_000);
      await kiosk.screen('approved');
      kiosk.kiosk.checkout.dispatch({ type: 'done' });
      await kiosk.screen('attract');
      return payment!.reference;
    };

    kiosk.kiosk.training!.set(true, 'E7');
    const training = await sell(async (reference) => {
      const url = log.find((l) => l.message === 'training payments go to the Vipps sandbox')?.fields.url;
      const approved = await fetch(`${url}/_sandbox/payments/${reference}/approve`, { method: 'POST' });
      expect(approved.status).toBe(200);
    });
    kiosk.kiosk.training!.set(false, 'E7');
    const real = await sell((reference) => kiosk.control.act(reference, 'approve'));

    // The outbox sends in order: once the real sale is at HQ, a training sale sent before it would be too.
    const topic = 'vk/v1/demo/it-kiosk-1/events/checkout-completed';
    await waitFor('the real sale at HQ', () => hq!.on(topic).length > 0);
    const sales = hq.json<{ payload: { reference: string } }>(topic).map((e) => e.payload.reference);
    expect(sales).toEqual([real]);
    expect(training).not.toBe(real);
    // The configured Vipps (the in-process sandbox here) has the real payment only.
    expect((await kiosk.control.payments()).map((p) => p.reference)).toEqual([real]);
  }, 60_000);
});

it('says why when the training sandbox cannot start, and tries again at the next training payment', async () => {
  const log: Array<{ message: string; fields: LogFields }> = [];
  const starts = join(await mkdtemp(join(tmpdir(), 'vk-training-')), 'starts');
  const failing = `require('node:fs').appendFileSync(${JSON.stringify(starts)}, 'x'); console.error('no dist/ here'); process.exit(3)`;
  const sandbox = new TrainingSandbox({
    command: { command: process.execPath, args: ['-e', failing] },
    client: () => {
      throw new Error('never reached: the sandbox never listened');
    },
    logger: listeningLogger(log),
    startTimeoutMs: 15_000,
  });
  for (let attempt = 0; attempt < 2; attempt++) {
    await expect(sandbox.payments()).rejects.toThrow(
      /^training mode cannot start the Vipps sandbox \(it exited with code 3\); training payments are refused until it starts — switch training off to sell\. Its output: no dist\/ here/,
    );
  }
  expect(await readFile(starts, 'utf8')).toBe('xx');
  await sandbox.stop();
  expect(log).toEqual([]);
});
