import assert from 'node:assert/strict';
import { connectAsync } from 'mqtt';
import type { AlertPayload, HealthPayload } from '../../../contracts/telemetry.js';
import { startEmbeddedBroker } from '../../../demo/embedded-broker.js';
import type { ContractCase } from '../../hardware/scanner-contract.js';
import { KioskUnderTest, ScreenSocket } from '../../support/kiosk-under-test.js';
import { PrinterGadget } from './printer-gadget.js';

// Issue 17's end-to-end check on real (virtual) hardware: the whole daemon as a Norwegian cash register,
// its receipt printer the USB adapter on the kernel's printer gadget (hardware.printer.driver "usb"),
// HQ an MQTT subscriber on an in-process broker. Paper out, set with the gadget's status ioctl, must
// reach HQ (a health sample and a critical alert on events/alert) and the screen (out of order), and
// paper back must undo both. Every step waits for its event; nothing is timed.

export const PATIENCE_MS = 30_000;
const BASE = 'vk/v1/demo/it-kiosk-1';

/** Waits for `test` to hold (polling), failing after PATIENCE_MS with what `state` shows then. */
export async function until(what: string, test: () => boolean | Promise<boolean>, state: () => unknown) {
  const end = Date.now() + PATIENCE_MS;
  while (!(await test())) {
    if (Date.now() > end) assert.fail(`${what}: waited ${PATIENCE_MS} ms; ${JSON.stringify(state())}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const printerEndToEnd: ContractCase = {
  name: 'paper out on the USB printer gadget reaches HQ (health, critical alert) and the screen (out of order); paper back clears both',
  async run() {
    const broker = await startEmbeddedBroker(0);
    const hq = await connectAsync(broker.url, { protocolVersion: 4, clientId: 'hil-hq' });
    const heard: Array<{ topic: string; payload: unknown }> = [];
    hq.on('message', (topic, payload) => heard.push({ topic, payload: JSON.parse(payload.toString()) }));
    await hq.subscribeAsync('vk/v1/#', { qos: 1 });
    const health = () =>
      heard.filter((m) => m.topic === `${BASE}/health`).map((m) => m.payload as HealthPayload);
    const alerts = () =>
      heard
        .filter((m) => m.topic === `${BASE}/events/alert`)
        .map((m) => (m.payload as { payload: AlertPayload }).payload);
    const gadget = new PrinterGadget({
      name: 'printer-e2e',
      vendorId: 0x04b8,
      productId: 0x0e28,
      product: 'TM-T20III (HIL gadget)',
      answersRealtime: true,
      patienceMs: PATIENCE_MS,
    });
    await gadget.plug();
    const kiosk = new KioskUnderTest();
    try {
      await kiosk.start({
        demo: false,
        cashRegister: {},
        telemetry: { brokerUrl: broker.url, protocolVersion: 4, healthIntervalMs: 3_600_000 },
        env: { VK_HARDWARE__PRINTER__DRIVER: 'usb', VK_HARDWARE__SCANNER__DRIVER: 'none' },
      });
      // The screen's own socket: every model the kiosk pushes, in order.
      const socket = await new ScreenSocket().open(kiosk);
      let seen = 0;
      /** The next model pushed (after those already looked at) that shows `name`. */
      const nextScreen = async (name: string) => {
        await until(
          `the ${name} screen`,
          () => socket.models.slice(seen).some((m) => m.screen === name),
          () => socket.models.slice(seen).map((m) => m.screen),
        );
        const index = socket.models.findIndex((m, i) => i >= seen && m.screen === name);
        seen = index + 1;
        return socket.models[index]!;
      };
      await nextScreen('attract');
      await until(
        'the kiosk at the broker',
        () => kiosk.kiosk.brokerConnected() === true,
        () => null,
      );
      assert.equal(kiosk.kiosk.printer?.status().condition, 'ready');

      await gadget.setCondition('paper-out');
      assert.equal((await nextScreen('out-of-order')).outOfOrder?.code, 'printer-paper-out');
      await until(
        'a health sample with the paper out',
        () => health().some((h) => h.printer?.condition === 'paper-out'),
        () => health(),
      );
      await until(
        'the alert at HQ',
        () => alerts().some((a) => a.code === 'printer-paper-out' && !a.cleared),
        () => alerts(),
      );
      assert.match(String(health().at(-1)?.printer?.model), /TM-T20III/);
      assert.equal(alerts().find((a) => a.code === 'printer-paper-out')?.severity, 'critical');

      await gadget.setCondition('ready');
      await nextScreen('attract');
      await until(
        'a health sample with the printer ready',
        () => health().at(-1)?.printer?.condition === 'ready',
        () => health(),
      );
      await until(
        'the alert cleared',
        () => alerts().some((a) => a.code === 'printer-paper-out' && a.cleared),
        () => alerts(),
      );
      socket.close();
    } finally {
      await kiosk.stop();
      await gadget.remove();
      await hq.endAsync(true);
      await broker.close();
    }
  },
};
