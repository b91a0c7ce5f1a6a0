import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { packageRoot } from '../common/package-root.js';
import { eventId } from '../contracts/relayed-event.js';
import { vippsPaymentTopic } from '../contracts/topics.js';
import { signDelivery, verifyDelivery } from '../contracts/webhook-signature.js';
import { OUTBOX_FILE, SqliteOutbox } from '../device/telemetry/outbox.js';
import { TelemetryPublisher } from '../device/telemetry/publisher.js';
import { Mosquitto } from '../test/telemetry/mosquitto.js';
import { Subscriber, waitFor } from '../test/telemetry/subscriber.js';
import { relayCommand } from '../test/webhooks/relay-command.js';
import { ms, percentile } from './stats.js';

// The webhook relay as HQ runs it (`vipps-kiosk webhook-relay`, its own process: one event loop, one core)
// between signed deliveries over HTTP on loopback and a real Mosquitto:
//   - signature checks per second, in this process, with 1 and with 5 registrations (secrets) to try;
//   - latency from a delivery's first byte out of this process to its MQTT message arriving at an HQ
//     subscriber, one delivery at a time (p50/p99), and under saturation;
//   - verified deliveries per second through the relay process with 32 in flight;
//   - what subscribe-before-create adds to a kiosk's create: the SUBACK round trip of its telemetry
//     publisher to the broker (loopback here: the figure is the floor, the store's link to HQ adds its RTT).

const HOOK = new URL('https://hooks.bench.example/vipps/123456');
const SECRET = 'bench-webhook-secret-0123456789abcdef0123456789abcdef';
const CONCURRENCY = 32;

interface Delivery {
  id: string;
  body: Buffer;
  reference: string;
}

function delivery(n: number): Delivery {
  const reference = `bench-kiosk-${String(n).padStart(10, '0')}-1`;
  const event = {
    msn: '123456',
    reference,
    pspReference: String(7_000_000_000 + n),
    name: 'AUTHORIZED' as const,
    amount: { currency: 'NOK', value: 2490 },
    timestamp: new Date().toISOString(),
    idempotencyKey: null,
    success: true,
  };
  return { id: eventId(event), body: Buffer.from(JSON.stringify(event)), reference };
}

function verifyRate(candidates: number, rounds: number): number {
  const registrations = Array.from({ length: candidates }, (_, i) => ({
    url: HOOK,
    secret: i === candidates - 1 ? SECRET : `${SECRET}-${i}`,
  }));
  const date = new Date().toUTCString();
  const signed = Array.from({ length: 256 }, (_, n) => {
    const { body } = delivery(n);
    const headers = signDelivery(SECRET, HOOK, date, body);
    const h = { date, contentSha256: headers['x-ms-content-sha256'], authorization: headers.authorization };
    return { body, headers: h };
  });
  const started = performance.now();
  for (let i = 0; i < rounds; i++) {
    const { body, headers } = signed[i % signed.length]!;
    if (!verifyDelivery(registrations, headers, body, { now: Date.now(), maxSkewMs: 600_000 }).ok)
      throw new Error('a good delivery failed verification');
  }
  return rounds / ((performance.now() - started) / 1000);
}

async function startRelay(
  broker: Mosquitto,
  dir: string,
  secretFile: string,
): Promise<{ child: ChildProcess; url: string }> {
  // Registrations only from the flag: the secrets file named does not exist.
  const relay = relayCommand(broker, join(dir, 'no-secrets-file.json'), [
    '--registration',
    `123456,${HOOK},${secretFile}`,
  ]);
  const child = spawn(process.execPath, [join(packageRoot(), 'bin', 'vipps-kiosk.js'), ...relay.args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...relay.env },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the relay exited with ${code}:\n${output}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)[\s\S]*connected to the MQTT broker/.exec(output);
      if (match) resolve(match[1]!);
    });
  });
  return { child, url };
}

/**
 * SUBACK round trips of the kiosk's own publisher, one payment topic after another: on an idle link (as
 * when payments are seconds apart), and right behind the previous topic's UNSUBSCRIBE, where the broker's
 * answer can wait for Nagle's algorithm (Mosquitto's `set_tcp_nodelay` is off by default).
 */
