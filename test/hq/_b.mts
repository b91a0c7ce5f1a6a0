import { startEmbeddedBroker } from '../../device/telemetry/embedded-broker.ts';

const b = await startEmbeddedBroker(0);
console.log(b.url);
setTimeout(() => b.close(), 15000);
