import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { runningKioskLink } from '../../device/system/running-kiosk.js';
import { TestCommandKey } from '../support/hq-command-key.js';
import { KioskUnderTest } from '../support/kiosk-under-test.js';
import { describeWithMosquitto, Mosquitto } from './mosquitto.js';
import { Subscriber, waitFor } from './subscriber.js';

// The daemon, wired as device/main.ts wires it, telling a real Mosquitto what HQ needs: presence, the
// retained state, and each sale through the outbox, without a phone number, name or token anywhere.

describeWithMosquitto('daemon telemetry to a real broker', () => {
  let broker: Mosquitto;
  let kiosk: KioskUnderTest;
  let hq: Subscriber;
  const base = 'vk/v1/demo/it-kiosk-1';
  const key = TestCommandKey.generate();

  beforeAll(async () => {
    broker = await Mosquitto.start();
  });
  afterAll(async () => {
    await broker.stop();
  });
  beforeEach(async () => {
    hq = await Subscriber.connect(broker, [
      'vk/v1/+/+/status',
      'vk/v1/+/+/state',
      'vk/v1/+/+/health',
      'vk/v1/+/+/events/#',
      'vk/v1/+/+/resp/#',
    ]);
    kiosk = await new KioskUnderTest().start({
      telemetry: {
        brokerUrl: broker.url,
        username: broker.username,
        willDelaySeconds: 1,
        healthIntervalMs: 200,
      },
      env: { VK_SECRETS__TELEMETRY__PASSWORD: broker.password },
      commandKeysDir: key.keysDir,
    });
  });
  afterEach(async () => {
    await kiosk.stop();
    await hq.close();
  });

  it('tells a self-test beside it, through /healthz, that its own broker link is up', async () => {
    await waitFor('online status', () => hq.json(`${base}/status`).some((s) => s.state === 'online'));
    const health = (await (await fetch(new URL('/healthz', kiosk.url))).json()) as { hqBroker: string };
    expect(health.hqBroker).toBe('connected');
    expect(await runningKioskLink(Number(new URL(kiosk.url).port))()).toBe(true);
  });

  it('reports presence, the screen as retained state, health, and a completed sale as an event', async () => {
    await waitFor('online status', () => hq.json(`${base}/status`).some((s) => s.state === 'online'));
    await kiosk.scan('2000000000015');
    await kiosk.scan(kiosk.sandbox.customers[0]!.personalQrV2);
    const waiting = await kiosk.screen('awaiting-approval');
    await kiosk.control.act(waiting.payment!.reference, 'approve');
    kiosk.clock.increment(5_000);
    await kiosk.screen('approved');

    await waitFor('the sale event', () => hq.on(`${base}/events/checkout-completed`).length > 0);
    const [sale] = hq.json<{ id: string; class: string; payload: Record<string, unknown> }>(
      `${base}/events/checkout-completed`,
    );
    expect(sale).toMatchObject({
      class: 'money',
      payload: { receiptNumber: '0000000001', amount: 2490, currency: 'NOK', items: 1 },
    });
    await waitFor('state showing the receipt', () =>
      hq.json(`${base}/state`).some((state) => state.screen === 'approved'),
    );
    await waitFor('a health sample after the sale', () =>
      hq.json<{ vipps: { calls: number } }>(`${base}/health`).some((h) => h.vipps.calls >= 3),
    );
    expect(hq.json(`${base}/health`).at(-1)).toMatchObject({
      outboxDepth: expect.any(Number),
      rssMb: expect.any(Number),
      mqttReconnects: 0,
      scansRead: 2,
      vipps: { failures: 0, p50Ms: expect.any(Number), p95Ms: expect.any(Number) },
    });

    const everything = hq.messages.map((m) => m.text).join('\n');
    for (const secret of [kiosk.sandbox.customers[0]!.msisdn, 'qr.vipps.no/p/', broker.password]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('answers signed HQ commands with the same transaction id, and refuses unknown or unsigned ones', async () => {
    await waitFor('online status', () => hq.json(`${base}/status`).some((s) => s.state === 'online'));
    const send = (name: string, body: string) =>
      hq.client.publishAsync(`${base}/cmd/${name}`, body, { qos: 1 });
    const ask = (name: string, transactionId: string, args: Record<string, string | number> = {}) =>
      send(name, key.sign('demo/it-kiosk-1', name, args, { transactionId }).text);
    await ask('diagnostics', 't-1');
    await ask('identify', 't-2', { seconds: 5 });
    await ask('reload-catalog', 't-3');
    await ask('format-disk', 't-4');
    await send('identify', 'not json');
    await ask('maintenance', 't-5', { state: 'on' });
    await ask('report', 't-6', { kind: 'z' });
    await waitFor('seven answers', () => hq.messages.filter((m) => m.topic.includes('/resp/')).length >= 7);
    const answers = hq.messages.filter((m) => m.topic.includes('/resp/')).map((m) => JSON.parse(m.text));
    expect(answers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          transactionId: 't-1',
          ok: true,
          result: expect.objectContaining({ screen: 'attract' }),
        }),
        { transactionId: 't-2', ok: true, result: { blinkingForSeconds: 5 } },
        { transactionId: 't-3', ok: true, result: { products: 21 } },
        {
          transactionId: 't-4',
          ok: false,
          error:
            'unknown command "format-disk"; known: identify, diagnostics, reload-catalog, maintenance, reboot, report, saft-export',
        },
        {
          transactionId: null,
          ok: false,
          error:
            'refused: not a signed HQ command ({"payload","sig","kid"}); send it with "vipps-kiosk hq command"',
        },
        { transactionId: 't-5', ok: true, result: { maintenance: 'on', screen: 'maintenance' } },
        {
          transactionId: 't-6',
          ok: false,
          error:
            'this kiosk is not a cash register (cashRegister is not configured): it makes no X or Z reports',
        },
      ]),
    );
    await waitFor('the identify blink in the retained state', () =>
      hq
        .json<{ leds: unknown }>(`${base}/state`)
        .some((state) => JSON.stringify(state.leds) === '{"status":"blue","blink":true}'),
    );
  });

  it('says it is offline when it stops', async () => {
    await waitFor('online status', () => hq.json(`${base}/status`).some((s) => s.state === 'online'));
    await kiosk.kiosk.stop(); // the daemon only; the sandbox goes in afterEach
    await waitFor('offline status', () => hq.json(`${base}/status`).some((s) => s.state === 'offline'));
  });
});
