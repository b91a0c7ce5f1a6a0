import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyDelivery } from '../../contracts/webhook-signature.js';
import { VippsApiError } from '../../device/vipps/errors.js';
import { KIOSK_WEBHOOK_EVENTS } from '../../device/vipps/webhooks.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { asObject, VippsTestClient, validPayment } from '../sandbox/helpers.js';
import { SandboxControl } from '../support/sandbox-control.js';
import { testClient } from '../support/vipps-client.js';
import { waitFor } from '../telemetry/subscriber.js';
import { Receiver } from './receiver.js';

// The sandbox's Webhooks API (register, list, delete; as strict as Vipps) and its signed deliveries: in
// order per payment, retried on a (compressed) schedule, a failing one holding back the later events.

const HOOK = 'https://hooks.hq.example/vipps/123456';

describe('sandbox Webhooks API', () => {
  let sandbox: RunningSandbox;
  let raw: VippsTestClient;

  beforeAll(async () => {
    sandbox = await startSandbox();
    raw = new VippsTestClient(sandbox);
    await raw.authenticate();
  });
  afterAll(() => sandbox.close());
  afterEach(() => fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' }).then(() => raw.authenticate()));

  const register = (body: unknown, headers: Record<string, string | null> = {}) =>
    raw.send('POST', '/webhooks/v1/webhooks', { body, headers });

  it('registers, lists and deletes; the secret is given once', async () => {
    const created = await register({ url: HOOK, events: ['epayments.payment.authorized.v1'] });
    expect(created.status).toBe(201);
    const { id, secret } = asObject(created.body) as { id: string; secret: string };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(secret.length).toBeGreaterThan(30);
    const listed = await raw.send('GET', '/webhooks/v1/webhooks');
    expect(listed.body).toEqual({
      webhooks: [{ id, url: HOOK, events: ['epayments.payment.authorized.v1'] }],
    });
    expect((await raw.send('DELETE', `/webhooks/v1/webhooks/${id}`)).status).toBe(204);
    expect((await raw.send('DELETE', `/webhooks/v1/webhooks/${id}`)).status).toBe(404);
    expect((await raw.send('GET', '/webhooks/v1/webhooks')).body).toEqual({ webhooks: [] });
  });

  it('refuses what Vipps refuses', async () => {
    const refused = async (body: unknown, headers: Record<string, string | null> = {}) => {
      const answer = await register(body, headers);
      return [answer.status, JSON.stringify(answer.body)] as const;
    };
    const events = ['epayments.payment.authorized.v1'];
    expect(await refused({ url: 'http://hooks.hq.example/x', events })).toEqual([
      400,
      expect.stringMatching(/HTTPS/),
    ]);
    for (const local of [
      'https://localhost/x',
      'https://127.0.0.1/x',
      'https://192.168.1.10/x',
      'https://relay/x',
    ])
      expect((await refused({ url: local, events }))[1]).toMatch(/world-reachable/);
    expect((await refused({ url: HOOK, events: ['epayments.payment.approved.v1'] }))[1]).toMatch(
      /events\[0\]/,
    );
    expect((await refused({ url: HOOK, events: [] }))[1]).toMatch(/at least 1/);
    expect((await refused({ url: HOOK, events, secret: 'mine' }))[0]).toBe(400);
    expect((await refused({ url: HOOK, events }, { 'Merchant-Serial-Number': '654321' }))[0]).toBe(403);
    expect((await refused({ url: HOOK, events }, { Authorization: null }))[0]).toBe(401);
    expect((await raw.send('DELETE', '/webhooks/v1/webhooks/not-a-uuid')).status).toBe(400);
    for (let i = 0; i < 25; i++) expect((await register({ url: `${HOOK}/${i}`, events })).status).toBe(201);
    expect(await refused({ url: HOOK, events })).toEqual([400, expect.stringMatching(/25 webhooks already/)]);
  });

  it('is what the kiosk client registers, lists and deletes through', async () => {
    const client = testClient(sandbox.url, sandbox.credentials);
    try {
      const { id, secret } = await client.webhooks.register(HOOK, KIOSK_WEBHOOK_EVENTS);
      expect(secret).not.toBe('');
      expect(await client.webhooks.list()).toEqual([{ id, url: HOOK, events: [...KIOSK_WEBHOOK_EVENTS] }]);
      await client.webhooks.delete(id);
      expect(await client.webhooks.list()).toEqual([]);
      const refused = await client.webhooks
        .register('http://insecure.example/x', KIOSK_WEBHOOK_EVENTS)
        .catch((e) => e);
      expect(refused).toBeInstanceOf(VippsApiError);
      expect((refused as VippsApiError).status).toBe(400);
    } finally {
      await client.stop();
    }
  });
});

describe('sandbox webhook deliveries', () => {
  let sandbox: RunningSandbox;
  let receiver: Receiver;
  let raw: VippsTestClient;

  beforeAll(async () => {
    sandbox = await startSandbox();
    receiver = new Receiver();
    const origin = await receiver.start();
    raw = new VippsTestClient(sandbox);
    await raw.authenticate();
    await fetch(`${sandbox.url}/_sandbox/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ routes: [{ host: 'hooks.hq.example', origin }], retryMs: [20, 20, 40] }),
    });
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.stop();
  });

  it('signs each event for the registered URL and delivers it in order, retrying a failure first', async () => {
    const created = await raw.send('POST', '/webhooks/v1/webhooks', {
      body: { url: `${HOOK}?key=a`, events: [...KIOSK_WEBHOOK_EVENTS, 'epayments.payment.created.v1'] },
    });
    const { secret } = asObject(created.body) as { secret: string };
    const payment = validPayment();
    const reference = String(payment.reference);
    // AUTHORIZED fails twice (500, then 503); CAPTURED must wait behind it.
    receiver.answer = (delivery, attempt) =>
      delivery.event.name === 'AUTHORIZED' && attempt <= 2 ? 500 + attempt : 200;
    const key = { 'Idempotency-Key': `${reference}-create` };
    expect((await raw.send('POST', '/epayment/v1/payments', { body: payment, headers: key })).status).toBe(
      201,
    );
    await new SandboxControl(sandbox).act(reference, 'approve');
    const capture = { modificationAmount: payment.amount };
    const captured = await raw.send('POST', `/epayment/v1/payments/${reference}/capture`, {
      body: capture,
      headers: { 'Idempotency-Key': `${reference}-capture-1` },
    });
    expect(captured.status).toBe(200);
    await waitFor('CAPTURED delivered', () => receiver.deliveries.some((d) => d.event.name === 'CAPTURED'));

    const mine = receiver.deliveries.filter((d) => d.event.reference === reference);
    expect(mine.map((d) => d.event.name)).toEqual([
      'CREATED',
      'AUTHORIZED',
      'AUTHORIZED',
      'AUTHORIZED',
      'CAPTURED',
    ]);
    for (const delivery of mine) {
      // Routed like a TLS proxy would: the registered path and query, the receiver's own Host.
      expect(delivery.path).toBe('/vipps/123456?key=a');
      expect(delivery.host).toMatch(/^127\.0\.0\.1:/);
      expect(delivery.event).toMatchObject({ msn: sandbox.credentials.merchantSerialNumber, reference });
      const verdict = verifyDelivery(
        [{ url: new URL(`${HOOK}?key=a`), secret }],
        {
          date: delivery.headers['x-ms-date'] as string,
          contentSha256: delivery.headers['x-ms-content-sha256'] as string,
          authorization: delivery.headers.authorization as string,
        },
        delivery.body,
        { now: Date.now(), maxSkewMs: 60_000 },
      );
      expect(verdict.ok).toBe(true);
    }
    const log = (await (await fetch(`${sandbox.url}/_sandbox/webhooks`)).json()) as {
      attempts: Array<{ name: string; attempt: number; status: number }>;
    };
    expect(log.attempts.filter((a) => a.name === 'AUTHORIZED').map((a) => [a.attempt, a.status])).toEqual([
      [1, 501],
      [2, 502],
      [3, 200],
    ]);
  });

  it('gives up on an event once the schedule is used up, and the next one goes', async () => {
    const created = await raw.send('POST', '/webhooks/v1/webhooks', {
      body: {
        url: 'https://hooks.hq.example/down',
        events: ['epayments.payment.aborted.v1', 'epayments.payment.created.v1'],
      },
    });
    expect(created.status).toBe(201);
    receiver.answer = (delivery) =>
      delivery.path === '/down' && delivery.event.name === 'CREATED' ? 500 : 200;
    const payment = validPayment();
    const reference = String(payment.reference);
    await raw.send('POST', '/epayment/v1/payments', {
      body: payment,
      headers: { 'Idempotency-Key': `${reference}-c` },
    });
    await new SandboxControl(sandbox).act(reference, 'reject');
    const down = () =>
      receiver.deliveries.filter((d) => d.path === '/down' && d.event.reference === reference);
    await waitFor('ABORTED after the dropped CREATED', () => down().some((d) => d.event.name === 'ABORTED'));
    // One attempt and three retries, then dropped.
    expect(down().map((d) => d.event.name)).toEqual(['CREATED', 'CREATED', 'CREATED', 'CREATED', 'ABORTED']);
  });
});

describe('registering a webhook through the client', () => {
  it('tries once: a registration whose answer was lost is reported as unknown, never made twice', async () => {
    const sandbox = await startSandbox();
    const client = testClient(sandbox.url, sandbox.credentials);
    const control = new SandboxControl(sandbox);
    try {
      await control.faults({
        rules: [{ method: 'POST', path: '/webhooks/v1/webhooks', status: 500, after: true }],
      });
      const failed = await client.webhooks
        .register(HOOK, KIOSK_WEBHOOK_EVENTS)
        .catch((error: unknown) => error);
      expect(failed).toMatchObject({ name: 'VippsUnavailableError', outcomeUnknown: true });
      await control.clearFaults();
      expect(await client.webhooks.list()).toHaveLength(1);
    } finally {
      await client.stop();
      await sandbox.close();
    }
  });
});
