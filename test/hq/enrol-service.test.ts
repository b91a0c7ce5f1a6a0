import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Enrolment, newEnrolmentToken } from '../../contracts/enrolment.js';
import { EnrolService } from '../../hq/enrolment/enrol-service.js';
import { CA_CERT_FILE, CA_KEY_FILE, createFleetCa, loadFleetCa } from '../../hq/enrolment/fleet-ca.js';
import { EnrolmentTokenStore } from '../../hq/enrolment/token-store.js';
import { enrolCertificate } from '../../provisioning/enrolment-certificate.js';
import { OPENSSL_BIN } from '../telemetry/mosquitto.js';

// HQ's enrolment service in process, on loopback HTTPS, under a clock the test turns: the fleet CA's
// files, what a certificate it signs says (and that OpenSSL takes it as a TLS client certificate), and
// each refusal: unknown, expired by HQ's clock, spent by a racing request, a request that is not one.

const SITE = 'oslo-storo';
const HOUR = 3_600_000;

describe('hq enrolment service', () => {
  let dir: string;
  let tokens: EnrolmentTokenStore;
  let service: EnrolService;
  let url: string;
  let fingerprint: string;
  let clock = new Date('2026-12-07T12:00:00Z');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-enrol-service-'));
    await createFleetCa(dir, clock);
    execFileSync(
      OPENSSL_BIN,
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'service.key'),
        '-out',
        join(dir, 'service.crt'),
        '-days',
        '2',
        '-subj',
        '/CN=enrol.hq.test',
      ],
      { stdio: 'pipe' },
    );
    const cert = await readFile(join(dir, 'service.crt'));
    fingerprint = new X509Certificate(cert).fingerprint256.replace(/:/g, '').toLowerCase();
    tokens = await EnrolmentTokenStore.open(join(dir, 'tokens.sqlite'));
    service = new EnrolService({
      ca: await loadFleetCa(dir),
      tokens,
      tls: { cert, key: await readFile(join(dir, 'service.key')) },
      now: () => clock,
    });
    url = await service.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await service?.close();
    tokens?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A code as hq enrol-qr mints it, for the kiosk's side to spend. */
  function mint(device: string, ttlMs = HOUR): Enrolment {
    const token = newEnrolmentToken();
    const expiresAt = new Date(clock.getTime() + ttlMs);
    tokens.mint(token, `vk-${SITE}-${device}`, expiresAt, clock);
    return {
      site: SITE,
      deviceId: device,
      label: undefined,
      brokerUrl: 'mqtts://127.0.0.1:8883',
      serviceUrl: url,
      serviceFingerprint: fingerprint,
      token,
      expiresAt,
    };
  }

  it('ca-init: the CA key is 0600, the CA is a CA, and a second ca-init does not replace it', async () => {
    expect((await stat(join(dir, CA_KEY_FILE))).mode & 0o777).toBe(0o600);
    const ca = new X509Certificate(await readFile(join(dir, CA_CERT_FILE)));
    expect(ca.ca).toBe(true);
    await expect(createFleetCa(dir, clock)).rejects.toThrow(/exists; a new CA would orphan every kiosk/);
  });

  it('signs a client certificate for the client id, clientAuth, for a year, that OpenSSL verifies', async () => {
    const enrolled = await enrolCertificate(mint('storo-1'), join(dir, 'kiosk-1'), { gid: undefined });
    const pem = await readFile(enrolled.certFile, 'utf8');
    const certificate = new X509Certificate(pem);
    expect(certificate.subject).toBe('CN=vk-oslo-storo-storo-1');
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(certificate.ca).toBe(false);
    expect(Date.parse(certificate.validTo) - clock.getTime()).toBe(365 * 24 * HOUR);
    expect(enrolled.caFile).toBeUndefined(); // no --broker-ca: the system's CAs verify the broker
    const verified = execFileSync(
      OPENSSL_BIN,
      [
        'verify',
        '-attime',
        String(clock.getTime() / 1000 + 60),
        '-purpose',
        'sslclient',
        '-CAfile',
        join(dir, CA_CERT_FILE),
        enrolled.certFile,
      ],
      { encoding: 'utf8' },
    );
    expect(verified.trim()).toBe(`${enrolled.certFile}: OK`);
  });

  it("refuses a code expired by HQ's clock, even when the kiosk thinks it is still good", async () => {
    const enrolment = mint('storo-2');
    clock = new Date(clock.getTime() + HOUR + 60_000);
    await expect(enrolCertificate(enrolment, join(dir, 'kiosk-2'), { gid: undefined })).rejects.toThrow(
      `HQ's enrolment service refused the code: the enrolment code expired at ${enrolment.expiresAt.toISOString()} (1 min ago by HQ's clock); ask HQ for a new one`,
    );
  });

  it('refuses a token it never minted', async () => {
    const enrolment = { ...mint('storo-3'), token: newEnrolmentToken() };
    await expect(enrolCertificate(enrolment, join(dir, 'kiosk-3'), { gid: undefined })).rejects.toThrow(
      /refused the code: HQ's enrolment service does not know this code/,
    );
  });

  it('of two kiosks racing with one code, exactly one gets a certificate', async () => {
    const enrolment = mint('storo-4');
    const results = await Promise.allSettled(
      ['kiosk-4a', 'kiosk-4b'].map((name) =>
        enrolCertificate(enrolment, join(dir, name), { gid: undefined }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason.message).toMatch(/this enrolment code was (already )?used/);
  });

  it('answers what is not an enrolment request with a JSON 4xx', async () => {
    const send = (path: string, contentType: string, body: string) =>
      new Promise<{ status: number; body: unknown }>((resolve, reject) => {
        const post = request(
          `${url}${path}`,
          { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': contentType } },
          (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => {
              text += chunk.toString();
            });
            response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
          },
        );
        post.on('error', reject);
        post.end(body);
      });
    expect(await send('/v1/enrol', 'application/json', '{"token": 1}')).toMatchObject({
      status: 400,
      body: { error: 'bad-request' },
    });
    expect(await send('/v1/enrol', 'text/plain', '{}')).toMatchObject({ status: 415 });
    expect(await send('/v1/enrol', 'application/json', 'x'.repeat(20_000))).toMatchObject({ status: 400 });
    expect(await send('/other', 'application/json', '{}')).toMatchObject({ status: 404 });
  });

  it('keeps only hashes of the tokens, in a file only its owner reads', async () => {
    const { token } = mint('storo-5');
    const file = await readFile(join(dir, 'tokens.sqlite'));
    const wal = await readFile(join(dir, 'tokens.sqlite-wal')).catch(() => Buffer.alloc(0));
    expect(Buffer.concat([file, wal]).includes(token)).toBe(false);
    expect((await stat(join(dir, 'tokens.sqlite'))).mode & 0o777).toBe(0o600);
  });
});
