// Webhook deliveries the sandbox gives when switched: a retry signed with its first attempt's x-ms-date,
// and events with `success: false`; and the payload's `msn` is the payment's own sales unit.

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDelivery } from '../../contracts/webhook-signature.js';
import { asObject, nok, TOTAL, useSandbox, validPayment } from './helpers.js';

const HOOK = 'https://hooks.example.com/vipps';

interface Delivery {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Answers each delivery with the next scripted status (then 200), keeping what it was sent. */
class ScriptedReceiver {
  readonly deliveries: Delivery[] = [];
  private statuses: number[] = [];
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.deliveries.push({ headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(this.statuses.shift() ?? 200).end();
    });
  });

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  script(statuses: number[]): void {
    this.statuses = [...statuses];
    this.deliveries.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const vipps = useSandbox();
const receiver = new ScriptedReceiver();
let origin = '';

beforeAll(async () => {
  origin = await receiver.listen();
});
afterAll(() => receiver.close());

async function registered(events: string[], retryDate?: 'original'): Promise<string> {
  const routed = await vipps().control('POST', '/webhooks', {
    routes: [{ host: 'hooks.example.com', origin }],
    retryMs: [1_100, 1_100],
    ...(retryDate === undefined ? {} : { retryDate }),
  });
  expect(routed.status).toBe(200);
  const answer = await vipps().send('POST', '/webhooks/v1/webhooks', { body: { url: HOOK, events } });
  expect(answer.status).toBe(201);
  return String(asObject(answer.body)['secret']);
}

const payload = (delivery: Delivery) => asObject(JSON.parse(delivery.body.toString('utf8')));

describe('webhook switches', () => {
  it('signs a retry with the first attempt x-ms-date when switched to original', async () => {
    const secret = await registered(['epayments.payment.created.v1'], 'original');
    receiver.script([500]);
    await vipps().created();
    await expect.poll(() => receiver.deliveries.length, { timeout: 5_000 }).toBe(2);
    const [first, retry] = receiver.deliveries;
    expect(retry!.headers['x-ms-date']).toBe(first!.headers['x-ms-date']);
    const header = (name: string) => String(retry!.headers[name]);
    const signed = verifyDelivery(
      [{ url: new URL(HOOK), secret }],
      {
        date: header('x-ms-date'),
        contentSha256: header('x-ms-content-sha256'),
        authorization: header('authorization'),
      },
      retry!.body,
      { now: Date.now(), maxSkewMs: 60_000 },
    );
    expect(signed.ok).toBe(true);
  });

  it('signs each attempt with its own time by default', async () => {
    await registered(['epayments.payment.created.v1']);
    receiver.script([500]);
    await vipps().created();
    await expect.poll(() => receiver.deliveries.length, { timeout: 5_000 }).toBe(2);
    const [first, retry] = receiver.deliveries;
    expect(retry!.headers['x-ms-date']).not.toBe(first!.headers['x-ms-date']);
  });

  it('delivers a failed approval and a failed capture with success: false', async () => {
    await registered(['epayments.payment.authorized.v1', 'epayments.payment.captured.v1']);
    receiver.script([]);
    const reference = await vipps().created();
    await vipps().control('POST', `/payments/${reference}/approve`, { success: false });
    await vipps().control('POST', `/payments/${reference}/approve`);
    await vipps().control('POST', `/payments/${reference}/refuse`, { answer: '6260' });
    await vipps().modify(reference, 'capture', { modificationAmount: nok(TOTAL) }, 'capture-1');
    await expect.poll(() => receiver.deliveries.length, { timeout: 5_000 }).toBe(3);
    expect(receiver.deliveries.map(payload).map((event) => [event['name'], event['success']])).toEqual([
      ['AUTHORIZED', false],
      ['AUTHORIZED', true],
      ['CAPTURED', false],
    ]);
  });

  it("sends the payment's own sales unit as msn", async () => {
    await registered(['epayments.payment.created.v1']);
    receiver.script([]);
    const body = {
      ...validPayment(),
      amount: { currency: 'DKK', value: TOTAL },
      customer: { phoneNumber: '4520123456' },
    };
    delete (body as Record<string, unknown>)['receipt'];
    const created = await vipps().send('POST', '/epayment/v1/payments', {
      body,
      headers: { 'Merchant-Serial-Number': '234567', 'Idempotency-Key': 'create-1' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await expect.poll(() => receiver.deliveries.length, { timeout: 5_000 }).toBe(1);
    expect(payload(receiver.deliveries[0]!)['msn']).toBe('234567');
  });
});
