import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ScreenModel } from '../../contracts/screen-model.js';
import { FakeScanner } from '../../device/hardware/fake-scanner.js';
import { KioskUnderTest, ScreenSocket } from '../support/kiosk-under-test.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { Subscriber, waitFor } from '../telemetry/subscriber.js';

// The scanner and LEDs wired into the whole daemon (demo mode: the simulated scanner and drawn LEDs),
// seen as the kiosk screen sees them: over the WebSocket.

const MILK = '2000000000015';
let it_: KioskUnderTest;
let screen: ScreenSocket;
afterEach(async () => {
  screen?.close();
  await it_?.stop();
});

async function start(
  options: { demo?: boolean; env?: NodeJS.ProcessEnv; telemetry?: Record<string, unknown> } = {},
) {
  it_ = await new KioskUnderTest().start(options);
  screen = await new ScreenSocket().open(it_);
}
const latest = (): ScreenModel => screen.models.at(-1)!;

describe('the daemon with its scanner and LEDs', () => {
  it('reads scans from the scanner; an unplug mid-scan drops the read, tells the customer, and degrades the kiosk', async () => {
    await start();
    const scanner = it_.kiosk.scanner as FakeScanner;
    expect(scanner).toBeInstanceOf(FakeScanner);
    expect(screen.models[0]).toMatchObject({
      device: { region: 'ready', scanner: 'simulated' },
      demo: { leds: { status: 'green' } },
    });

    scanner.read(MILK);
    await screen.next((m) => m.screen === 'basket' && m.basket.itemCount === 1);

    scanner.partial('https://qr.vipps.no/28/2/01/031/47');
    scanner.unplug();
    const told = await screen.next((m) => m.feedback?.kind === 'scan-incomplete');
    expect(told).toMatchObject({
      screen: 'basket',
      basket: { itemCount: 1 },
      device: { region: 'degraded', scanner: 'missing' },
    });
    // Degraded: the status LED pulses amber, and the demo overlay draws what the fake LEDs show.
    expect(told.leds).toEqual({ status: 'amber', blink: true });
    expect(told.demo?.leds).toEqual({ status: 'amber', blink: true });

    // Without a scanner the customer still pays by typing their phone number.
    screen.send({ type: 'pay' });
    await screen.next((m) => m.screen === 'identify');
    screen.send({ type: 'pay-phone', msisdn: it_.sandbox.customers[0]!.msisdn });
    await screen.next((m) => m.screen === 'awaiting-approval');

    scanner.plug();
    await screen.next((m) => m.screen === 'awaiting-approval' && m.device.scanner === 'simulated');
    expect(latest().demo?.leds).toEqual({ status: 'blue', blink: true });
  });

  it('a kiosk configured without a scanner runs degraded, and says so in its model', async () => {
    await start({ demo: false, env: { VK_HARDWARE__SCANNER__DRIVER: 'none' } });
    expect(it_.kiosk.scanner).toBeNull();
    const model = await it_.state();
    expect(model).toMatchObject({
      device: { region: 'degraded', scanner: 'missing' },
      leds: { status: 'amber', blink: true },
    });
  });
});

describeWithMosquitto('scanner attach state in telemetry to a real broker', () => {
  let broker: Mosquitto;
  let hq: Subscriber;
  const base = 'vk/v1/demo/it-kiosk-1';
  beforeAll(async () => {
    broker = await Mosquitto.start();
  });
  afterAll(async () => {
    await hq?.close();
    await broker.stop();
  });

  it('HQ sees scannerAttached in the retained state and an event on each detach and attach', async () => {
    hq = await Subscriber.connect(broker, ['vk/v1/+/+/state', 'vk/v1/+/+/events/#']);
    await start({
      env: { VK_SECRETS__TELEMETRY__PASSWORD: broker.password },
      telemetry: { brokerUrl: broker.url, username: broker.username, willDelaySeconds: 1 },
    });
    const scanner = it_.kiosk.scanner as FakeScanner;
    const states = () => hq.json<{ scannerAttached: boolean }>(`${base}/state`);
    await waitFor('attached state', () => states().some((s) => s.scannerAttached === true));
    scanner.unplug();
    await waitFor('detach event', () => hq.on(`${base}/events/scanner-detached`).length === 1);
    await waitFor('detached state', () => states().at(-1)?.scannerAttached === false);
    scanner.plug();
    await waitFor('attach event', () => hq.on(`${base}/events/scanner-attached`).length === 1);
    expect(hq.json(`${base}/events/scanner-detached`)[0]).toMatchObject({
      class: 'info',
      payload: { scanner: 'missing' },
    });
    expect(hq.json(`${base}/events/scanner-attached`)[0]).toMatchObject({
      payload: { scanner: 'simulated' },
    });
  });
});
