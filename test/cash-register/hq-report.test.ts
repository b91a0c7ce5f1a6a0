import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { CashRegisterReport } from '../../contracts/telemetry.js';
import { TestCommandKey } from '../support/hq-command-key.js';
import { KioskUnderTest } from '../support/kiosk-under-test.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { Subscriber, waitFor } from '../telemetry/subscriber.js';

// The daemon as a cash register, wired as device/main.ts wires it, with HQ on a real Mosquitto: HQ asks
// for an X and a Z report with a signed command, gets each as the answer, and each is also an event.

describeWithMosquitto('X and Z reports for HQ', () => {
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
      'vk/v1/+/+/events/report',
      'vk/v1/+/+/resp/#',
    ]);
    kiosk = await new KioskUnderTest().start({
      telemetry: { brokerUrl: broker.url, username: broker.username },
      env: { VK_SECRETS__TELEMETRY__PASSWORD: broker.password },
      commandKeysDir: key.keysDir,
      cashRegister: {},
    });
  });
  afterEach(async () => {
    await kiosk.stop();
    await hq.close();
  });

  it('answers `report` with the journaled report and sends it as a money event; a bad kind is refused', async () => {
    await waitFor('online status', () => hq.json(`${base}/status`).some((s) => s.state === 'online'));
    await kiosk.scan('2000000000015');
    await kiosk.scan(kiosk.sandbox.customers[0]!.personalQrV2);
    const waiting = await kiosk.screen('awaiting-approval');
    await kiosk.control.act(waiting.payment!.reference, 'approve');
    kiosk.clock.increment(5_000);
    await kiosk.screen('approved');

    const ask = (transactionId: string, kind: string) =>
      hq.client.publishAsync(
        `${base}/cmd/report`,
        key.sign('demo/it-kiosk-1', 'report', { kind }, { transactionId }).text,
        { qos: 1 },
      );
    await ask('r-1', 'x');
    await waitFor('the X answer', () => hq.json(`${base}/resp/report`).length >= 1);
    await ask('r-2', 'z');
    await ask('r-3', 'w');
    await waitFor('three answers', () => hq.json(`${base}/resp/report`).length >= 3);
    const answers = hq.json<{
      transactionId: string;
      ok: boolean;
      result?: CashRegisterReport;
      error?: string;
    }>(`${base}/resp/report`);
    const sale = {
      receipts: 1,
      sales: { amount: 2490 },
      payments: [{ type: 'VIPPS', count: 1, amount: 2490 }],
    };
    expect(answers[0]).toMatchObject({
      transactionId: 'r-1',
      ok: true,
      result: { kind: 'x', number: 1, ...sale },
    });
    expect(answers.find((a) => a.transactionId === 'r-2')).toMatchObject({
      ok: true,
      // The demo's simulated printer printed the receipt: no sale concluded without one.
      result: { kind: 'z', number: 1, ...sale, notPrinted: { count: 0, amount: 0 } },
    });
    expect(answers.find((a) => a.transactionId === 'r-3')).toEqual({
      transactionId: 'r-3',
      ok: false,
      error: '"kind" must be "x" or "z"',
    });
    await waitFor('both report events', () => hq.json(`${base}/events/report`).length >= 2);
    const events = hq.json<{ class: string; payload: CashRegisterReport }>(`${base}/events/report`);
    expect(events.map((e) => [e.class, e.payload.kind, e.payload.number])).toEqual([
      ['money', 'x', 1],
      ['money', 'z', 1],
    ]);
    expect(JSON.stringify(events)).not.toContain(kiosk.sandbox.customers[0]!.msisdn);
  });
});
