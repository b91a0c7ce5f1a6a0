import { join } from 'node:path';
import { OUTBOX_FILE, SqliteOutbox } from '../../device/telemetry/outbox.js';
import { TelemetryPublisher } from '../../device/telemetry/publisher.js';

// Child process for the last-will test: a publisher that the test kills with SIGKILL, so no shutdown
// code runs and only the broker's will can tell HQ the kiosk is gone. Prints its boot id once connected.
const [url, username, password, stateDir, device] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const outbox = SqliteOutbox.open(join(stateDir, OUTBOX_FILE));
const publisher = new TelemetryPublisher({
  url,
  username,
  password,
  site: 'test-site',
  device,
  version: '0.0.0-test',
  outbox,
  willDelaySeconds: 1,
  backoff: { initialMs: 100, maxMs: 1_000 },
  onPersonalData: 'throw',
});
publisher.start();
const timer = setInterval(() => {
  if (publisher.stats().connected) {
    process.stdout.write(`connected ${publisher.bootId}\n`);
    clearInterval(timer);
  }
}, 10);
