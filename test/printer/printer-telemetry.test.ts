import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AlertPayload, HealthPayload } from '../../contracts/telemetry.js';
import type { FakePrinter } from '../../device/printer/fake-printer.js';
import { KioskUnderTest } from '../support/kiosk-under-test.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { Subscriber, waitFor } from '../telemetry/subscriber.js';

// Paper running out reaches HQ through a real Mosquitto: a health sample that says so, sent at once
// (the interval here is an hour), and a critical alert on events/alert that is cleared with the paper back.

describeWithMosquitto('the receipt printer at HQ', () => {
  let broker: Mosquitto;
  let hq: Subscriber;
  let kiosk: KioskUnderTest;
  const base = 'vk/v1/demo/it-kiosk-1';

  beforeAll(async () => {
    broker = await Mosquitto.start();
    hq = await Subscriber.connect(broker, ['vk/v1/#']);
    kiosk = await new KioskUnderTest().start({
      cashRegister: {},
      telemetry: { brokerUrl: broker.url, username: broker.username, healthIntervalMs: 3_600_000 },
      env: { VK_SECRETS__TELEMETRY__PASSWORD: broker.password },
    });
  });
  afterAll(async () => {
    await kiosk?.stop();
    await hq?.close();
    await broker?.dispose();
  });

  const printerIn = (condition: string) =>
    hq.json<HealthPayload>(`${base}/health`).some((health) => health.printer?.condition === condition);
  const alerts = () =>
    hq.json<{ payload: AlertPayload }>(`${base}/events/alert`).map((event) => event.payload);

  it('sends a health sample and a critical alert when the paper runs out, and clears it when it is back', async () => {
    const printer = kiosk.kiosk.printer as FakePrinter;
    // Health is not queued while offline (the alert is, in the outbox): HQ hears it once connected.
    await waitFor('the kiosk at the broker', () => kiosk.kiosk.brokerConnected() === true);
    printer.setCondition('paper-out');
    await waitFor('a health sample with the paper out', () => printerIn('paper-out'));
    await waitFor('the alert', () => alerts().some((a) => a.code === 'printer-paper-out'));
    expect(alerts()[0]).toMatchObject({ code: 'printer-paper-out', severity: 'critical', cleared: false });
    expect(hq.json<HealthPayload>(`${base}/health`).at(-1)?.printer).toEqual({
      condition: 'paper-out',
      model: printer.model,
    });
    await kiosk.screen('out-of-order');

    printer.setCondition('ready');
    await waitFor('a health sample with the printer ready', () => printerIn('ready'));
    await waitFor('the alert cleared', () =>
      alerts().some((a) => a.code === 'printer-paper-out' && a.cleared),
    );
    await kiosk.screen('attract');
  });
});
