import { mkdtemp } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import { parseSettings } from '../device/config/load.js';
import { silentLogger } from '../device/log/logger.js';
import { startKiosk } from '../device/main.js';
import { packageRoot } from '../device/package-root.js';
import { startSandboxProcess } from './sandbox-process.js';
import { ms, percentile } from './stats.js';

// Full checkouts through the daemon (composition root, machine, client, server) against the sandbox
// in its own process. Between the daemon and the sandbox sits a byte-level TCP relay that notes when
// the first byte of each `POST /epayment/v1/payments` arrives: scan-to-push is the time from handing
// the personal-QR scan to the checkout until that byte is on the wire. The checkout's timers run on a
// simulated clock so a checkout costs milliseconds, not the 5 s of a real first poll.

export interface CheckoutBenchResult {
  lines: string;
  scanToPushP99: number;
  rssAfterMb: number;
  rssGrowthLastHalfMb: number;
}

const CREATE_LINE = Buffer.from('POST /epayment/v1/payments ');

/** Relays loopback TCP to `target`, calling `onCreate` when a createPayment request line passes. */
async function startWireTap(
  target: URL,
  onCreate: () => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      if (chunk.subarray(0, CREATE_LINE.length).equals(CREATE_LINE)) onCreate();
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const rssMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 1024 / 1024;
};

export async function benchCheckouts(checkouts: number): Promise<CheckoutBenchResult> {
  const sandbox = await startSandboxProcess();
  let pushedAt = 0;
  const tap = await startWireTap(new URL(sandbox.url), () => {
    pushedAt = performance.now();
  });
  const clock = new SimulatedClock();
  clock.set(Date.now());
  const settings = parseSettings(
    {
      device: { id: 'bench-kiosk', site: 'bench' },
      vipps: {
        environment: 'sandbox',
        baseUrl: tap.url,
        merchantSerialNumber: sandbox.credentials.merchantSerialNumber,
      },
      catalog: { file: join(packageRoot(), 'device', 'catalog', 'demo-catalog.json') },
      server: { port: 0 },
      stateDir: await mkdtemp(join(tmpdir(), 'vk-bench-')),
      log: { level: 'error' },
      secrets: {
        vipps: {
          clientId: sandbox.credentials.clientId,
          clientSecret: sandbox.credentials.clientSecret,
          subscriptionKey: sandbox.credentials.subscriptionKey,
        },
      },
    },
    {},
    { config: 'bench', secrets: 'bench' },
  );
  const kiosk = await startKiosk(settings, { logger: silentLogger, demo: null, clock });
  const { checkout } = kiosk;
  const qr = sandbox.customers[0]!.personalQrV2;
  const screen = () => checkout.model().screen;
  const until = async (name: string) => {
    const deadline = Date.now() + 5000;
    while (screen() !== name) {
      if (Date.now() > deadline) throw new Error(`bench: stuck on ${screen()} waiting for ${name}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  const scanToPush: number[] = [];
  let rssHalf = 0;
  const rssStart = rssMb();
  for (let i = 0; i < checkouts; i++) {
    checkout.scan('2000000000015');
    checkout.scan('2000000000039');
    pushedAt = 0;
    const scannedAt = performance.now();
    checkout.scan(qr);
    await until('awaiting-approval');
    if (pushedAt === 0) throw new Error('bench: the create request was never seen on the wire');
    scanToPush.push(pushedAt - scannedAt);
    const reference = checkout.model().payment!.reference;
    await fetch(`${sandbox.url}/_sandbox/payments/${reference}/approve`, { method: 'POST' }).then((r) =>
      r.text(),
    );
    clock.increment(5_000);
    await until('approved');
    checkout.dispatch({ type: 'done' });
    if (i + 1 === Math.floor(checkouts / 2)) rssHalf = rssMb();
  }
  const rssEnd = rssMb();

  await kiosk.stop();
  await tap.close();
  await sandbox.stop();

  const p50 = percentile(scanToPush, 50);
  const p99 = percentile(scanToPush, 99);
  const growth = rssEnd - rssHalf;
  const lines = [
    `scan-to-push over ${checkouts} checkouts: p50 ${ms(p50)}, p99 ${ms(p99)}  — target p99 ≤ 10 ms: ${p99 <= 10 ? 'met' : 'NOT met'}`,
    `daemon RSS: ${rssStart.toFixed(1)} MB at start, ${rssHalf.toFixed(1)} MB after ${Math.floor(checkouts / 2)}, ` +
      `${rssEnd.toFixed(1)} MB after ${checkouts} checkouts — target ≤ 80 MB: ${rssEnd <= 80 ? 'met' : 'NOT met'}; ` +
      `growth over the last half ${growth.toFixed(1)} MB — target ≤ 5 MB: ${growth <= 5 ? 'met' : 'NOT met'}`,
    '  (RSS of the bench process, which also hosts the driver and the TCP relay: an upper bound for the daemon)',
  ].join('\n');
  return { lines, scanToPushP99: p99, rssAfterMb: rssEnd, rssGrowthLastHalfMb: growth };
}
