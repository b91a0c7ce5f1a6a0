import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loginToBroker } from '../../common/mqtt/broker-connection.js';
import { readTlsFiles } from '../../common/mqtt/link.js';
import { packageRoot } from '../../common/package-root.js';
import { readEnrolment, signEnrolment } from '../../contracts/enrolment.js';
import { loadSettings } from '../../device/config/load.js';
import { OUTBOX_FILE, SqliteOutbox } from '../../device/telemetry/outbox.js';
import { TelemetryPublisher } from '../../device/telemetry/publisher.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { EnrolmentHq } from '../hq/enrol-hq.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { Subscriber, waitFor } from '../telemetry/subscriber.js';
import { runCli } from './cli.js';

// Enrolment end to end, as HQ and a scripted install do it: hq ca-init, hq enrol-qr, hq enrol-serve on
// loopback; `vipps-kiosk provision --enrol CODE` makes the kiosk's key, gets its certificate and
// verifies the broker login with it; then the kiosk's telemetry publisher connects to a Mosquitto that
// knows kiosks only by certificates of HQ's fleet CA (require_certificate, use_identity_as_username)
// and publishes its status. A client without a certificate, or with one of another CA, is refused.

const CATALOG = join(packageRoot(), 'device', 'catalog', 'demo-catalog.json');
const SITE = 'oslo-storo';

describeWithMosquitto('enrolment with a client certificate, end to end', () => {
  let sandbox: RunningSandbox;
  let broker: Mosquitto;
  let hq: EnrolmentHq;
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'vk-enrol-e2e-'));
    hq = await EnrolmentHq.make(join(root, 'hq'));
    [sandbox, broker] = await Promise.all([
      startSandbox(),
      Mosquitto.start({ clientCaFile: join(hq.caDir, 'fleet-ca.crt') }),
    ]);
    // The broker's own certificate is signed by the suite's CA: the kiosks get it as their caFile.
    await hq.serve(join(broker.dir, 'ca.crt'));
  }, 120_000);
  afterAll(async () => {
    await Promise.all([sandbox?.close(), broker?.dispose(), hq?.close()]);
    await rm(root, { recursive: true, force: true });
  });

  function provision(dir: string, code: string) {
    return runCli(
      [
        'provision',
        '--non-interactive',
        '--config-dir',
        dir,
        '--group',
        'nogroup',
        '--enrol-key',
        hq.publicKeyFile,
        '--enrol',
        code,
        '--store-name',
        'Butikken Storo',
        '--vipps-environment',
        'sandbox',
        '--vipps-base-url',
        sandbox.url,
        '--vipps-msn',
        sandbox.credentials.merchantSerialNumber,
        '--catalog-file',
        CATALOG,
      ],
      {
        VK_SECRETS__VIPPS__CLIENT_ID: sandbox.credentials.clientId,
        VK_SECRETS__VIPPS__CLIENT_SECRET: sandbox.credentials.clientSecret,
        VK_SECRETS__VIPPS__SUBSCRIPTION_KEY: sandbox.credentials.subscriptionKey,
      },
    );
  }

  it('enrols, connects with its certificate and publishes its status; the code is spent', async () => {
    const { code } = await hq.enrolQr(SITE, 'storo-1', broker.tlsUrl);
    const etc = join(root, 'kiosk-1');
    const run = await provision(etc, code);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`✓ Client certificate from HQ for vk-${SITE}-storo-1`);
    expect(run.output).toContain(`✓ HQ broker: logged in to ${broker.tlsUrl} with the client certificate`);
    expect(hq.log()).toContain('kiosk enrolled');

    const settings = await loadSettings({
      configPath: join(etc, 'config.json'),
      secretsPath: join(etc, 'secrets.json'),
      env: {},
    });
    expect(settings.telemetry).toMatchObject({
      brokerUrl: broker.tlsUrl,
      caFile: join(etc, 'tls', 'ca.pem'),
      certFile: join(etc, 'tls', 'client.pem'),
      keyFile: join(etc, 'tls', 'client.key'),
    });
    expect(settings.telemetry.username).toBeUndefined();
    expect(settings.secrets.telemetry.password).toBeUndefined();
    const key = await stat(join(etc, 'tls', 'client.key'));
    expect({ mode: key.mode & 0o777, uid: key.uid, gid: key.gid }).toEqual({
      mode: 0o640,
      uid: 0,
      gid: 65534,
    });
    const certificate = new X509Certificate(await readFile(settings.telemetry.certFile!));
    expect(certificate.subject).toBe(`CN=vk-${SITE}-storo-1`);
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(
      certificate.verify(new X509Certificate(await readFile(join(hq.caDir, 'fleet-ca.crt'))).publicKey),
    ).toBe(true);

    // The daemon's publisher, with the files as the daemon reads them: its status reaches HQ.
    const auditor = await Subscriber.connect(broker, [`vk/v1/${SITE}/storo-1/status`]);
    const outbox = SqliteOutbox.open(join(root, OUTBOX_FILE));
    const publisher = new TelemetryPublisher({
      url: settings.telemetry.brokerUrl!,
      site: SITE,
      device: 'storo-1',
      version: '1.2.3',
      outbox,
      tls: readTlsFiles(settings.telemetry),
    });
    try {
      publisher.start();
      await waitFor('the status online', () =>
        auditor.messages.some((m) => JSON.parse(m.text).state === 'online'),
      );
    } finally {
      await publisher.stop();
      outbox.stop();
      await auditor.close();
    }

    // The same code on a second kiosk: refused by HQ, nothing written there.
    const second = await provision(join(root, 'kiosk-2'), code);
    expect(second.code).toBe(1);
    expect(second.output).toMatch(
      /enrolment refused: HQ's enrolment service refused the code: this enrolment code was already used at \S+; a code enrols one kiosk, once\. Ask HQ for a new code/,
    );
    await expect(stat(join(root, 'kiosk-2', 'config.json'))).rejects.toThrow(/ENOENT/);
  }, 90_000);

  it('the broker refuses a client without a certificate, or with one not from the fleet CA', async () => {
    const ca = await readFile(join(broker.dir, 'ca.crt'));
    const attempt = (tls: { ca: Buffer; cert?: string; key?: string }) =>
      loginToBroker({
        url: broker.tlsUrl,
        tls,
        clientIdPrefix: 'vk-oslo-storo-storo-9',
        hints: { noPassword: '', refused: '' },
      }).then(
        async (link) => {
          await link.stop();
          return 'logged in';
        },
        (error: Error) => error.message,
      );
    expect(await attempt({ ca })).not.toBe('logged in');
    const foreign = await broker.clientCertificate(`vk-${SITE}-storo-9`);
    expect(await attempt({ ca, cert: foreign.cert, key: foreign.key })).not.toBe('logged in');
  });

  it('an expired code is refused by the kiosk in words a field tech understands', async () => {
    const { code } = await hq.enrolQr(SITE, 'storo-3', broker.tlsUrl);
    const hqKey = createPrivateKey(await readFile(hq.keyFile));
    const genuine = readEnrolment(code, hqKey, new Date());
    // The kiosk's clock sees the code expired.
    const expired = signEnrolment({ ...genuine, expiresAt: new Date(Date.now() - 120_000) }, hqKey);
    const byKiosk = await provision(join(root, 'kiosk-3'), expired);
    expect(byKiosk.code).toBe(1);
    expect(byKiosk.output).toMatch(
      /enrolment refused: the enrolment code expired at \S+ \(\d+ min ago\); ask HQ for a new one\. If it should still be valid, check this kiosk's clock/,
    );
  }, 60_000);
});
