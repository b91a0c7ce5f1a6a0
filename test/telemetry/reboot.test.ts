import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { RebootFailedError, requestSystemReboot } from '../../device/system/reboot.js';
import { rebootWhenIdle } from '../../device/telemetry/reboot-when-idle.js';
import { CheckoutHarness } from '../support/checkout-harness.js';
import { TestCommandKey } from '../support/hq-command-key.js';
import { KioskUnderTest, ScreenSocket } from '../support/kiosk-under-test.js';
import { describeWithMosquitto, Mosquitto } from './mosquitto.js';
import { Subscriber, waitFor } from './subscriber.js';

// HQ's `reboot`: only while nobody is using the kiosk. The machine's reboot itself is the OS edge; the
// tests stand a recorder (or `true`/`false`) in for `systemctl reboot`.

describeWithMosquitto('reboot over MQTT', () => {
  let broker: Mosquitto;
  let hq: Subscriber;
  let kiosk: KioskUnderTest;
  const base = 'vk/v1/demo/it-kiosk-1';
  const key = TestCommandKey.generate();

  beforeAll(async () => {
    broker = await Mosquitto.start();
    hq = await Subscriber.connect(broker, [`${base}/resp/#`, `${base}/status`]);
  });
  afterEach(async () => {
    await kiosk?.stop();
  });
  afterAll(async () => {
    await hq?.close();
    await broker?.dispose();
  });

  async function startKiosk(reboot?: () => Promise<void>): Promise<void> {
    kiosk = await new KioskUnderTest().start({
      telemetry: { brokerUrl: broker.url, username: broker.username, willDelaySeconds: 1 },
      env: { VK_SECRETS__TELEMETRY__PASSWORD: broker.password },
      commandKeysDir: key.keysDir,
      ...(reboot ? { reboot } : {}),
    });
    await waitFor('online', () => hq.on(`${base}/status`).some((m) => m.text.includes('"online"')));
  }

  async function ask(transactionId: string) {
    const { text } = key.sign('demo/it-kiosk-1', 'reboot', {}, { transactionId });
    await hq.client.publishAsync(`${base}/cmd/reboot`, text, { qos: 1 });
    await waitFor(`the answer to ${transactionId}`, () =>
      hq.json(`${base}/resp/reboot`).some((a) => a.transactionId === transactionId),
    );
    return hq.json(`${base}/resp/reboot`).find((a) => a.transactionId === transactionId)!;
  }

  it('refuses while a customer has a basket, and goes out of order before rebooting once idle', async () => {
    const reboots: number[] = [];
    await startKiosk(async () => {
      reboots.push(Date.now());
    });
    await kiosk.scan('2000000000015');
    await kiosk.screen('basket');
    const busy = await ask('r-1');
    expect(busy).toMatchObject({ ok: false });
    expect(String(busy.error)).toContain('a customer is using the kiosk (screen "basket")');
    expect((await kiosk.state()).screen).toBe('basket');

    const screen = await new ScreenSocket().open(kiosk);
    screen.send({ type: 'start-over' });
    await kiosk.screen('attract');
    screen.close();
    expect(await ask('r-2')).toEqual({ transactionId: 'r-2', ok: true, result: { rebootingInSeconds: 2 } });
    // Out of order at once, so nobody starts in the seconds before the machine goes down.
    expect((await kiosk.state()).screen).toBe('maintenance');
    await waitFor('the reboot', () => reboots.length === 1, 5_000);
  });

  it('in the demo (no way to reboot given) it says so and does nothing', async () => {
    await startKiosk();
    const answer = await ask('r-3');
    expect(answer).toMatchObject({ ok: false });
    expect(String(answer.error)).toContain('does not reboot its machine');
    expect((await kiosk.state()).screen).toBe('attract');
  });
});

it('a reboot the system refuses puts the kiosk back in service', async () => {
  const kiosk = await new CheckoutHarness().start();
  try {
    const reboot = rebootWhenIdle(kiosk.service, () => requestSystemReboot(['false']), silentLogger, 10);
    expect(reboot()).toEqual({ rebootingInSeconds: 0.01 });
    expect(kiosk.model.screen).toBe('maintenance');
    await kiosk.waitFor((model) => model.screen === 'attract', 'back in service');
  } finally {
    await kiosk.stop();
  }
});

it('an out-of-order kiosk may be rebooted: no customer is using it', async () => {
  const kiosk = await new CheckoutHarness().start();
  try {
    await kiosk.control.salesUnit(kiosk.sandbox.credentials.merchantSerialNumber, { pushMessage: false });
    kiosk.scan('2000000000015');
    kiosk.scan(kiosk.customer.personalQrV2);
    await kiosk.until('out-of-order');
    const reboot = rebootWhenIdle(kiosk.service, () => requestSystemReboot(['true']), silentLogger, 10);
    expect(reboot()).toEqual({ rebootingInSeconds: 0.01 });
    expect(kiosk.model.screen).toBe('maintenance');
  } finally {
    await kiosk.stop();
  }
});

it('says what the system answered and where the permission comes from', async () => {
  await expect(requestSystemReboot(['false'])).rejects.toThrow(RebootFailedError);
  await expect(requestSystemReboot(['sh', '-c', 'echo "Access denied" >&2; exit 1'])).rejects.toThrow(
    /Access denied \(is systemd\/vipps-kiosk.polkit.rules installed/,
  );
  await expect(requestSystemReboot(['true'])).resolves.toBeUndefined();
});
