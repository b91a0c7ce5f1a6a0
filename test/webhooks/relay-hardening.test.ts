import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../common/log/logger.js';
import { RelayConfigError } from '../../common/relay-secrets.js';
import { signDelivery } from '../../contracts/webhook-signature.js';
import { RejectionLog } from '../../hq/webhook-relay/rejection-log.js';
import { RelayPublisher } from '../../hq/webhook-relay/relay-publisher.js';
import { registrationFromFlag, relayConfigSchema } from '../../hq/webhook-relay/relay-settings.js';
import { WebhookRelay } from '../../hq/webhook-relay/webhook-relay.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { waitFor } from '../telemetry/subscriber.js';
import { webhookBody } from './webhook-body.js';

// The relay faces the internet (issue 15, finding 8). The attacks: flood it with forged deliveries to
// fill HQ's log, read its counters from /healthz, hand it a webhook secret other users can read, and
// reach it around its TLS proxy.

const HOOK = 'https://hooks.hq.example/vipps/123456';

function capturingLogger(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level: 'info', journal: true, write: (l) => lines.push(l) }) };
}

describeWithMosquitto('webhook relay under attack', () => {
  let broker: Mosquitto;
  let relay: WebhookRelay;
  let url: string;
  const log = capturingLogger();

  beforeAll(async () => {
    broker = await Mosquitto.start();
    const publisher = new RelayPublisher({
      url: broker.url,
      username: broker.username,
      password: broker.password,
      logger: log.logger.child('mqtt'),
    });
    relay = new WebhookRelay(
      {
        host: '127.0.0.1',
        port: 0,
        registrations: [{ msn: '123456', url: HOOK, secret: 'the-real-secret' }],
        maxSkewMs: 300_000,
        maxBodyBytes: 65_536,
        failedSignaturesPerMinute: 10,
        logger: log.logger,
      },
      publisher,
    );
    url = await relay.start();
    await waitFor('the relay on the broker', () => publisher.connected);
  });
  afterAll(async () => {
    await relay?.stop();
    await broker?.dispose();
  });

  const forged = async () => {
    const raw = Buffer.from(JSON.stringify(webhookBody('kiosk07-0000000501-1')));
    const headers = signDelivery('guessed', new URL(HOOK), new Date().toUTCString(), raw);
    const response = await fetch(`${url}/vipps/123456`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: new Uint8Array(raw),
    });
    await response.arrayBuffer();
    return response.status;
  };

  it('a flood of forgeries is one summary line, not a line each', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push(await forged());
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    expect(log.lines.filter((line) => line.includes('refused'))).toEqual([]);
    await relay.stop(); // writes the summary of the interval that was running
    expect(log.lines.filter((line) => line.includes('refused'))).toEqual([
      '<4> [kiosk] webhook deliveries refused in the last 60 s refused=40 bad-signature=10 ' +
        'too-many-failed-signatures=30 senders=1 busiest="127.0.0.1 (40)"',
    ]);
    url = await relay.start();
  });

  it('/healthz says ok or not ok, and nothing an attacker could count with', async () => {
    expect(await forged()).toBe(429);
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('webhook relay settings', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-relay-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a --registration secret file other users can read', async () => {
    const file = join(dir, 'secret');
    await writeFile(file, 'the-real-secret\n');
    await chmod(file, 0o644);
    const refused = registrationFromFlag(`123456,${HOOK},${file}`);
    await expect(refused).rejects.toBeInstanceOf(RelayConfigError);
    await expect(refused).rejects.toMatchObject({
      problems: [
        `${file}: mode 0644 lets other users read the webhook secrets; fix with: chmod 0600 ${file}`,
      ],
    });
    await chmod(file, 0o600);
    await expect(registrationFromFlag(`123456,${HOOK},${file}`)).resolves.toEqual({
      msn: '123456',
      url: HOOK,
      secret: 'the-real-secret',
    });
  });

  it('listens on loopback unless told otherwise (the TLS proxy in front of it is the way in)', () => {
    expect(relayConfigSchema.parse({ broker: 'mqtts://hq.example.com:8883' }).host).toBe('127.0.0.1');
  });
});

describe('the rejection log', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes one line per interval with refusals, and none for a quiet one', () => {
    vi.useFakeTimers();
    const log = capturingLogger();
    const rejections = new RejectionLog(log.logger, 60_000);
    rejections.start();
    rejections.record('bad-signature', '192.0.2.7');
    rejections.record('bad-signature', '192.0.2.7');
    rejections.record('body-too-large', '198.51.100.1');
    vi.advanceTimersByTime(60_000);
    vi.advanceTimersByTime(60_000);
    rejections.record('stale-date', '198.51.100.1');
    rejections.stop();
    expect(log.lines).toEqual([
      '<4> [kiosk] webhook deliveries refused in the last 60 s refused=3 bad-signature=2 body-too-large=1 senders=2 busiest="192.0.2.7 (2)"',
      '<4> [kiosk] webhook deliveries refused in the last 60 s refused=1 stale-date=1 senders=1 busiest="198.51.100.1 (1)"',
    ]);
  });
});
