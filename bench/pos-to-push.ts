import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import { silentLogger } from '../common/log/logger.js';
import { sandboxSettings } from '../demo/sandbox-settings.js';
import { startKiosk } from '../device/main.js';
import { openTerminalDb, TERMINAL_DB_FILE } from '../device/terminal/terminal-db.js';
import { TerminalClient } from '../pos/client/terminal-client.js';
import { startWireTap } from './checkouts.js';
import { startSandboxProcess } from './sandbox-process.js';
import { ms, percentile } from './stats.js';

// Attended mode: from the POS's `POST /terminal/v1/payments` (with the customer's QR the cashier's scanner
// read) to the first byte of the create request on the wire to Vipps. The daemon in attended mode with its
// terminal API on loopback, the typed client as the POS, the sandbox in its own process behind the same
// TCP tap as the scan-to-push line. Each payment is aborted once its push is out, so the next is taken.

export async function benchPosToPush(samples: number): Promise<{ lines: string; p99: number }> {
  const sandbox = await startSandboxProcess();
  let pushedAt = 0;
  const tap = await startWireTap(new URL(sandbox.url), () => {
    pushedAt = performance.now();
  });
  const clock = new SimulatedClock();
  clock.set(Date.now());
  const stateDir = await mkdtemp(join(tmpdir(), 'vk-bench-pos-'));
  const db = openTerminalDb(join(stateDir, TERMINAL_DB_FILE), Date.now);
  const { token } = db.pairings.pair('bench');
  db.close();
  const settings = sandboxSettings(
    { url: tap.url, credentials: sandbox.credentials },
    {
      stateDir,
      port: 0,
      deviceId: 'bench-pos-kiosk',
      extra: { log: { level: 'error' }, mode: 'attended', terminal: { host: '127.0.0.1', port: 0 } },
    },
  );
  const kiosk = await startKiosk(settings, { logger: silentLogger, demo: null, clock });
  const pos = new TerminalClient({ url: kiosk.terminal!.url, token });
  const personalQr = sandbox.customers[0]!.personalQrV2;
  const toPush: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const id = `bench-${i}`;
      pushedAt = 0;
      const sentAt = performance.now();
      await pos.createPayment({
        posTransactionId: id,
        amount: { value: 2490, currency: 'NOK' },
        lines: [{ id: 'MILK', name: 'Melk 1 l', quantity: 1, unitPrice: 2490, vatRate: 1500 }],
        customer: { personalQr },
      });
      let status = (await pos.getPayment(id)).status;
      while (status !== 'awaiting-approval') {
        status = (await pos.getPayment(id, { waitForChangeFrom: status, timeoutSeconds: 5 })).status;
      }
      if (pushedAt === 0) throw new Error('bench: the create request was never seen on the wire');
      toPush.push(pushedAt - sentAt);
      await pos.abort(id);
      while (status !== 'aborted') {
        status = (await pos.getPayment(id, { waitForChangeFrom: status, timeoutSeconds: 5 })).status;
      }
    }
  } finally {
    await pos.close();
    await kiosk.stop();
    await tap.close();
    await sandbox.stop();
  }
  const p50 = percentile(toPush, 50);
  const p99 = percentile(toPush, 99);
  // The machine's load goes with the figures: on a shared two-core machine the tail is the scheduler's.
  const load = `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`;
  const lines = `POS request to push on the wire over ${samples} payments: p50 ${ms(p50)}, p99 ${ms(p99)} (${load})  — target p99 ≤ 10 ms: ${p99 <= 10 ? 'met' : 'NOT met'}`;
  return { lines, p99 };
}

// `node --import tsx bench/pos-to-push.ts [N]`: this line alone.
if (process.argv[1] === import.meta.filename) {
  const result = await benchPosToPush(Number(process.argv[2] ?? 200));
  process.stdout.write(`${result.lines}\n`);
}
