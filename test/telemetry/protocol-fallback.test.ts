import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { afterEach, expect, it } from 'vitest';
import type { LogFields, Logger } from '../../common/log/logger.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../demo/embedded-broker.js';
import { OUTBOX_FILE, SqliteOutbox } from '../../device/telemetry/outbox.js';
import { TelemetryPublisher } from '../../device/telemetry/publisher.js';
import { waitFor } from './subscriber.js';

// A broker that speaks only MQTT 3.1.1 (aedes, the demo's embedded broker: it answers a version-5
// CONNECT with "unacceptable protocol version"). A kiosk configured for MQTT 5, the default, must notice,
// say so once, and carry on in 3.1.1 at once rather than back off and retry version 5 forever.

let broker: EmbeddedBroker | undefined;
let publisher: TelemetryPublisher | undefined;
let outbox: SqliteOutbox | undefined;
let dir: string | undefined;

afterEach(async () => {
  await publisher?.stop();
  outbox?.stop();
  await broker?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function recording(lines: string[]): Logger {
  const logger: Logger = {
    debug: () => {},
    info: (message: string) => lines.push(`info ${message}`),
    warn: (message: string, fields?: LogFields) => lines.push(`warn ${message} ${JSON.stringify(fields)}`),
    error: (message: string) => lines.push(`error ${message}`),
    child: () => logger,
  };
  return logger;
}

it('falls back to MQTT 3.1.1 by itself when the broker refuses version 5, and delivers its events', async () => {
  broker = await startEmbeddedBroker(0);
  dir = await mkdtemp(join(tmpdir(), 'vk-fallback-'));
  outbox = SqliteOutbox.open(join(dir, OUTBOX_FILE));
  const logged: string[] = [];
  const hq = await connectAsync(broker.url, { protocolVersion: 4, clientId: 'hq-fallback' });
  const seen: string[] = [];
  hq.on('message', (topic) => seen.push(topic));
  await hq.subscribeAsync('vk/#', { qos: 1 });

  publisher = new TelemetryPublisher({
    url: broker.url,
    site: 'fallback',
    device: 'kiosk-1',
    version: '1.0.0',
    outbox,
    logger: recording(logged),
    // A long first backoff: the fallback must not wait for it.
    backoff: { initialMs: 60_000, maxMs: 60_000 },
  });
  publisher.event('checkout-completed', { amount: 2490 }, 'money');
  publisher.start();
  // Well inside the first backoff: the 3.1.1 attempt went at once.
  await waitFor('connected in 3.1.1', () => publisher!.stats().connected, 5_000);
  expect(publisher.stats().sessions).toBe(1);
  expect(publisher.stats().protocolVersion).toBe(4);
  await waitFor('the event at HQ', () => seen.includes('vk/v1/fallback/kiosk-1/events/checkout-completed'));
  expect(seen).toContain('vk/v1/fallback/kiosk-1/status');
  expect(logged.filter((line) => line.includes('does not take MQTT 5'))).toHaveLength(1);
  expect(logged.filter((line) => line.startsWith('warn MQTT broker connection failed'))).toEqual([]);
  await hq.endAsync();
});
