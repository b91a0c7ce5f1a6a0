import { execFile } from 'node:child_process';
import { connectAsync } from 'mqtt';
import { startEmbeddedBroker } from '../../device/telemetry/embedded-broker.ts';

const b = await startEmbeddedBroker(0);
const k = await connectAsync(b.url, { protocolVersion: 4 });
await k.publishAsync(
  'vk/v1/oslo-1/kiosk-01/status',
  JSON.stringify({
    state: 'online',
    version: '0.1.0',
    bootId: 'B1',
    startedAt: new Date().toISOString(),
    session: 1,
  }),
  { qos: 1, retain: true },
);
await k.publishAsync(
  'vk/v1/oslo-1/kiosk-01/state',
  JSON.stringify({ screen: 'idle', vippsReachable: true }),
  { qos: 1, retain: true },
);
const t0 = Date.now();
const p = execFile(
  'node',
  ['--import', 'tsx', 'test/hq/hq-entry.ts', 'watch', '--broker', b.url, '--once', '1'],
  (err, out, errout) => {
    console.log(err?.code, JSON.stringify(out), errout, Date.now() - t0);
  },
);
setTimeout(
  () =>
    k.publish(
      'vk/v1/oslo-1/kiosk-01/events/checkout-completed',
      JSON.stringify({
        id: 'E1',
        type: 'checkout-completed',
        class: 'money',
        at: new Date().toISOString(),
        payload: { amount: 12350, currency: 'NOK' },
      }),
      { qos: 1 },
    ),
  700,
);
await new Promise((r) => p.on('exit', r));
await new Promise((r) => setTimeout(r, 100));
await k.endAsync();
await b.close();
