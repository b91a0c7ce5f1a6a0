import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import { silentLogger } from '../common/log/logger.js';
import { packageRoot } from '../common/package-root.js';
import { sandboxSettings } from '../demo/sandbox-settings.js';
import { startKiosk } from '../device/main.js';
import { DAEMON_NODE_FLAGS } from '../device/node-flags.js';
import { type SandboxProcess, startSandboxProcess } from './sandbox-process.js';
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

/** Relays loopback TCP to `target`, calling `onCreate` when a createPayment request line passes (also pos-to-push.ts). */
export async function startWireTap(
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

interface MemorySample {
  rssMb: number;
  heapMb: number;
}

/** After a full collection, so what remains is what the daemon holds, not garbage not yet swept. */
const memory = (): MemorySample => {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rssMb: rss / 1024 / 1024, heapMb: heapUsed / 1024 / 1024 };
};

export interface LoadSandbox {
  url: string;
  credentials: SandboxProcess['credentials'];
  personalQr: string;
}

export interface LoadResult {
  scanToPush: number[];
  start: MemorySample;
  half: MemorySample;
  end: MemorySample;
}

/** Runs in the child: the daemon and a minimal driver, nothing else, so its RSS is the daemon's. */
export async function runCheckoutLoad(sandbox: LoadSandbox, checkouts: number): Promise<LoadResult> {
  let pushedAt = 0;
  const tap = await startWireTap(new URL(sandbox.url), () => {
    pushedAt = performance.now();
  });
  const clock = new SimulatedClock();
  clock.set(Date.now());
  const settings = sandboxSettings(
    { url: tap.url, credentials: sandbox.credentials },
    {
      stateDir: await mkdtemp(join(tmpdir(), 'vk-bench-')),
      port: 0,
      deviceId: 'bench-kiosk',
      extra: { log: { level: 'error' } },
    },
  );
  const kiosk = await startKiosk(settings, { logger: silentLogger, demo: null, clock });
  const { checkout } = kiosk;
  const qr = sandbox.personalQr;
  // Woken by the checkout's own model updates, so the driver adds no polling garbage of its own.
  let current = checkout.model().screen;
  let wake: (() => void) | undefined;
  checkout.subscribe((model) => {
    current = model.screen;
    wake?.();
  });
  const until = async (name: string) => {
    const timer = setTimeout(() => wake?.(), 5000);
    while (current !== name) {
      const before = Date.now();
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      if (current !== name && Date.now() - before >= 5000)
        throw new Error(`bench: stuck on ${current}, wanted ${name}`);
    }
    clearTimeout(timer);
  };

  const scanToPush: number[] = [];
  let half: MemorySample = { rssMb: 0, heapMb: 0 };
  const start = memory();
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
    if (i + 1 === Math.floor(checkouts / 2)) half = memory();
  }
  const end = memory();
  await kiosk.stop();
  await tap.close();
  return { scanToPush, start, half, end };
}

/** The daemon in a child process of its own (with --expose-gc, so RSS is read after a collection). */
export async function benchCheckouts(checkouts: number): Promise<CheckoutBenchResult> {
  const sandbox = await startSandboxProcess();
  const input: LoadSandbox = {
    url: sandbox.url,
    credentials: sandbox.credentials,
    personalQr: sandbox.customers[0]!.personalQrV2,
  };
  const child = spawn(
    process.execPath,
    // The compiled daemon, as a kiosk runs it: no TypeScript loader in the process being measured.
    [
      '--expose-gc',
      ...DAEMON_NODE_FLAGS,
      join(packageRoot(), 'dist', 'bench', 'checkout-load.js'),
      String(checkouts),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  child.stdin!.end(JSON.stringify(input));
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const [code] = await once(child, 'exit');
  await sandbox.stop();
  if (code !== 0) throw new Error(`bench: the daemon process exited with ${code}`);
  const { scanToPush, start, half, end } = JSON.parse(output) as LoadResult;

  const p50 = percentile(scanToPush, 50);
  const p99 = percentile(scanToPush, 99);
  const growth = end.rssMb - half.rssMb;
  const mb = (sample: MemorySample) => `${sample.rssMb.toFixed(1)} MB (heap ${sample.heapMb.toFixed(1)} MB)`;
  const lines = [
    `scan-to-push over ${checkouts} checkouts: p50 ${ms(p50)}, p99 ${ms(p99)}  — target p99 ≤ 10 ms: ${p99 <= 10 ? 'met' : 'NOT met'}`,
    `daemon RSS: ${mb(start)} at start, ${mb(half)} after ${Math.floor(checkouts / 2)}, ${mb(end)} after ${checkouts}`,
    `  after ${checkouts}: ${end.rssMb.toFixed(1)} MB — target ≤ 80 MB: ${end.rssMb <= 80 ? 'met' : 'NOT met'}; ` +
      `growth over the last half ${growth.toFixed(1)} MB — target ≤ 5 MB: ${growth <= 5 ? 'met' : 'NOT met'}`,
    `  (the daemon's own process, compiled, run with ${DAEMON_NODE_FLAGS.join(' ')}; it also hosts the small driver`,
    "   and the TCP relay; RSS counts the ~43 MB of node's own code pages; heap is V8 heap in use after a full GC)",
  ].join('\n');
  return { lines, scanToPushP99: p99, rssAfterMb: end.rssMb, rssGrowthLastHalfMb: growth };
}
