import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import type { Payments } from '../../device/checkout/ports.js';
import { JournalingPayments } from '../../device/journal/journaling-payments.js';
import { JOURNAL_FILE, SqliteJournal } from '../../device/journal/sqlite-journal.js';
import { OUTBOX_FILE, SqliteOutbox } from '../../device/telemetry/outbox.js';
import { TelemetryPublisher } from '../../device/telemetry/publisher.js';
import { PaymentHints } from '../../device/webhooks/payment-hints.js';
import { paymentsContract } from '../checkout/payments-contract.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { waitFor } from '../telemetry/subscriber.js';

// The hints wrapper subscribes each payment's topic on a real broker before the create leaves; none of
// that may change what the checkout is answered. Run alone, and as the composition root stacks it (hints
// over the journal over the client).

describeWithMosquitto('payment hints as Payments', () => {
  let broker: Mosquitto;
  let publisher: TelemetryPublisher;
  let outbox: SqliteOutbox;
  let dir: string;

  beforeAll(async () => {
    broker = await Mosquitto.start();
    dir = await mkdtemp(join(tmpdir(), 'vk-hints-contract-'));
    outbox = SqliteOutbox.open(join(dir, OUTBOX_FILE));
    publisher = new TelemetryPublisher({
      url: broker.url,
      site: 'test-site',
      device: 'hints-contract',
      version: 'test',
      outbox,
      username: broker.username,
      password: broker.password,
    });
    publisher.start();
    await waitFor('the kiosk on the broker', () => publisher.stats().connected);
  });
  afterAll(async () => {
    await publisher?.stop();
    outbox?.stop();
    await broker?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const hinted = (inner: Payments) =>
    new PaymentHints(inner, {
      merchantSerialNumber: '123456',
      link: publisher,
      logger: silentLogger,
      subscribeTimeoutMs: 1_000,
      watchForMs: 60_000,
    });

  paymentsContract('hints wrapper on a live MQTT link', async (vipps) => {
    const payments = hinted(vipps);
    return { payments, stop: () => payments.stop() };
  });

  paymentsContract('hints over journaling, as the kiosk composes them', async (vipps) => {
    const journal = SqliteJournal.open(join(dir, JOURNAL_FILE));
    const payments = hinted(new JournalingPayments(vipps, journal));
    return {
      payments,
      stop: () => {
        payments.stop();
        journal.stop();
      },
    };
  });
});
