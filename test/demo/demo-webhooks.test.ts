import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { vippsPaymentTopic } from '../../contracts/topics.js';
import { demoWebhookUrl, startDemoWebhooks } from '../../demo/demo-webhooks.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../demo/embedded-broker.js';
import { sandboxSettings } from '../../demo/sandbox-settings.js';
import type { Settings } from '../../device/config/schema.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { VippsTestClient, validPayment } from '../sandbox/helpers.js';
import { SandboxControl } from '../support/sandbox-control.js';
import { waitFor } from '../telemetry/subscriber.js';

// The demo's webhook path without a browser: registered through the sandbox's Webhooks API, delivered by
// the sandbox to the embedded relay, published to the embedded broker on the payment's topic. A demo of
// the same kiosk that was killed (its registration left behind) is replaced, not added to.

let sandbox: RunningSandbox;
let broker: EmbeddedBroker;
let hq: MqttClient;
let settings: Settings;
const received: Array<{ topic: string; event: Record<string, unknown> }> = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  broker = await startEmbeddedBroker(0);
  hq = await connectAsync(broker.url, { protocolVersion: 4 });
  hq.on('message', (topic, payload) => received.push({ topic, event: JSON.parse(payload.toString()) }));
  await hq.subscribeAsync('vk/v1/vipps/#', { qos: 1 });
  settings = sandboxSettings(sandbox, {
    stateDir: await mkdtemp(join(tmpdir(), 'vk-demo-webhooks-')),
    port: 0,
    deviceId: 'Demo-Kiosk-7',
    extra: { telemetry: { brokerUrl: broker.url, protocolVersion: 4, willDelaySeconds: 0 } },
  });
});
afterAll(async () => {
  await hq?.endAsync(true);
  await broker?.close();
  await sandbox?.close();
});

const registrations = async () =>
  (
    (await (await fetch(`${sandbox.url}/_sandbox/webhooks`)).json()) as {
      registrations: Array<{ url: string }>;
    }
  ).registrations;

it("relays the sandbox's signed events to the broker, replaces a killed run's registration, and removes its own", async () => {
  const killed = await startDemoWebhooks(settings, silentLogger);
  // Killed: its relay is gone, its registration stays at the sandbox.
  await killed.relay.stop();
  const webhooks = await startDemoWebhooks(settings, silentLogger);
  expect(await registrations()).toEqual([expect.objectContaining({ url: demoWebhookUrl('Demo-Kiosk-7') })]);
  expect(demoWebhookUrl('Demo-Kiosk-7')).toBe('https://demo-kiosk-7.hq.demo.example/vipps/webhooks');

  const vipps = new VippsTestClient(sandbox);
  await vipps.authenticate();
  const payment = validPayment();
  const reference = String(payment.reference);
  const created = await vipps.send('POST', '/epayment/v1/payments', {
    body: payment,
    headers: { 'Idempotency-Key': `${reference}-create` },
  });
  expect(created.status).toBe(201);
  await new SandboxControl(sandbox).act(reference, 'approve');
  const topic = vippsPaymentTopic(sandbox.credentials.merchantSerialNumber, reference);
  await waitFor('AUTHORIZED on the broker', () => received.some((m) => m.topic === topic));
  expect(received.find((m) => m.topic === topic)?.event).toMatchObject({ reference, name: 'AUTHORIZED' });
  expect(webhooks.relay.stats()).toMatchObject({ accepted: 1, rejected: {}, unusable: {} });

  await webhooks.stop();
  expect(await registrations()).toEqual([]);
});
