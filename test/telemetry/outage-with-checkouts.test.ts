import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { KioskUnderTest, ScreenSocket } from '../support/kiosk-under-test.js';
import { describeWithMosquitto, Mosquitto } from './mosquitto.js';
import { Subscriber, waitFor } from './subscriber.js';

// Sales go on while HQ's broker is away: the whole daemon, real checkouts into the sandbox, a real
// Mosquitto stopped and started again, and then the daemon itself restarted with events still in its
// outbox. HQ must end up with every sale event, once each after de-duplicating by id, in sale order.

interface Envelope {
  id: string;
  type: string;
  payload: { receiptNumber?: string; reference?: string | null };
}

describeWithMosquitto('telemetry through broker outages while customers pay', () => {
  let broker: Mosquitto;
  let hq: Subscriber;
  const kiosks: KioskUnderTest[] = [];
  const base = 'vk/v1/demo/it-kiosk-1';

  beforeAll(async () => {
    broker = await Mosquitto.start();
    // HQ keeps a persistent session (as a fleet service should): what arrives while it reconnects waits for it.
    hq = await Subscriber.connect(broker, ['vk/v1/+/+/events/#', 'vk/v1/+/+/status'], {
      clientId: 'hq-outage-test',
      persistent: true,
    });
  });
  afterEach(async () => {
    for (const kiosk of kiosks.splice(0)) await kiosk.stop();
  });
  afterAll(async () => {
    await hq?.close();
    await broker?.dispose();
  });

  async function startKiosk(stateDir?: string): Promise<KioskUnderTest> {
    const kiosk = await new KioskUnderTest().start({
      telemetry: { brokerUrl: broker.url, username: broker.username, willDelaySeconds: 1 },
      env: { VK_SECRETS__TELEMETRY__PASSWORD: broker.password },
      ...(stateDir ? { stateDir } : {}),
    });
    kiosks.push(kiosk);
    return kiosk;
  }

  /** One customer at the till: milk, their QR, and their answer on the phone. */
  async function checkout(kiosk: KioskUnderTest, answer: 'approve' | 'reject'): Promise<string> {
    await kiosk.scan('2000000000015');
    await kiosk.scan(kiosk.sandbox.customers[0]!.personalQrV2);
    const waiting = await kiosk.screen('awaiting-approval');
    await kiosk.control.act(waiting.payment!.reference, answer);
    kiosk.clock.increment(5_000);
    const done = await kiosk.screen(answer === 'approve' ? 'approved' : 'declined');
    const screen = await new ScreenSocket().open(kiosk);
    screen.send({ type: answer === 'approve' ? 'done' : 'start-over' });
    await kiosk.screen('attract');
    screen.close();
    return waiting.payment!.reference + (done.receipt ? ` ${done.receipt.receiptNumber}` : '');
  }

  /** The sale events HQ has, de-duplicated by event id, in the order they first arrived. */
  function sales(): string[] {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const message of hq.messages.filter((m) => m.topic.startsWith(`${base}/events/checkout-`))) {
      const event = JSON.parse(message.text) as Envelope;
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      const { reference, receiptNumber } = event.payload;
      out.push(`${event.type} ${reference}${receiptNumber ? ` ${receiptNumber}` : ''}`);
    }
    return out;
  }

  it('delivers every sale made while the broker was down, in order, and the outbox left by a stopped daemon after it restarts', async () => {
    const kiosk = await startKiosk();
    await waitFor('online', () => hq.on(`${base}/status`).some((m) => m.text.includes('"online"')));
    const expected: string[] = [`checkout-completed ${await checkout(kiosk, 'approve')}`];
    await waitFor('the first sale at HQ', () => sales().length === 1);

    // The broker goes away; three customers pay (or not) meanwhile.
    await broker.stop();
    expected.push(`checkout-completed ${await checkout(kiosk, 'approve')}`);
    expected.push(`checkout-declined ${await checkout(kiosk, 'reject')}`);
    expected.push(`checkout-completed ${await checkout(kiosk, 'approve')}`);
    expect(sales()).toHaveLength(1);
    await broker.run();
    await waitFor('the sales made during the outage', () => sales().length === 4, 20_000);
    expect(sales()).toEqual(expected);

    // Away again; two more sales; then the daemon is stopped with them still in its outbox.
    await broker.stop();
    expected.push(`checkout-completed ${await checkout(kiosk, 'approve')}`);
    expected.push(`checkout-completed ${await checkout(kiosk, 'approve')}`);
    await kiosk.kiosk.stop();
    await broker.run();
    const again = await startKiosk(kiosk.stateDir);
    await waitFor('the outbox a stopped daemon left behind', () => sales().length === 6, 20_000);
    expect(sales()).toEqual(expected);

    // And the restarted daemon sells on, numbering on from where the last one stopped.
    expected.push(`checkout-completed ${await checkout(again, 'approve')}`);
    await waitFor('a sale after the restart', () => sales().length === 7, 20_000);
    expect(sales()).toEqual(expected);
    const receipts = expected.map((sale) => sale.split(' ')[2]).filter(Boolean);
    expect(receipts).toEqual([...receipts].sort());
    expect(new Set(receipts).size).toBe(receipts.length);
  });
});
