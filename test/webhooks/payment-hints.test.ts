import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { vippsPaymentTopic } from '../../contracts/topics.js';
import type { CreatePaymentRequest, PaymentEventName } from '../../contracts/vipps-types.js';
import type { Payments } from '../../device/checkout/ports.js';
import { OUTBOX_FILE, SqliteOutbox } from '../../device/telemetry/outbox.js';
import { TelemetryPublisher } from '../../device/telemetry/publisher.js';
import type { VippsClient } from '../../device/vipps/client.js';
import { PaymentHints } from '../../device/webhooks/payment-hints.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { validPayment } from '../sandbox/helpers.js';
import { within } from '../support/deadline.js';
import { SandboxControl } from '../support/sandbox-control.js';
import { testClient } from '../support/vipps-client.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { Subscriber, waitFor } from '../telemetry/subscriber.js';

// The kiosk's side of the relay, with the real telemetry publisher on a real Mosquitto and the real
// client on the sandbox: the payment's topic is subscribed before the create leaves, so even an event
// published at the very moment of the create reaches the checkout; copies and late events do nothing.

describeWithMosquitto('payment hints from relayed webhooks', () => {
  let broker: Mosquitto;
  let hq: Subscriber;
  let sandbox: RunningSandbox;
  let client: VippsClient;
  let publisher: TelemetryPublisher;
  let outbox: SqliteOutbox;
  let dir: string;
  const MSN = '123456';

  beforeAll(async () => {
    broker = await Mosquitto.start();
    hq = await Subscriber.connect(broker, ['vk/v1/vipps/#']);
    sandbox = await startSandbox();
    client = testClient(sandbox.url, sandbox.credentials);
    dir = await mkdtemp(join(tmpdir(), 'vk-hints-'));
    outbox = SqliteOutbox.open(join(dir, OUTBOX_FILE));
    publisher = new TelemetryPublisher({
      url: broker.url,
      site: 'test-site',
      device: 'hint-kiosk',
      version: 'test',
      outbox,
      username: broker.username,
      password: broker.password,
    });
    publisher.start();
    await waitFor('the kiosk on the broker', () => publisher.stats().connected);
  });
  afterAll(async () => {
    await publisher?.stop();
    outbox?.stop();
    await client?.stop();
    await sandbox?.close();
    await hq?.close();
    await broker?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  /** HQ's relay publishing an event for `reference` (QoS 1, acknowledged by the broker). */
  const relay = (reference: string, name: string, id = `${name}-id-000000000000`.slice(0, 22)) =>
    hq.client.publishAsync(
      vippsPaymentTopic(MSN, reference),
      JSON.stringify({
        id,
        msn: MSN,
        reference,
        name,
        amount: { currency: 'NOK', value: 24_900 },
        success: true,
      }),
      { qos: 1 },
    );

  function hinted(inner: Payments, subscribeTimeoutMs = 1_000) {
    const hints: Array<[string, PaymentEventName]> = [];
    const payments = new PaymentHints(inner, {
      merchantSerialNumber: MSN,
      link: publisher,
      logger: silentLogger,
      subscribeTimeoutMs,
      watchForMs: 60_000,
    });
    payments.onHint((reference, name) => hints.push([reference, name]));
    return { payments, hints };
  }

  it('subscribes before the create leaves: an event published as the create starts is not lost', async () => {
    const request = validPayment() as unknown as CreatePaymentRequest;
    const { reference } = request;
    // Vipps at its fastest: the event is on the broker before the create request is even sent.
    const fast: Payments = {
      ...client.epayment,
      createPayment: async (body, key) => {
        await relay(reference, 'AUTHORIZED');
        return client.epayment.createPayment(body, key);
      },
      getPayment: (ref) => client.epayment.getPayment(ref),
      capture: (ref, amount, key) => client.epayment.capture(ref, amount, key),
      cancel: (ref, options, key) => client.epayment.cancel(ref, options, key),
    };
    const { payments, hints } = hinted(fast);
    await payments.createPayment(request, `${reference}-create`);
    expect(payments.watching()).toEqual([reference]);
    // Held until the create has answered, then passed on once.
    await waitFor('the early hint', () => hints.length === 1);
    expect(hints).toEqual([[reference, 'AUTHORIZED']]);
    payments.stop();
  });

  it('passes each deciding event on once, ignores the rest, and lets go of the topic once settled', async () => {
    const request = validPayment() as unknown as CreatePaymentRequest;
    const { reference } = request;
    const { payments, hints } = hinted(client.epayment);
    await payments.createPayment(request, `${reference}-create`);
    await relay(reference, 'CREATED'); // not a reason to look
    await relay(reference, 'AUTHORIZED');
    await relay(reference, 'AUTHORIZED'); // a copy: Vipps' retry, or a second relay replica
    await hq.client.publishAsync(vippsPaymentTopic(MSN, reference), 'not json', { qos: 1 });
    await relay('kiosk07-someone-else-1', 'ABORTED');
    // A last deciding event as a marker: the broker hands one subscriber its messages in the order they
    // were published (each one acknowledged before the next), so once the marker is handled, so is
    // everything before it.
    await relay(reference, 'EXPIRED', 'marker-event-id-000000');
    await waitFor('the marker', () => hints.some(([, name]) => name === 'EXPIRED'));
    expect(hints).toEqual([
      [reference, 'AUTHORIZED'],
      [reference, 'EXPIRED'],
    ]);

    await new SandboxControl(sandbox).act(reference, 'approve');
    await payments.capture(reference, request.amount, `${reference}-capture-1`);
    expect(payments.watching()).toEqual([]);
    // The marker now is a payment still watched: a late event for the settled one, published first,
    // would have been handed over before it.
    const next = validPayment() as unknown as CreatePaymentRequest;
    await payments.createPayment(next, `${next.reference}-create`);
    await relay(reference, 'ABORTED', 'late-event-id-00000000');
    await relay(next.reference, 'AUTHORIZED', 'next-marker-id-0000000');
    await waitFor("the next payment's hint", () => hints.some(([ref]) => ref === next.reference));
    expect(hints).toEqual([
      [reference, 'AUTHORIZED'],
      [reference, 'EXPIRED'],
      [next.reference, 'AUTHORIZED'],
    ]);
    payments.stop();
  });

  it('with the broker down, creates at once and subscribes once the broker is back', async () => {
    await broker.stop();
    await waitFor('the kiosk to notice', () => !publisher.stats().connected);
    const request = validPayment() as unknown as CreatePaymentRequest;
    const { reference } = request;
    // A subscription timeout far beyond the bound: a create that waited on the broker could not make it.
    const { payments, hints } = hinted(client.epayment, 600_000);
    await within(
      payments.createPayment(request, `${reference}-create`),
      5_000,
      'a create with the broker down',
    );
    await broker.run();
    await waitFor('the kiosk back on the broker', () => publisher.stats().connected, 30_000);
    await waitFor('HQ back on the broker', () => hq.client.connected, 30_000);
    // The subscription asked for while offline is made on the new connection.
    for (let i = 0; i < 50 && hints.length === 0; i++) {
      await relay(reference, 'ABORTED');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(hints).toEqual([[reference, 'ABORTED']]);
    payments.stop();
  });

  it('creates the payment anyway when the broker does not confirm, and forgets a refused create', async () => {
    broker.pause();
    const request = validPayment() as unknown as CreatePaymentRequest;
    const { payments } = hinted(client.epayment);
    try {
      // The broker stays silent until the create has answered: only the 1 s subscription timeout can let
      // the create go ahead within the bound.
      await within(
        payments.createPayment(request, `${request.reference}-create`),
        10_000,
        'a create while the broker does not answer',
      );
    } finally {
      broker.resume();
    }
    expect((await client.epayment.getPayment(request.reference)).state).toBe('CREATED');

    const refused = { ...request, reference: `${request.reference}x`, amount: { currency: 'NOK', value: 0 } };
    await expect(payments.createPayment(refused as CreatePaymentRequest, 'refused-create')).rejects.toThrow();
    expect(payments.watching()).toEqual([request.reference]);
    payments.stop();
  });
});