async function subscribeCost(broker: Mosquitto, dir: string, topics: number) {
  const outbox = SqliteOutbox.open(join(dir, OUTBOX_FILE));
  const link = { url: broker.url, username: broker.username, password: broker.password };
  const publisher = new TelemetryPublisher({
    ...link,
    site: 'bench',
    device: 'kiosk-1',
    version: 'bench',
    outbox,
  });
  publisher.start();
  const run = async (first: number, pauseMs: number) => {
    const samples: number[] = [];
    for (let n = first; n < first + topics; n++) {
      const topic = vippsPaymentTopic('123456', delivery(n).reference);
      const started = performance.now();
      await publisher.subscribe(topic, () => {});
      samples.push(performance.now() - started);
      publisher.unsubscribe(topic);
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    return samples;
  };
  try {
    await waitFor('the kiosk on the broker', () => publisher.stats().connected);
    return { idle: await run(0, 60), behind: await run(topics, 0) };
  } finally {
    await publisher.stop();
    outbox.stop();
  }
}

export async function benchWebhookRelay(deliveries: number): Promise<{ lines: string }> {
  const verify1 = verifyRate(1, 20_000);
  const verify5 = verifyRate(5, 20_000);
  const broker = await Mosquitto.start();
  const dir = await mkdtemp(join(tmpdir(), 'vk-bench-relay-'));
  const secretFile = join(dir, 'secret');
  await writeFile(secretFile, SECRET, { mode: 0o600 });
  const hq = await Subscriber.connect(broker, ['vk/v1/vipps/#']);
  const arrived = new Map<string, number>();
  hq.client.on('message', (_topic, payload) =>
    arrived.set(JSON.parse(payload.toString()).id, performance.now()),
  );
  const relay = await startRelay(broker, dir, secretFile);
  const pool = new Pool(relay.url, { connections: CONCURRENCY });
  const sentAt = new Map<string, number>();
  const send = async (d: Delivery) => {
    const headers = signDelivery(SECRET, HOOK, new Date().toUTCString(), d.body);
    sentAt.set(d.id, performance.now());
    const response = await pool.request({
      method: 'POST',
      path: HOOK.pathname,
      headers: { ...headers, 'content-type': 'application/json' },
      body: d.body,
    });
    await response.body.text();
    if (response.statusCode !== 200) throw new Error(`the relay answered ${response.statusCode}`);
  };
  const latencies = (batch: Delivery[]) => batch.map((d) => arrived.get(d.id)! - sentAt.get(d.id)!);
  try {
    // Warm-up, then one at a time: the latency of a delivery when nothing queues.
    for (let n = 0; n < 200; n++) await send(delivery(1_000_000 + n));
    const single = Array.from({ length: Math.min(1_000, deliveries) }, (_, n) => delivery(2_000_000 + n));
    for (const d of single) {
      await send(d);
      await waitFor('the event on the broker', () => arrived.has(d.id));
    }
    // Saturated: CONCURRENCY deliveries in flight until all are sent.
    const burst = Array.from({ length: deliveries }, (_, n) => delivery(3_000_000 + n));
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < burst.length) await send(burst[next++]!);
      }),
    );
    const answeredMs = performance.now() - started;
    await waitFor('every event on the broker', () => burst.every((d) => arrived.has(d.id)), 60_000);
    const publishedMs = Math.max(...burst.map((d) => arrived.get(d.id)!)) - started;
    const suback = await subscribeCost(broker, dir, 200);
    const one = latencies(single);
    const loaded = latencies(burst);
    return {
      lines: [
        `signature checks in one process: ${Math.round(verify1)}/s with 1 registration, ${Math.round(verify5)}/s with 5 to try`,
        `delivery in -> MQTT message out, one at a time (${single.length}): p50 ${ms(percentile(one, 50))}, p99 ${ms(percentile(one, 99))}`,
        `${deliveries} deliveries, ${CONCURRENCY} in flight: ${Math.round(deliveries / (answeredMs / 1000))} verified deliveries/s answered, ` +
          `${Math.round(deliveries / (publishedMs / 1000))}/s on the broker; delivery in -> MQTT out p50 ${ms(percentile(loaded, 50))}, p99 ${ms(percentile(loaded, 99))}`,
        `Vipps allows 10 s for an answer: p99 under load is ${(10_000 / percentile(loaded, 99)).toFixed(0)}x inside it`,
        `subscribe before create, the kiosk's SUBACK round trip (${suback.idle.length} topics): on an idle link p50 ${ms(percentile(suback.idle, 50))}, p99 ${ms(percentile(suback.idle, 99))}; ` +
          `right behind another packet p50 ${ms(percentile(suback.behind, 50))}, p99 ${ms(percentile(suback.behind, 99))} (Nagle at the broker: set_tcp_nodelay true in mosquitto.conf)`,
      ].join('\n'),
    };
  } finally {
    await pool.close();
    relay.child.kill('SIGTERM');
    await once(relay.child, 'exit');
    await hq.close();
    await broker.dispose();
  }
}
