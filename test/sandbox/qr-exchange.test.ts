import { describe, expect, it } from 'vitest';
import { asObject, useSandbox } from './helpers.js';

const vipps = useSandbox();

const exchange = (body: unknown, headers: Record<string, string | null> = {}) =>
  vipps().send('POST', '/qr/v1/exchange', { body, headers });

function expectQrError(answer: Awaited<ReturnType<typeof exchange>>, field: string): void {
  expect(answer.status).toBe(400);
  // The QR API has its own error body: plain JSON, not problem+json.
  expect(answer.contentType).toMatch(/^application\/json/);
  expect(answer.body).toMatchObject({ title: expect.any(String), status: 400, detail: expect.any(String) });
  expect(asObject(answer.body)['extraDetails']).toContainEqual({ name: field, reason: expect.any(String) });
}

describe('POST /qr/v1/exchange', () => {
  it('exchanges a clear-text v1 code for the MSISDN, without a timestamp', async () => {
    const kari = vipps().sandbox.customers[0]!;
    const answer = await exchange({ qrCode: kari.personalQrV1, requestedData: ['MSISDN'] });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ msisdn: kari.msisdn, version: '1.0' });
  });

  it('exchanges a tokenized v2 code for the MSISDN and when the code was made', async () => {
    const ola = vipps().sandbox.customers[1]!;
    expect(ola.personalQrV2).toMatch(/^https:\/\/qr\.vipps\.no\/p\/[A-Za-z0-9_-]+$/);
    expect(ola.personalQrV2).not.toContain(ola.msisdn);
    const answer = await exchange({ qrCode: ola.personalQrV2 });
    expect(answer.status).toBe(200);
    const now = Math.floor(vipps().sandbox.clock.now() / 1000);
    expect(answer.body).toEqual({ msisdn: ola.msisdn, timestamp: expect.any(Number), version: '2.0' });
    expect(Math.abs(Number(asObject(answer.body)['timestamp']) - now)).toBeLessThanOrEqual(1);
  });

  it('refuses an unknown code', async () => {
    expectQrError(await exchange({ qrCode: 'https://qr.vipps.no/p/unknown-token' }), 'qrCode');
  });

  it('refuses a code that is only part of the scanned content', async () => {
    expectQrError(await exchange({ qrCode: vipps().sandbox.customers[0]!.msisdn }), 'qrCode');
  });

  it('requires qrCode', async () => {
    expectQrError(await exchange({ requestedData: ['MSISDN'] }), 'qrCode');
  });

  it('only knows MSISDN as requested data', async () => {
    const kari = vipps().sandbox.customers[0]!;
    expectQrError(
      await exchange({ qrCode: kari.personalQrV1, requestedData: ['EMAIL'] }),
      'requestedData[0]',
    );
  });

  it('limits the Vipps-System headers to 30 characters here too', async () => {
    const kari = vipps().sandbox.customers[0]!;
    expectQrError(
      await exchange({ qrCode: kari.personalQrV1 }, { 'Vipps-System-Name': 'y'.repeat(31) }),
      'Vipps-System-Name',
    );
  });

  it('requires a JSON body', async () => {
    expectQrError(
      await exchange('qrCode=x', { 'Content-Type': 'application/x-www-form-urlencoded' }),
      'body',
    );
  });

  it('requires the bearer token', async () => {
    const kari = vipps().sandbox.customers[0]!;
    const answer = await exchange({ qrCode: kari.personalQrV1 }, { Authorization: null });
    expect(answer.status).toBe(401);
  });
});
