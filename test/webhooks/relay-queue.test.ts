import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import { signDelivery } from '../../contracts/webhook-signature.js';
import { RelayPublisher } from '../../hq/webhook-relay/relay-publisher.js';
import { WebhookRelay } from '../../hq/webhook-relay/webhook-relay.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { Subscriber, waitFor } from '../telemetry/subscriber.js';
import { webhookBody } from './webhook-body.js';

// What keeps Vipps' queue moving (API.md §5.4: any 4xx/5xx is retried for up to 7 days, and a failing
// delivery holds back the later ones of its registration): an authentic delivery the relay cannot use is
// answered 2xx and counted; a retry dated up to 7 days back is still authentic; the same event twice in
// those 7 days is published once; and only deliveries whose signature fails are ever rate-limited.
// The relay's clock is injected; each delivery is signed with a date on that clock.

const HOOK = 'https://hooks.hq.example/vipps/123456';
const SECRET = 'the-registration-secret-for-123456';
const DAY = 86_400_000;
const START = Date.parse('2026-11-23T14:00:00.000Z');

describeWithMosquitto('webhook relay: nothing authentic stalls the queue', () => {
  let broker: Mosquitto;
  let hq: Subscriber;
  let relay: WebhookRelay;
  let publisher: RelayPublisher;
  let url: string;
  let now = START;

  beforeAll(async () => {
    broker = await Mosquitto.start();
    hq = await Subscriber.connect(broker, ['vk/v1/vipps/#']);
    publisher = new RelayPublisher({
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
          { msn: '123456', url: HOOK, secret: SECRET },
          { msn: '654321', url: 'https://hooks.hq.example/vipps/654321', secret: 'the-other-secret' },
        ],
        maxSkewMs: 300_000,
        maxBodyBytes: 65_536,
        rememberedEvents: 4,
        failedSignaturesPerMinute: 5,
        logger: silentLogger,
        now: () => now,
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

  /** A delivery as Vipps sends it, signed at `signedAt` (default: the relay's now). */
  const signed = (body: unknown, options: { signedAt?: number; secret?: string } = {}) => {
    const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const date = new Date(options.signedAt ?? now).toUTCString();
    return { raw, headers: signDelivery(options.secret ?? SECRET, new URL(HOOK), date, raw) };
  };
  const post = async ({ raw, headers }: ReturnType<typeof signed>) => {
    const response = await fetch(`${url}/vipps/123456`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: new Uint8Array(raw),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as Record<string, unknown>,
    };
  };
  const deliver = (body: unknown, options: { signedAt?: number; secret?: string } = {}) =>
    post(signed(body, options));
  const onTopic = (reference: string) => hq.json(`vk/v1/vipps/123456/payments/${reference}`);
  /** Published ends with `reference`'s event: QoS 1 from one client arrives in order, so nothing else came. */
  const lastPublishedIs = async (reference: string) => {
    await waitFor(`${reference} relayed`, () => onTopic(reference).length === 1);
    return hq.messages.at(-1)?.topic === `vk/v1/vipps/123456/payments/${reference}`;
  };

  it('answers 200 to an authentic delivery it cannot use, counts it, and publishes nothing', async () => {
    const before = hq.messages.length;
    const reference = 'kiosk07-0000000101-1';
    const unusable: Array<[string, unknown, string]> = [
      ['not JSON', '{"msn": ', 'body-not-json'],
      ['not an ePayment event', { msn: '123456', reference }, 'not-an-epayment-event'],
      ['an event name it does not know', webhookBody(reference, 'REAUTHORIZED'), 'not-an-epayment-event'],
      ["another sales unit's event", { ...webhookBody(reference), msn: '654321' }, 'msn-not-registered-here'],
    ];
    for (const [what, body, reason] of unusable)
      expect({ what, ...(await deliver(body)) }).toEqual({
        what,
        status: 200,
        retryAfter: null,
        body: { received: true, relayed: false, reason },
      });
    expect(relay.stats().unusable).toEqual({
      'body-not-json': 1,
      'not-an-epayment-event': 2,
      'msn-not-registered-here': 1,
    });
    expect(relay.stats().rejected).toEqual({});
    // A field Vipps adds inside `amount` is read past: the event is relayed, with the amount it knows.
    const lenient = 'kiosk07-0000000102-1';
    const withNewField = webhookBody(lenient, 'AUTHORIZED', {
      amount: { currency: 'NOK', value: 2490, breakdown: { tip: 0 } },
    });
    expect(await deliver(withNewField)).toMatchObject({ status: 200, body: { received: true } });
    expect(await lastPublishedIs(lenient)).toBe(true);
    expect(hq.messages.length).toBe(before + 1);
    expect(onTopic(lenient)[0]).toMatchObject({ amount: { currency: 'NOK', value: 2490 } });
  });

  it('accepts an x-ms-date up to 7 days old and a few minutes ahead, and refuses beyond', async () => {
    const dated = (offsetMs: number, n: number) =>
      deliver(webhookBody(`kiosk07-00000002${String(n).padStart(2, '0')}-1`), { signedAt: now + offsetMs });
    // A retry on day 7 that kept its first attempt's date, and a sender's clock 4 minutes fast.
    expect((await dated(-7 * DAY + 60_000, 1)).status).toBe(200);
    expect((await dated(4 * 60_000, 2)).status).toBe(200);
    expect((await dated(-7 * DAY - 10 * 60_000, 3)).body).toEqual({ error: 'stale-date' });
    expect((await dated(10 * 60_000, 4)).body).toEqual({ error: 'stale-date' });
    expect(await lastPublishedIs('kiosk07-0000000202-1')).toBe(true);
    expect(onTopic('kiosk07-0000000201-1')).toHaveLength(1);
  });

  it('publishes an event once in 7 days however often it comes, in bounded memory; a replay changes nothing', async () => {
    const reference = 'kiosk07-0000000301-1';
    const first = signed(webhookBody(reference));
    expect((await post(first)).status).toBe(200);
    await waitFor('the first copy', () => onTopic(reference).length === 1);
    const published = publisher.stats().published;
    const stats = relay.stats();
    const duplicates = stats.duplicates;

    // Six days on: Vipps' retry with its original date, one re-signed now, and the very same bytes replayed.
    now += 6 * DAY;
    expect(await post(first)).toEqual({ status: 200, retryAfter: null, body: { received: true } });
    expect((await deliver(webhookBody(reference))).status).toBe(200);
    expect(publisher.stats().published).toBe(published);
    expect(relay.stats()).toEqual({ ...stats, duplicates: duplicates + 2 });

    // After 7 days it is forgotten (Vipps has stopped retrying by then): a re-signed copy is published.
    now += DAY + 60_000;
    expect((await deliver(webhookBody(reference))).status).toBe(200);
    await waitFor('the copy after 7 days', () => onTopic(reference).length === 2);

    // The memory is bounded (4 events here): the oldest is forgotten first.
    for (const n of [2, 3, 4, 5]) await deliver(webhookBody(`kiosk07-000000030${n}-1`));
    expect((await deliver(webhookBody(reference))).status).toBe(200);
    await waitFor('the evicted event again', () => onTopic(reference).length === 3);
  });

  it('rate-limits only deliveries whose signature fails', async () => {
    const forged = () => deliver(webhookBody('kiosk07-0000000401-1'), { secret: 'guessed' });
    for (let i = 0; i < 5; i++) expect((await forged()).status).toBe(401);
    const limited = await forged();
    expect(limited).toEqual({ status: 429, retryAfter: '60', body: { error: 'too-many-failed-signatures' } });
    // Vipps, from the same address (behind the same proxy), is not held back by the forger.
    const reference = 'kiosk07-0000000402-1';
    expect((await deliver(webhookBody(reference))).status).toBe(200);
    expect(await lastPublishedIs(reference)).toBe(true);
    expect((await forged()).status).toBe(429);
    // A minute later the sender gets its answers again.
    now += 60_000;
    expect((await forged()).status).toBe(401);
    expect(relay.stats().rejected).toMatchObject({ 'bad-signature': 6, 'too-many-failed-signatures': 2 });
  });
});
