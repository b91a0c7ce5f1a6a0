import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../common/log/logger.js';
import type { ScreenName } from '../contracts/screen-model.js';
import { startDemoWebhooks } from '../demo/demo-webhooks.js';
import { startEmbeddedBroker } from '../demo/embedded-broker.js';
import { sandboxSettings } from '../demo/sandbox-settings.js';
import { startKiosk } from '../device/main.js';
import { type SandboxProcess, startSandboxProcess } from './sandbox-process.js';
import { ms, percentile } from './stats.js';

// Approval at Vipps -> receipt on the kiosk: from the moment the sandbox is asked to approve a payment (as
// the customer's tap in the app) until the kiosk's checkout shows `approved` with its receipt (captured,
// receipt numbered; the screen draws it a frame later). The kiosk runs as `vipps-kiosk demo` runs it, on
// the real clock (its polling is what is measured): once with the demo's webhook path (sandbox -> embedded
// relay -> embedded broker -> kiosk) and polling, once with polling alone (first look 5 s after the
// push, then every 2 s). The sandbox runs in its own process. Each customer approves a random 2–8 s after
// the push (the same seeded delays in both runs), as a person reaching for the phone does.

const MILK = '2000000000015';
const APPROVE_AFTER_MS = { min: 2_000, max: 8_000 };

export interface ApprovalBenchResult {
  lines: string;
  webhooksP50: number;
  pollingP50: number;
}

/** The same pseudo-random delays on every run (mulberry32), so both paths see the same customers. */
function approvalDelays(count: number, seed = 0x5eed): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    return APPROVE_AFTER_MS.min + unit * (APPROVE_AFTER_MS.max - APPROVE_AFTER_MS.min);
  });
}

async function approvalLatencies(
  sandbox: SandboxProcess,
  delays: readonly number[],
  webhooks: boolean,
): Promise<number[]> {
  const broker = webhooks ? await startEmbeddedBroker(0) : undefined;
  const settings = sandboxSettings(sandbox, {
    stateDir: await mkdtemp(join(tmpdir(), 'vk-bench-approval-')),
    port: 0,
    // One sandbox serves both runs: each kiosk its own id, so their references do not collide.
    deviceId: webhooks ? 'bench-webhooks' : 'bench-polling',
    extra: {
      log: { level: 'error' },
      ...(broker ? { telemetry: { brokerUrl: broker.url, protocolVersion: 4, willDelaySeconds: 0 } } : {}),
    },
  });
  const relay = webhooks ? await startDemoWebhooks(settings, silentLogger) : undefined;
  const kiosk = await startKiosk(settings, { logger: silentLogger, demo: null });
  const { checkout } = kiosk;
  let current = checkout.model().screen;
  let wake: (() => void) | undefined;
  checkout.subscribe((model) => {
    current = model.screen;
    wake?.();
  });
  const until = async (name: ScreenName) => {
    const deadline = Date.now() + 15_000;
    while (current !== name) {
      const timer = setTimeout(() => wake?.(), 1_000);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      clearTimeout(timer);
      if (current !== name && Date.now() > deadline)
        throw new Error(`bench: stuck on ${current}, wanted ${name}`);
    }
  };
  const latencies: number[] = [];
  try {
    for (const delay of delays) {
      checkout.scan(MILK);
      checkout.scan(sandbox.customers[0]!.personalQrV2);
      await until('awaiting-approval');
      const reference = checkout.model().payment!.reference;
      await new Promise((resolve) => setTimeout(resolve, delay));
      const approvedAt = performance.now();
      const answer = await fetch(`${sandbox.url}/_sandbox/payments/${reference}/approve`, { method: 'POST' });
      if (!answer.ok) throw new Error(`bench: the sandbox would not approve ${reference} (${answer.status})`);
      await answer.text();
      await until('approved');
      latencies.push(performance.now() - approvedAt);
      checkout.dispatch({ type: 'done' });
      await until('attract');
    }
  } finally {
    await kiosk.stop();
    await relay?.stop();
    await broker?.close();
  }
  return latencies;
}

export async function benchApprovalToReceipt(samples: number): Promise<ApprovalBenchResult> {
  const sandbox = await startSandboxProcess();
  const delays = approvalDelays(samples);
  try {
    const withWebhooks = await approvalLatencies(sandbox, delays, true);
    const pollingAlone = await approvalLatencies(sandbox, delays, false);
    const line = (label: string, values: number[]) =>
      `${label.padEnd(28)} p50 ${ms(percentile(values, 50)).padStart(11)}, p99 ${ms(percentile(values, 99)).padStart(11)}`;
    const lines = [
      line('webhooks (relay) + polling:', withWebhooks),
      line('polling alone:', pollingAlone),
      `  (${samples} payments each, approved ${APPROVE_AFTER_MS.min / 1000}–${APPROVE_AFTER_MS.max / 1000} s after the push; ` +
        `below 100 samples p99 is the slowest)`,
    ].join('\n');
    return {
      lines,
      webhooksP50: percentile(withWebhooks, 50),
      pollingP50: percentile(pollingAlone, 50),
    };
  } finally {
    await sandbox.stop();
  }
}
