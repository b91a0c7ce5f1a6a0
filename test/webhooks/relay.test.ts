import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { silentLogger } from '../../common/log/logger.js';
import { signDelivery } from '../../contracts/webhook-signature.js';
import { RelayPublisher } from '../../hq/webhook-relay/relay-publisher.js';
import { WebhookRelay } from '../../hq/webhook-relay/webhook-relay.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { Subscriber, waitFor } from '../telemetry/subscriber.js';
import { webhookBody } from './webhook-body.js';

// The relay over real HTTP into a real Mosquitto: what it publishes for a good delivery (validated against
// contracts/asyncapi.yaml), and every delivery it must refuse, with the status and the reason it gives.
// What it answers 200 without relaying (authentic but unusable) is in relay-queue.test.ts.

const HOOK = 'https://hooks.hq.example/vipps/123456';
const OTHER_MSN_HOOK = 'https://hooks.hq.example/vipps/654321';
const SECRET_A = 'first-registration-secret-for-123456';
const SECRET_B = 'second-registration-secret-for-123456';
const SECRET_C = 'the-secret-of-654321';

const asyncapi = parse(readFileSync(new URL('../../contracts/asyncapi.yaml', import.meta.url), 'utf8'));
const ajv = new Ajv({ strict: false, allowUnionTypes: true, formats: { 'date-time': true } });
// Only the components: the document's own top-level `id` is not a JSON Schema keyword.
ajv.addSchema({ components: asyncapi.components }, 'asyncapi');
const validRelayed = ajv.getSchema('asyncapi#/components/schemas/RelayedPaymentEvent')!;

