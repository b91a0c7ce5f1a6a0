import { performance } from 'node:perf_hooks';
import type { FakePrinter } from '../device/printer/fake-printer.js';
import { KioskUnderTest } from '../test/support/kiosk-under-test.js';
import { Mosquitto } from '../test/telemetry/mosquitto.js';
import { Subscriber } from '../test/telemetry/subscriber.js';
import { ms, percentile, table } from './stats.js';

// The receipt printer through the whole daemon (demo mode, the kiosk a cash register, against the sandbox
// and a real Mosquitto, all on loopback): from the sale completed (the machine's `sale.completed`, the
// moment the approved screen shows the receipt) to the last byte of its receipt taken by the simulated
// printer — journaling and signing the sale, encoding the receipt and handing it over included, the
// printer's own mechanics and USB not — and from the printer reporting paper out to the health sample
// that says so arriving at HQ's subscriber.

const MILK = '2000000000015';
const WARM_UP = 5;

async function saleToLastByte(kiosk: KioskUnderTest, sales: number): Promise<number[]> {
  const { checkout, receipts, printer } = kiosk.kiosk;
  if (!receipts || !printer)
    throw new Error('the kiosk prints no receipts: it needs a printer and cashRegister');
  const samples: number[] = [];
  for (let i = 0; i < sales + WARM_UP; i++) {
    const before = (printer as FakePrinter).received().length;
    const printed = new Promise<number>((resolve) => {
      const off = checkout.onDomainEvent((event) => {
        if (event.type !== 'sale.completed') return;
        off();
        const start = performance.now();
        // Listening after the print service, the job is already in its queue.
        void receipts.idle().then(() => resolve(performance.now() - start));
      });
    });
    await kiosk.scan(MILK);
    await kiosk.scan(kiosk.sandbox.customers[0]!.personalQrV2);
    const { payment } = await kiosk.screen('awaiting-approval', 20_000);
    await kiosk.control.act(payment!.reference, 'approve');
    checkout.paymentEvent(payment!.reference, 'AUTHORIZED');
    const elapsed = await printed;
    if ((printer as FakePrinter).received().length <= before) throw new Error(`sale ${i}: nothing printed`);
    if (i >= WARM_UP) samples.push(elapsed);
    checkout.dispatch({ type: 'done' });
    await kiosk.screen('attract', 20_000);
  }
  return samples;
}

async function paperOutToHealth(kiosk: KioskUnderTest, hq: Subscriber, rounds: number): Promise<number[]> {
  const printer = kiosk.kiosk.printer as FakePrinter;
  const samples: number[] = [];
  const arrival = (condition: string) =>
    new Promise<number>((resolve) => {
      const listener = (topic: string, payload: Buffer) => {
        if (!topic.endsWith('/health')) return;
        const health = JSON.parse(payload.toString()) as { printer?: { condition: string } };
        if (health.printer?.condition !== condition) return;
        hq.client.off('message', listener);
        resolve(performance.now());
      };
      hq.client.on('message', listener);
    });
  for (let i = 0; i < rounds + WARM_UP; i++) {
    const out = arrival('paper-out');
    const start = performance.now();
    printer.setCondition('paper-out');
    const elapsed = (await out) - start;
    if (i >= WARM_UP) samples.push(elapsed);
    const back = arrival('ready');
    printer.setCondition('ready');
    await back;
  }
  return samples;
}

export async function benchPrinter(sales: number, paperOuts: number): Promise<{ lines: string }> {
  const broker = await Mosquitto.start();
  const hq = await Subscriber.connect(broker, ['vk/v1/+/+/health']);
  const kiosk = await new KioskUnderTest().start({
    cashRegister: {},
    // Only the samples sent on a change of the printer's condition: none of the interval's.
    telemetry: { brokerUrl: broker.url, username: broker.username, healthIntervalMs: 3_600_000 },
    env: { VK_SECRETS__TELEMETRY__PASSWORD: broker.password },
  });
  try {
    const printed = await saleToLastByte(kiosk, sales);
    const health = await paperOutToHealth(kiosk, hq, paperOuts);
    const row = (what: string, samples: number[], target: string) => [
      what,
      String(samples.length),
      ms(percentile(samples, 50)),
      ms(percentile(samples, 99)),
      ms(Math.max(...samples)),
      target,
    ];
    return {
      lines: table([
        ['path', 'samples', 'p50', 'p99', 'max', 'target'],
        row('sale completed -> last byte on the printer', printed, 'p99 <= 300 ms'),
        row('paper out -> health at HQ (MQTT)', health, '-'),
      ]),
    };
  } finally {
    await kiosk.stop();
    await hq.close();
    await broker.dispose();
  }
}
