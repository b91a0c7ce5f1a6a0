// ePayment's one-time payment QR (userFlow QR): what the create answers in each qrFormat, the pictures
// behind its links, a phone scanning it (control API and the phone page in Chromium), and its expiry.

import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import {
  type Answer,
  asArray,
  asObject,
  expectProblem,
  type JsonObject,
  request,
  TOTAL,
  useSandbox,
  validPayment,
} from './helpers.js';

const vipps = useSandbox();
const KARI = '4791234567';
const OLA = '4798765432';
const METTE_DK = '4520123456';
const MINUTE = 60_000;

function qrPayment(qrFormat?: JsonObject): JsonObject {
  const { customer: _pushOnly, ...body } = validPayment();
  return { ...body, userFlow: 'QR', ...(qrFormat === undefined ? {} : { qrFormat }) };
}

async function createQr(qrFormat?: JsonObject): Promise<{ reference: string; redirectUrl: string }> {
  const body = qrPayment(qrFormat);
  const answer = await vipps().createPayment(body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  const { reference, redirectUrl } = asObject(answer.body);
  expect(reference).toBe(body['reference']);
  expect(redirectUrl).toBeTypeOf('string');
  return { reference: String(reference), redirectUrl: String(redirectUrl) };
}

const scan = (url: string, msisdn: string): Promise<Answer> =>
  vipps().control('POST', '/qr/scan', { url, msisdn });

async function controlPayments(msisdn?: string): Promise<JsonObject[]> {
  const query = msisdn === undefined ? '' : `?msisdn=${msisdn}`;
  return asArray((await vipps().control('GET', `/payments${query}`)).body).map(asObject);
}

const advance = (advanceMs: number) => vipps().control('POST', '/clock', { advanceMs });

describe('create with userFlow QR', () => {
  it('answers a link to an SVG picture of the QR when no qrFormat is given (the default)', async () => {
    const { redirectUrl } = await createQr();
    expect(redirectUrl).toMatch(/\/qr-image\/v1\/[\w-]+\.svg$/);
    const picture = await request(redirectUrl, 'GET');
    expect(picture.status).toBe(200);
    expect(picture.contentType).toBe('image/svg+xml');
    expect(String(picture.body)).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"/);
  });

  it('answers a PNG of the asked size for IMAGE/PNG', async () => {
    const { redirectUrl } = await createQr({ format: 'IMAGE/PNG', size: 300 });
    expect(redirectUrl).toMatch(/\.png\?size=300$/);
    const response = await fetch(redirectUrl);
    expect(response.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await response.arrayBuffer());
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(300); // IHDR width
  });

  it('answers the target URL itself for TEXT/TARGETURL; the payment waits for whoever scans it', async () => {
    const { reference, redirectUrl } = await createQr({ format: 'TEXT/TARGETURL' });
    expect(redirectUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/qr\/p\/[\w-]{16,}$/);
    expect(await vipps().payment(reference)).toMatchObject({ state: 'CREATED', amount: { value: TOTAL } });
    const [payment] = await controlPayments();
    expect(payment).toMatchObject({ reference, customer: null, processing: false });
    expect(await controlPayments(KARI)).toEqual([]);
    const open = asArray((await vipps().control('GET', '/qr')).body);
    expect(open).toEqual([expect.objectContaining({ reference, url: redirectUrl })]);
  });

  it.each([
    ['a customer', { customer: { phoneNumber: KARI } }, 'customer'],
    ['an unknown qrFormat', { qrFormat: { format: 'TEXT_TARGETURL' } }, 'qrFormat.format'],
    ['a PNG size under 100', { qrFormat: { format: 'IMAGE/PNG', size: 99 } }, 'qrFormat.size'],
    ['a qrFormat without format', { qrFormat: { size: 300 } }, 'qrFormat.format'],
  ])('refuses a QR payment with %s', async (_, change, field) => {
    const answer = await vipps().createPayment({ ...qrPayment(), ...change });
    expectProblem(answer, 400, { field });
  });

  it('refuses qrFormat on a push payment', async () => {
    const answer = await vipps().createPayment({ ...validPayment(), qrFormat: { format: 'IMAGE/SVG+XML' } });
    expectProblem(answer, 400, { field: 'qrFormat' });
  });

  it('repeats the same answer for the same Idempotency-Key and body', async () => {
    const body = qrPayment({ format: 'TEXT/TARGETURL' });
    const first = await vipps().createPayment(body, 'qr-create-1');
    const again = await vipps().createPayment(body, 'qr-create-1');
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
  });
});

describe('a phone scans the QR', () => {
  it('makes the payment the scanner’s, opened, to approve like a push; then it is captured', async () => {
    const { reference, redirectUrl } = await createQr({ format: 'TEXT/TARGETURL' });
    const scanned = await scan(redirectUrl, KARI);
    expect(scanned.status).toBe(200);
    expect(asObject(scanned.body)).toMatchObject({ reference, customer: KARI, processing: true });
    expect((await controlPayments(KARI)).map((payment) => payment['reference'])).toEqual([reference]);
    expect((await vipps().control('GET', '/qr')).body).toEqual([]);
    // Scanning it again on the same phone changes nothing.
    expect((await scan(redirectUrl, KARI)).status).toBe(200);
    expect((await vipps().control('POST', `/payments/${reference}/approve`)).status).toBe(200);
    const capture = await vipps().modify(reference, 'capture', {
      modificationAmount: { currency: 'NOK', value: TOTAL },
    });
    expect(capture.status).toBe(200);
  });

  it('refuses a second phone, a link that is no payment QR, and a customer of another market', async () => {
    const { redirectUrl } = await createQr({ format: 'TEXT/TARGETURL' });
    expect((await scan(redirectUrl, METTE_DK)).status).toBe(409);
    expect((await scan(redirectUrl, KARI)).status).toBe(200);
    expect((await scan(redirectUrl, OLA)).status).toBe(409);
    expect((await scan(`${vipps().sandbox.url}/qr/p/not-a-token-at-all-here`, KARI)).status).toBe(409);
    expect((await scan('https://example.com/anything', KARI)).status).toBe(404);
  });

  it('scans the link of a picture’s QR too: the picture encodes the same target URL', async () => {
    const { reference, redirectUrl } = await createQr();
    const token = /\/qr-image\/v1\/([\w-]+)\.svg$/.exec(redirectUrl)?.[1];
    expect((await scan(`${vipps().sandbox.url}/qr/p/${token}`, KARI)).status).toBe(200);
    expect(await controlPayments(KARI)).toEqual([expect.objectContaining({ reference })]);
  });

  it('is merchant-cancellable before the scan, not while the scanner decides (6250)', async () => {
    const first = await createQr({ format: 'TEXT/TARGETURL' });
    expect((await vipps().modify(first.reference, 'cancel', {})).status).toBe(200);
    expect((await vipps().payment(first.reference))['state']).toBe('TERMINATED');
    expect((await scan(first.redirectUrl, KARI)).status).toBe(409);

    const second = await createQr({ format: 'TEXT/TARGETURL' });
    await scan(second.redirectUrl, KARI);
    expectProblem(await vipps().modify(second.reference, 'cancel', {}), 409, { errorCode: '6250' });
  });
});

describe('expiry, as for a push (API.md §3.5): the scan is the opening', () => {
  // The sandbox clock stands still, so a millisecond either side of the deadline is exact.
  beforeEach(async () => {
    await vipps().control('POST', '/clock', { speed: 0 });
  });
  afterEach(async () => {
    await vipps().control('POST', '/clock', { speed: 1 });
  });

  it('expires 5 minutes after the create when nobody scans it', async () => {
    const { reference, redirectUrl } = await createQr({ format: 'TEXT/TARGETURL' });
    await advance(5 * MINUTE - 1);
    expect((await vipps().payment(reference))['state']).toBe('CREATED');
    await advance(1);
    expect((await vipps().payment(reference))['state']).toBe('EXPIRED');
    expect((await scan(redirectUrl, KARI)).status).toBe(409);
  });

  it('gives 5 more minutes from the scan', async () => {
    const { reference, redirectUrl } = await createQr({ format: 'TEXT/TARGETURL' });
    await advance(4 * MINUTE);
    await scan(redirectUrl, KARI);
    await advance(5 * MINUTE - 1);
    expect((await vipps().payment(reference))['state']).toBe('CREATED');
    await advance(1);
    expect((await vipps().payment(reference))['state']).toBe('EXPIRED');
  });
});

describe('the phone page’s "Scan with phone"', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('takes a pasted link: the payment appears for approval and is approved', async () => {
    const { reference, redirectUrl } = await createQr({ format: 'TEXT/TARGETURL' });
    const page = await browser.newPage();
    try {
      await page.goto(`${vipps().sandbox.url}/phone?msisdn=${KARI}`);
      await page.getByRole('textbox', { name: 'Link in the payment QR code' }).fill(redirectUrl);
      await page.getByTestId('scan').click();
      await page.getByTestId(`payment-${reference}`).waitFor({ state: 'visible' });
      await page.getByTestId(`approve-${reference}`).click();
      await page.getByTestId(`status-${reference}`).filter({ hasText: 'AUTHORIZED' }).waitFor();
      expect(await controlPayments(KARI)).toEqual([
        expect.objectContaining({ reference, state: 'AUTHORIZED', customer: KARI }),
      ]);
    } finally {
      await page.close();
    }
  });

  it('picks a QR code on show, and says why a scan was refused', async () => {
    const { reference } = await createQr();
    const page = await browser.newPage();
    try {
      await page.goto(`${vipps().sandbox.url}/phone?msisdn=${KARI}`);
      await page.getByTestId(`scan-${reference}`).click();
      await page.getByTestId(`payment-${reference}`).waitFor({ state: 'visible' });
      await page.getByRole('textbox', { name: 'Link in the payment QR code' }).fill('https://example.com/x');
      await page.getByTestId('scan').click();
      await page.getByRole('alert').filter({ hasText: 'not a payment QR code' }).waitFor();
    } finally {
      await page.close();
    }
  });
});
