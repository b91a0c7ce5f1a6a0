import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { KIOSK_WEBHOOK_EVENTS } from '../../device/vipps/webhooks.js';
import { RelayPublisher } from '../../hq/webhook-relay/relay-publisher.js';
import { WebhookRelay } from '../../hq/webhook-relay/webhook-relay.js';
import { KioskUnderTest, ScreenSocket } from '../support/kiosk-under-test.js';
import { testClient } from '../support/vipps-client.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { Subscriber, waitFor } from '../telemetry/subscriber.js';

// The whole path: the sandbox delivers a signed webhook to the relay (through a route standing in for DNS
// and the TLS proxy), the relay publishes it to a real Mosquitto, and the kiosk, subscribed to its
// payment's topic, reads the payment at once. The kiosk's timers run on a simulated clock this test never
// moves, so its first poll (5 s) never comes: reaching "approved" proves the webhook path. Then the relay
// goes away, and the same kiosk completes a sale by polling alone.

const HOOK = 'https://hooks.hq.example/vipps/webhooks';
const MILK = '2000000000015';

describeWithMosquitto('webhooks end to end: sandbox -> relay -> Mosquitto -> kiosk', () => {
  let broker: Mosquitto;
  let kiosk: KioskUnderTest;
  let relay: WebhookRelay;
  let hq: Subscriber;

  beforeAll(async () => {
    broker = await Mosquitto.start();
    hq = await Subscriber.connect(broker, ['vk/v1/vipps/#', 'vk/v1/demo/+/status']);
    kiosk = await new KioskUnderTest().start({
      telemetry: { brokerUrl: broker.url, username: broker.username },
      env: { VK_SECRETS__TELEMETRY__PASSWORD: broker.password },
    });
    const { sandbox } = kiosk;
    // HQ registers its relay's public URL with Vipps once, and keeps the secret.
    const vipps = testClient(sandbox.url, sandbox.credentials);
    const { secret } = await vipps.webhooks.register(HOOK, KIOSK_WEBHOOK_EVENTS);
    await vipps.stop();
    relay = new WebhookRelay(
      {
        host: '127.0.0.1',
        port: 0,
        registrations: [{ msn: sandbox.credentials.merchantSerialNumber, url: HOOK, secret }],
        maxSkewMs: 600_000,
        maxBodyBytes: 65_536,
        logger: silentLogger,
      },
      new RelayPublisher({
        url: broker.url,
        username: broker.username,
        password: broker.password,
        logger: silentLogger,
      }),
    );
    const origin = await relay.start();
    await fetch(`${sandbox.url}/_sandbox/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ routes: [{ host: 'hooks.hq.example', origin }], retryMs: [50, 50] }),
    });
    await waitFor('the kiosk online', () =>
      hq.json('vk/v1/demo/it-kiosk-1/status').some((s) => s.state === 'online'),
    );
  });
  afterAll(async () => {
    await relay?.stop();
    await kiosk?.stop();
    await hq?.close();
    await broker?.dispose();
  });

  const reads = async (reference: string) =>
    (await kiosk.control.payment(reference)).events.map((event) => event.name);

  it('an approval reaches the kiosk by webhook, long before its first poll would', async () => {
    const customer = kiosk.sandbox.customers[0]!.personalQrV2;
    await kiosk.scan(MILK);
    await kiosk.scan(customer);
    const waiting = await kiosk.screen('awaiting-approval');
    const reference = waiting.payment!.reference;
    await kiosk.control.act(reference, 'approve');
    // No clock advance: only the relayed AUTHORIZED can move the kiosk on.
    const approved = await kiosk.screen('approved');
    expect(approved.receipt?.total).toBe(waiting.payment!.amount);
    expect(await reads(reference)).toEqual(['CREATED', 'AUTHORIZED', 'CAPTURED']);
    await waitFor('CAPTURED relayed too', () =>
      hq
        .json(`vk/v1/vipps/${kiosk.sandbox.credentials.merchantSerialNumber}/payments/${reference}`)
        .some((e) => e.name === 'CAPTURED'),
    );
    const relayed = hq.json(
      `vk/v1/vipps/${kiosk.sandbox.credentials.merchantSerialNumber}/payments/${reference}`,
    );
    expect(relayed.map((e) => e.name)).toEqual(['AUTHORIZED', 'CAPTURED']);
  });

  it('a rejection reaches it the same way: declined, basket kept', async () => {
    const socket = await new ScreenSocket().open(kiosk);
    socket.send({ type: 'done' });
    await kiosk.screen('attract');
    await kiosk.scan(MILK);
    await kiosk.scan(kiosk.sandbox.customers[0]!.personalQrV2);
    const reference = (await kiosk.screen('awaiting-approval')).payment!.reference;
    await kiosk.control.act(reference, 'reject');
    const declined = await kiosk.screen('declined');
    expect(declined.basket.itemCount).toBe(1);
    socket.close();
  });

  it('with the relay down, the kiosk still completes by polling', async () => {
    await relay.stop();
    // From "declined" (basket kept) the customer's QR again starts a new payment.
    await kiosk.scan(kiosk.sandbox.customers[0]!.personalQrV2);
    const reference = (await kiosk.screen('awaiting-approval')).payment!.reference;
    await kiosk.control.act(reference, 'approve');
    // Every delivery of the AUTHORIZED fails (nothing listens) until the sandbox gives it up, as Vipps
    // does; the webhook path is then spent, and without a poll the kiosk keeps waiting.
    await waitFor('the sandbox to give up delivering AUTHORIZED', async () => {
      const { attempts, retryMs } = (await (
        await fetch(`${kiosk.sandbox.url}/_sandbox/webhooks`)
      ).json()) as {
        attempts: Array<{ reference: string; name: string; status: number | null }>;
        retryMs: number[];
      };
      const failed = attempts.filter((a) => a.reference === reference && a.name === 'AUTHORIZED');
      expect(failed.every((a) => a.status === null)).toBe(true);
      return failed.length === retryMs.length + 1;
    });
    expect((await kiosk.state()).screen).toBe('awaiting-approval');
    kiosk.clock.increment(5_000);
    await kiosk.screen('approved');
    expect(await reads(reference)).toEqual(['CREATED', 'AUTHORIZED', 'CAPTURED']);
  });
});
