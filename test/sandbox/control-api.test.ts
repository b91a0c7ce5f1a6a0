// The control API under /_sandbox/ and the phone page.

import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { asArray, asObject, type JsonObject, request, TOTAL, useSandbox, validPayment } from './helpers.js';

const vipps = useSandbox();
const MINUTE = 60_000;

async function listed(query = ''): Promise<JsonObject[]> {
  const answer = await vipps().control('GET', `/payments${query}`);
  expect(answer.status).toBe(200);
  return asArray(answer.body) as JsonObject[];
}

describe('/_sandbox/payments', () => {
  it('lists each payment with the exact request, the customer, the events and its deadline', async () => {
    const body = validPayment();
    const reference = await vipps().created(body);
    const [payment] = await listed();
    expect(payment).toMatchObject({
      reference,
      state: 'CREATED',
      processing: false,
      amount: { currency: 'NOK', value: TOTAL },
      customer: '4791234567',
      request: body,
      openedAt: null,
    });
    expect(asArray(payment?.['events']).map((event) => asObject(event)['name'])).toEqual(['CREATED']);
    const createdAt = Date.parse(String(payment?.['createdAt']));
    expect(Date.parse(String(payment?.['expiresAt'])) - createdAt).toBe(5 * MINUTE);
  });

  it('filters by the customer a payment goes to', async () => {
    await vipps().created();
    const forOla = validPayment();
    forOla['customer'] = { phoneNumber: '4798765432' };
    const reference = await vipps().created(forOla);
    expect((await listed('?msisdn=4798765432')).map((payment) => payment['reference'])).toEqual([reference]);
  });

  it('opens a request: it is processing and has 5 minutes from now', async () => {
    const reference = await vipps().created();
    vipps().sandbox.clock.advance(2 * MINUTE);
    const answer = await vipps().control('POST', `/payments/${reference}/open`);
    expect(answer.status).toBe(200);
    const payment = asObject(answer.body);
    expect(payment['processing']).toBe(true);
    expect(Date.parse(String(payment['expiresAt'])) - Date.parse(String(payment['openedAt']))).toBe(
      5 * MINUTE,
    );
  });

  it('refuses to approve or reject a payment that is no longer CREATED (409)', async () => {
    const reference = await vipps().authorized();
    for (const action of ['approve', 'reject', 'open']) {
      const answer = await vipps().control('POST', `/payments/${reference}/${action}`);
      expect(answer.status).toBe(409);
      expect(asObject(answer.body)['error']).toMatch(/AUTHORIZED/);
    }
  });

  it('refuses to approve an expired payment (409)', async () => {
    const reference = await vipps().created();
    vipps().sandbox.clock.advance(5 * MINUTE);
    const answer = await vipps().control('POST', `/payments/${reference}/approve`);
    expect(answer.status).toBe(409);
    expect(asObject(answer.body)['error']).toMatch(/EXPIRED/);
  });

  it('lets anyone pay a landing-page payment, but someone must say who', async () => {
    const body = validPayment();
    Object.assign(body, { userFlow: 'WEB_REDIRECT', returnUrl: 'https://example.com/done' });
    delete body['customer'];
    const created = await vipps().createPayment(body);
    expect(asObject(created.body)['redirectUrl']).toBe(`${vipps().sandbox.url}/phone`);
    const reference = String(body['reference']);
    expect((await vipps().control('POST', `/payments/${reference}/approve`)).status).toBe(409);
    const approved = await vipps().control('POST', `/payments/${reference}/approve`, {
      msisdn: '4745566778',
    });
    expect(asObject(approved.body)).toMatchObject({ state: 'AUTHORIZED', customer: '4745566778' });
  });

  it('answers 404 for an unknown reference or route', async () => {
    expect((await vipps().control('POST', '/payments/kiosk07-nothing/approve')).status).toBe(404);
    expect((await vipps().control('GET', '/nothing')).status).toBe(404);
  });
});

