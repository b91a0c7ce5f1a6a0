import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Aedes } from 'aedes';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../demo/embedded-broker.js';
import { within } from '../support/deadline.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = new URL('../../cli/main.ts', import.meta.url).pathname;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `vipps-kiosk hq ...` as a real process; `onSubscribed` runs once it says it is collecting. */
function runHq(
  args: string[],
  env: Record<string, string> = {},
  onSubscribed?: () => Promise<void>,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'hq', ...args], {
      cwd: ROOT,
      env: { ...process.env, VK_HQ_PASSWORD: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let fired = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!fired && onSubscribed && stderr.includes('collecting for')) {
        fired = true;
        onSubscribed().catch(reject);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const statusOf = (state: 'online' | 'offline', bootId: string) =>
  JSON.stringify({ state, version: '0.1.0', bootId, startedAt: new Date().toISOString(), session: 1 });

/** A kiosk as the publisher talks to the demo's aedes broker: MQTT 3.1.1, retained status with a will. */
async function fakeKiosk(url: string, site: string, device: string): Promise<MqttClient> {
  const base = `vk/v1/${site}/${device}`;
  const bootId = `BOOT-${device}`;
  const client = await connectAsync(url, {
    protocolVersion: 4,
    clientId: `vk-${site}-${device}`,
    reconnectPeriod: 0,
    will: {
      topic: `${base}/status`,
      payload: Buffer.from(statusOf('offline', bootId)),
      qos: 1,
      retain: true,
    },
  });
  client.on('error', () => {});
  await client.publishAsync(`${base}/status`, statusOf('online', bootId), { qos: 1, retain: true });
  return client;
}

describe('vipps-kiosk hq watch', () => {
  let broker: EmbeddedBroker;
  let kiosk1: MqttClient;
  let kiosk2: MqttClient;

  beforeAll(async () => {
    broker = await startEmbeddedBroker(0);
    kiosk1 = await fakeKiosk(broker.url, 'oslo-1', 'kiosk-01');
    await kiosk1.publishAsync(
      'vk/v1/oslo-1/kiosk-01/state',
      JSON.stringify({ screen: 'attract', machineState: 'idle', vippsReachable: true, basketItems: 0 }),
      { qos: 1, retain: true },
    );
    kiosk2 = await fakeKiosk(broker.url, 'bergen-1', 'kiosk-02');
    await kiosk2.publishAsync(
      'vk/v1/bergen-1/kiosk-02/state',
      JSON.stringify({ screen: 'basket', machineState: 'basket', vippsReachable: false, basketItems: 2 }),
      { qos: 1, retain: true },
    );
    // Kiosk 2 loses its connection: the broker publishes its (retained) last will, which a subscriber
    // that was listening before sees arrive.
    const probe = await connectAsync(broker.url, { protocolVersion: 4 });
    const offline = new Promise<void>((resolve) => {
      probe.on('message', (_t, payload) => {
        if (payload.toString().includes('"offline"')) resolve();
      });
    });
    await probe.subscribeAsync('vk/v1/bergen-1/kiosk-02/status', { qos: 1 });
    kiosk2.stream.destroy();
    await within(offline, 10_000, "kiosk 2's last will");
    await probe.endAsync(true);
  });

  afterAll(async () => {
    await kiosk1?.endAsync(true);
    await kiosk2?.endAsync(true);
    await broker?.close();
  });

  it('--once 1 prints the fleet table: retained presence and state, live sales (de-duplicated), health', async () => {
    const sale = JSON.stringify({
      id: 'EVT-1',
      type: 'checkout-completed',
      class: 'money',
      at: new Date().toISOString(),
      payload: { receiptNumber: 'R-1', amount: 4_990, currency: 'NOK', items: 2, vat: [] },
    });
    // `--once 1` ends by itself a second after it subscribed; the bound only keeps a hang from
    // waiting for the test's timeout.
    const run = await within(
      runHq(['watch', '--broker', broker.url, '--once', '1'], {}, async () => {
        const topic = 'vk/v1/oslo-1/kiosk-01/events/checkout-completed';
        await kiosk1.publishAsync(topic, sale, { qos: 1 });
        await kiosk1.publishAsync(topic, sale, { qos: 1 }); // the same event again after a lost PUBACK
        await kiosk1.publishAsync(
          'vk/v1/oslo-1/kiosk-01/events/checkout-declined',
          JSON.stringify({ id: 'EVT-2', type: 'checkout-declined', class: 'money', at: '', payload: {} }),
          { qos: 1 },
        );
        await kiosk1.publishAsync(
          'vk/v1/oslo-1/kiosk-01/health',
          JSON.stringify({ outboxDepth: 3, degraded: false }),
        );
        await kiosk1.publishAsync('vk/v1/oslo-1/kiosk-01/health', '{oops');
      }),
      15_000,
      'hq watch --once 1 exiting on its own',
    );
    expect(run.stderr).toContain('collecting for 1 s');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^SITE\s+DEVICE\s+ONLINE\s+SINCE\s+SCREEN\s+VIPPS\s+LAST SALE\s+SALES\s+DECLINED\s+OUTBOX\s+ERRORS$/,
    );
    expect(lines[1]).toMatch(/^bergen-1\s+kiosk-02\s+offline\s+-\s+basket\s+no\s+-\s+0\s+0\s+-\s+0$/);
    expect(lines[2]).toMatch(
      /^oslo-1\s+kiosk-01\s+online\s+-\s+attract\s+yes\s+49,90\u00a0kr, \d+ s ago\s+1\s+1\s+3\s+1$/,
    );
  });

  it('exits 1 with a clear message when the broker is unreachable', async () => {
    const port = await closedPort();
    const run = await runHq(['watch', '--broker', `mqtt://127.0.0.1:${port}`, '--once', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot reach the MQTT broker at mqtt://127.0.0.1:${port}`);
    expect(run.stderr).toContain('connection refused');
    expect(run.stdout).toBe('');
  });

  it("prints no kiosk's terminal escape sequences: a hostile screen name and currency show as invalid", async () => {
    // Anyone who can publish as a kiosk: an OSC that retitles HQ's terminal, a screen clear, a bidi
    // override that reverses what follows, a C1 CSI.
    const evil = await fakeKiosk(broker.url, 'evil-1', 'kiosk-66');
    try {
      await evil.publishAsync(
        'vk/v1/evil-1/kiosk-66/state',
        JSON.stringify({ screen: 'basket\u001b]2;pwned\u0007\u202e', vippsReachable: true }),
        { qos: 1, retain: true },
      );
      const run = await within(
        runHq(['watch', '--broker', broker.url, '--once', '1'], {}, async () => {
          await evil.publishAsync(
            'vk/v1/evil-1/kiosk-66/events/checkout-completed',
            JSON.stringify({
              id: 'EVIL-1',
              type: 'checkout-completed',
              class: 'money',
              at: new Date().toISOString(),
              payload: { amount: 100, currency: '\u001b[2J\u009b31m' },
            }),
            { qos: 1 },
          );
        }),
        15_000,
        'hq watch --once 1 exiting on its own',
      );
      expect(run.code).toBe(0);
      // Control (Cc: C0, DEL, C1) and format (Cf: the bidi controls) characters, line ends aside.
      expect([...run.stdout].filter((c) => c !== '\n' && /[\p{Cc}\p{Cf}]/u.test(c))).toEqual([]);
      expect(run.stdout).not.toContain('pwned');
      expect(run.stdout).toMatch(
        /^evil-1\s+kiosk-66\s+online\s+-\s+\(invalid\)\s+yes\s+1,00 \(invalid currency\), \d+ s ago\s+1\s+0\s+-\s+2$/m,
      );
    } finally {
      await evil.publishAsync('vk/v1/evil-1/kiosk-66/state', '', { qos: 1, retain: true });
      await evil.publishAsync('vk/v1/evil-1/kiosk-66/status', '', { qos: 1, retain: true });
      await evil.endAsync(true);
    }
  });

  it('exits 2 with the usage on a command-line mistake, and refuses a password in the URL', async () => {
    const [missing, withPassword] = await Promise.all([
      runHq(['watch']),
      runHq(['watch', '--broker', 'mqtt://hq:secret@127.0.0.1:1883', '--once', '1']),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--broker URL is required');
    expect(missing.stderr).toContain('usage: vipps-kiosk hq watch --broker URL');
    expect(withPassword.code).toBe(2);
    expect(withPassword.stderr).toContain('set VK_HQ_PASSWORD instead');
  });
});

describe('vipps-kiosk hq watch through a broker restart', () => {
  let broker: EmbeddedBroker | undefined;
  let kiosk: MqttClient | undefined;

  afterAll(async () => {
    await kiosk?.endAsync(true);
    await broker?.close();
  });

  it('says it is reconnecting while the broker is away, and shows what comes once it is back', async () => {
    broker = await startEmbeddedBroker(0);
    const url = broker.url;
    const port = Number(new URL(url).port);
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'hq', 'watch', '--broker', url], {
      cwd: ROOT,
      env: { ...process.env, VK_HQ_PASSWORD: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await waitFor(() => stdout.includes('No kiosks seen yet'), 15_000);
      await broker.close();
      broker = undefined;
      await waitFor(() => stdout.includes('reconnecting to the broker'), 10_000);
      broker = await startEmbeddedBroker(port);
      // A new connection is a new clean session: only a fresh subscription brings this kiosk in.
      kiosk = await fakeKiosk(broker.url, 'tromso-1', 'kiosk-09');
      await waitFor(() => /tromso-1\s+kiosk-09\s+online/.test(stdout), 10_000);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('vipps-kiosk hq watch against a broker with a login', () => {
  let server: Server;
  let close: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    const aedes = await Aedes.createBroker({
      authenticate: (_client, username, password, done) => {
        const ok = username === 'hq' && password?.toString() === 's3cret';
        if (ok) return done(null, true);
        const error = Object.assign(new Error('bad user name or password'), { returnCode: 4 });
        done(error as never, false);
      },
    });
    const sockets = new Set<Socket>();
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      aedes.handle(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `mqtt://127.0.0.1:${(server.address() as { port: number }).port}`;
    close = async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    };
  });

  afterAll(async () => close?.());

  it('takes the password from VK_HQ_PASSWORD, and says so when the login is refused', async () => {
    const [refused, accepted] = await Promise.all([
      runHq(['watch', '--broker', url, '--username', 'hq', '--once', '1'], { VK_HQ_PASSWORD: 'wrong' }),
      runHq(['watch', '--broker', url, '--username', 'hq', '--once', '1'], { VK_HQ_PASSWORD: 's3cret' }),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`the MQTT broker at ${url} refused the login as "hq"`);
    expect(refused.stderr).toContain('check --username and VK_HQ_PASSWORD');
    expect(refused.stderr).not.toContain('wrong');
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toBe('No kiosks seen yet on vk/v1/+/+/#.\n');
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `check` until it holds; fails after `timeoutMs`. */
async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
