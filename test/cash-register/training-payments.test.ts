import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { LogFields, Logger } from '../../common/log/logger.js';
import type { ScreenModel } from '../../contracts/screen-model.js';
import { DEMO_COMPANY, demoSigningKey } from '../../demo/demo-cash-register.js';
import { sandboxSettings } from '../../demo/sandbox-settings.js';
import { CASH_REGISTER_FILE, CashRegisterStore } from '../../device/cash-register/journal-store.js';
import { JOURNAL_FILE, SqliteJournal } from '../../device/journal/sqlite-journal.js';
import { type KioskRuntime, startKiosk } from '../../device/main.js';
import { TEST_CUSTOMERS } from '../../sandbox/customers.js';

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
      extra: { store: { name: 'Butikken Test' }, cashRegister: DEMO_COMPANY },
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

  // The sandbox captured it: the money steps went there.
  const atSandbox = (await (await fetch(`${sandboxUrl}/_sandbox/payments`)).json()) as Array<{
    reference: string;
    state: string;
    aggregate: { capturedAmount: { value: number } };
  }>;
  expect(atSandbox.map((p) => [p.reference, p.aggregate.capturedAmount.value])).toEqual([[reference, 2490]]);
  // Nothing of the training sale reached the configured Vipps: not even a token.
  expect(vipps.requests).toEqual(startup);
  expect(vipps.requests).toEqual([]);
  await kiosk.stop();
  kiosk = undefined;

  const journal = SqliteJournal.open(join(stateDir, JOURNAL_FILE));
  expect(journal.outcome(reference)).toBeUndefined();
  journal.stop();
  const store = CashRegisterStore.openExisting(join(stateDir, CASH_REGISTER_FILE));
  const rows = [...store.all()];
  expect(rows.filter((r) => r.kind === 'sale' || r.kind === 'receipt.shown')).toEqual([]);
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