describe('/_sandbox/users and /_sandbox/credentials', () => {
  it('lists the test customers with both personal QR formats', async () => {
    const users = asArray((await vipps().control('GET', '/users')).body) as JsonObject[];
    expect(users.length).toBeGreaterThanOrEqual(5);
    expect(users).toEqual(vipps().sandbox.customers);
    for (const user of users) {
      expect(user['msisdn']).toMatch(/^47[49]\d{7}$/);
      expect(user['personalQrV1']).toBe(`https://qr.vipps.no/28/2/01/031/${String(user['msisdn'])}?v=1`);
      expect(user['personalQrV2']).toMatch(/^https:\/\/qr\.vipps\.no\/p\/[A-Za-z0-9_-]{16,}$/);
    }
  });

  it('tells the accepted credentials', async () => {
    expect((await vipps().control('GET', '/credentials')).body).toEqual(vipps().sandbox.credentials);
  });
});

describe('/_sandbox/clock', () => {
  it('jumps ahead and changes speed', async () => {
    const before = asObject((await vipps().control('GET', '/clock')).body);
    const after = asObject((await vipps().control('POST', '/clock', { advanceMs: 90_000, speed: 0 })).body);
    expect(Number(after['now']) - Number(before['now'])).toBeGreaterThanOrEqual(90_000);
    expect(after['speed']).toBe(0);
    const frozen = asObject((await vipps().control('GET', '/clock')).body);
    expect(frozen['now']).toBe(after['now']);
    expect((await vipps().control('POST', '/clock', { speed: 1 })).status).toBe(200);
  });

  it('refuses to go backwards', async () => {
    expect((await vipps().control('POST', '/clock', { advanceMs: -1 })).status).toBe(400);
  });
});

describe('/_sandbox/reset', () => {
  it('forgets payments, tokens and faults', async () => {
    await vipps().created();
    await vipps().control('POST', '/faults', { rules: [{ path: '/qr', status: 500 }] });
    expect((await vipps().control('POST', '/reset')).status).toBe(204);
    expect(await listed()).toEqual([]);
    expect(asObject((await vipps().control('GET', '/faults')).body)['rules']).toEqual([]);
    expect((await vipps().getPayment('kiosk07-anything')).status).toBe(401);
  });
});

describe('GET /phone', () => {
  it('serves one self-contained page with stable test ids', async () => {
    const answer = await request(`${vipps().sandbox.url}/phone?msisdn=4791234567`, 'GET');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/html/);
    const html = String(answer.body);
    // The buttons' ids (approve-<ref>, approve-login-<id>, ...) are clicked in test/sandbox/login-phone-page.test.ts.
    for (const hook of ["'payment-' + ref", "'login-' + id", 'data-testid="customer-select"']) {
      expect(html).toContain(hook);
    }
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(answer.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
});

/** A control request as a browser page would send it, Origin and Host as given (fetch will not set Host). */
function rawPost(base: string, path: string, headers: Record<string, string>): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('who may use the control API', () => {
  // Issue 15, finding 4: a page on another origin (or a DNS-rebound name) approved payments as the customer.
  it('refuses a cross-origin page and a DNS-rebound name, and takes the phone page, curl and tests', async () => {
    const reference = await vipps().created(validPayment());
    const base = vipps().sandbox.url;
    const approve = `/_sandbox/payments/${reference}/approve`;
    const port = new URL(base).port;
    // A simple request (no preflight): text/plain, no body, from a page on evil.example.
    expect(
      await rawPost(base, approve, { origin: 'http://evil.example', 'content-type': 'text/plain' }),
    ).toBe(403);
    expect(await rawPost(base, approve, { origin: 'http://evil.example' })).toBe(403);
    // The page on evil.example:port once its name points at 127.0.0.1: same origin as far as the browser knows.
    const rebound = `evil.example:${port}`;
    expect(
      await rawPost(base, approve, {
        host: rebound,
        origin: `http://${rebound}`,
        'content-type': 'application/json',
      }),
    ).toBe(403);
    // The sandbox's own page, but a form's text/plain post.
    expect(await rawPost(base, approve, { origin: base, 'content-type': 'text/plain' })).toBe(415);
    expect((await vipps().control('GET', `/payments`)).body).toMatchObject([{ reference, state: 'CREATED' }]);

    // The phone page (same origin, JSON) and a tool without a browser (no Origin, empty body) get in.
    expect(await rawPost(base, `/_sandbox/payments/${reference}/open`, {})).toBe(200);
    expect(await rawPost(base, approve, { origin: base, 'content-type': 'application/json' })).toBe(200);
    expect((await vipps().control('GET', `/payments`)).body).toMatchObject([
      { reference, state: 'AUTHORIZED' },
    ]);
  });
});