async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeWithMosquitto('webhook relay', () => {
  let broker: Mosquitto;
  let hq: Subscriber;
  let relay: WebhookRelay;
  let url: string;

  beforeAll(async () => {
    broker = await Mosquitto.start();
    hq = await Subscriber.connect(broker, ['vk/v1/vipps/#']);
    const publisher = new RelayPublisher({
      url: broker.url,
      username: broker.username,
      password: broker.password,
      logger: silentLogger,
    });
    relay = new WebhookRelay(
      {
        host: '127.0.0.1',
        port: 0,
        registrations: [
          { msn: '123456', url: HOOK, secret: SECRET_A },
          { msn: '123456', url: HOOK, secret: SECRET_B },
          { msn: '654321', url: OTHER_MSN_HOOK, secret: SECRET_C },
        ],
        maxSkewMs: 300_000,
        maxBodyBytes: 65_536,
        logger: silentLogger,
      },
      publisher,
    );
    url = await relay.start();
    await waitFor('the relay on the broker', () => publisher.connected);
  });
  afterAll(async () => {
    await relay?.stop();
    await hq?.close();
    await broker?.dispose();
  });

  /** POSTs `body` to the relay as Vipps would, signed with `secret` for `registered`. */
  const deliver = async (
    body: unknown,
    options: {
      secret?: string;
      registered?: string;
      date?: Date;
      tamper?: (raw: Buffer) => Buffer;
      path?: string;
    } = {},
  ) => {
    const raw = Buffer.isBuffer(body)
      ? body
      : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const registered = new URL(options.registered ?? HOOK);
    const headers = signDelivery(
      options.secret ?? SECRET_B,
      registered,
      (options.date ?? new Date()).toUTCString(),
      raw,
    );
    const sent = options.tamper ? options.tamper(raw) : raw;
    const response = await fetch(`${url}${options.path ?? registered.pathname}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: new Uint8Array(sent),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const onTopic = (reference: string) => hq.json(`vk/v1/vipps/123456/payments/${reference}`);

  it('publishes a verified event to its payment topic, without customer data, once', async () => {
    const reference = 'kiosk07-0000000042-1';
    const first = await deliver(webhookBody(reference));
    expect(first).toEqual({ status: 200, body: { received: true } });
    await waitFor('the relayed event', () => onTopic(reference).length === 1);
    const [relayed] = onTopic(reference);
    expect(validRelayed(relayed), ajv.errorsText(validRelayed.errors)).toBe(true);
    expect(relayed).toMatchObject({ msn: '123456', reference, name: 'AUTHORIZED', success: true });
    expect(JSON.stringify(relayed)).not.toMatch(/4791234567|pspReference|userDetails/);
    expect(hq.on(`vk/v1/vipps/123456/payments/${reference}`)[0]).toMatchObject({ qos: 1, retain: false });

    // Vipps' retry of the same event (signed again, later) is answered 200 and not published again; the
    // next event of the payment is.
    expect((await deliver(webhookBody(reference), { secret: SECRET_A })).status).toBe(200);
    expect((await deliver(webhookBody(reference, 'CAPTURED'))).status).toBe(200);
    await waitFor('CAPTURED', () => onTopic(reference).length === 2);
    expect(onTopic(reference).map((e) => e.name)).toEqual(['AUTHORIZED', 'CAPTURED']);
    // The id is the event's, not the delivery's: another replica would publish the same id.
    expect(onTopic(reference)[0]!.id).not.toBe(onTopic(reference)[1]!.id);
  });

  it('refuses forged, altered, replayed and oversized deliveries, and publishes none of them', async () => {
    const reference = 'kiosk07-0000000043-1';
    const body = webhookBody(reference);
    const cases: Array<[string, Promise<{ status: number; body: Record<string, unknown> }>, number, string]> =
      [
        ['forged secret', deliver(body, { secret: 'guessed' }), 401, 'bad-signature'],
        [
          'signed for another host',
          deliver(body, { registered: 'https://relay.internal/vipps/123456' }),
          401,
          'bad-signature',
        ],
        [
          'altered body',
          deliver(body, { tamper: (raw) => Buffer.from(raw.toString().replace('2490', '1')) }),
          401,
          'content-hash-mismatch',
        ],
        [
          'replay of a delivery older than Vipps retries',
          deliver(body, { date: new Date(Date.now() - 8 * 86_400_000) }),
          401,
          'stale-date',
        ],
        ['huge body', deliver(Buffer.alloc(2 * 1024 * 1024, 'x')), 413, 'body-too-large'],
      ];
    for (const [what, answer, status, reason] of cases)
      expect({ what, ...(await answer) }).toEqual({ what, status, body: { error: reason } });
    const unsigned = await fetch(`${url}/vipps/123456`, { method: 'POST', body: JSON.stringify(body) });
    expect(unsigned.status).toBe(401);
    expect((await fetch(`${url}/vipps/123456`)).status).toBe(405);
    // A path a proxy rewrote still verifies against the registered URL.
    expect((await deliver(webhookBody('kiosk07-0000000044-1'), { path: '/internal/hook' })).status).toBe(200);
    await waitFor('the rewritten-path delivery', () => onTopic('kiosk07-0000000044-1').length === 1);
    expect(onTopic(reference)).toEqual([]);
    expect(relay.stats().rejected).toMatchObject({
      'bad-signature': 2,
      'stale-date': 1,
      'body-too-large': 1,
    });
    const health = await (await fetch(`${url}/healthz`)).json();
    expect(health).toEqual({ status: 'ok' });
  });

  it('answers 503 while the broker is away, so that Vipps delivers again later', async () => {
    await broker.stop();
    await until('the relay to notice', async () => (await fetch(`${url}/healthz`)).status === 503);
    const reference = 'kiosk07-0000000045-1';
    expect(await deliver(webhookBody(reference))).toEqual({
      status: 503,
      body: { error: 'broker-unreachable' },
    });
    await broker.run();
    await until('the relay back on the broker', async () => (await fetch(`${url}/healthz`)).status === 200);
    await waitFor('the subscriber back', () => hq.client.connected, 15_000);
    expect((await deliver(webhookBody(reference))).status).toBe(200);
    await waitFor('the event after the outage', () => onTopic(reference).length === 1, 15_000);
  });
});
