import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTBOX_FILE, SqliteOutbox } from '../device/telemetry/outbox.js';
import { TelemetryPublisher } from '../device/telemetry/publisher.js';
import { Mosquitto } from '../test/telemetry/mosquitto.js';
import { Subscriber, waitFor } from '../test/telemetry/subscriber.js';
import { ms, percentile } from './stats.js';

// The telemetry outbox against a real Mosquitto on loopback: what writing an event costs the checkout
// (the outbox commit, synchronous FULL), and how fast a backlog drains once the broker is reachable:
// `events` are written while no broker is configured, then the publisher connects and drains them.
// The drain runs with the pacing lifted (100 in flight, 10,000/s); the kiosk's defaults (10, 50/s)
// are a choice to spare the broker, not a limit of the code.

export async function benchTelemetry(events: number): Promise<{ lines: string; lost: number }> {
  const broker = await Mosquitto.start();
  const outbox = SqliteOutbox.open(join(await mkdtemp(join(tmpdir(), 'vk-bench-outbox-')), OUTBOX_FILE), {
    maxEvents: events * 2,
    degradedAt: events * 2,
  });
  const hq = await Subscriber.connect(broker, ['vk/v1/bench/+/events/#']);
  const publisher = new TelemetryPublisher({
    url: broker.url,
    site: 'bench',
    device: 'bench-kiosk',
    version: 'bench',
    outbox,
    username: broker.username,
    password: broker.password,
    eventsPerSecond: 10_000,
    maxInflight: 100,
  });
  try {
    const writes: number[] = [];
    for (let i = 0; i < events; i++) {
      const started = performance.now();
      publisher.event(
        'checkout-completed',
        { receiptNumber: String(i).padStart(10, '0'), amount: 2490 + i },
        'money',
      );
      writes.push(performance.now() - started);
    }
    const drainStarted = performance.now();
    publisher.start();
    await waitFor('the backlog delivered', () => outbox.depth() === 0, 600_000);
    const drainMs = performance.now() - drainStarted;
    await waitFor(
      'every event received',
      () => new Set(hq.messages.map((m) => JSON.parse(m.text).id)).size >= events,
      60_000,
    ).catch(() => {});
    const received = new Set(hq.messages.map((m) => JSON.parse(m.text).id as string));
    const lost = events - received.size;
    return {
      lost,
      lines: [
        `event written to the outbox (commit, synchronous FULL): p50 ${ms(percentile(writes, 50))}, p99 ${ms(percentile(writes, 99))}`,
        `backlog of ${events} events drained in ${(drainMs / 1000).toFixed(2)} s: ${Math.round(events / (drainMs / 1000))} events/s; ` +
          `${received.size} distinct received, ${lost} lost, ${hq.messages.length - received.size} duplicates — target zero loss: ${lost === 0 ? 'met' : 'NOT met'}`,
      ].join('\n'),
    };
  } finally {
    await publisher.stop();
    outbox.stop();
    await hq.close();
    await broker.stop();
  }
}
