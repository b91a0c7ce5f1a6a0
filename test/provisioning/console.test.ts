import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { packageRoot } from '../../common/package-root.js';
import { readEnrolment, signEnrolment } from '../../contracts/enrolment.js';
import { loadSettings } from '../../device/config/load.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { EnrolmentHq } from '../hq/enrol-hq.js';
import { describeWithTools } from '../support/required-tools.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { PtySession, runCli, SCRIPT_BIN } from './cli.js';

// `vipps-kiosk provision` on the kiosk's console, through a real pseudo-terminal: HQ makes an
// enrolment QR with `hq enrol-qr` (a one-time token for its `hq enrol-serve`), the tech "scans" it at
// the first question (a keyboard-wedge scanner types it, then Enter), a forged and an expired code are
// refused first, the kiosk gets its client certificate and logs in to the broker with it, wrong Vipps
// keys are caught and entered again.

const CATALOG = join(packageRoot(), 'device', 'catalog', 'demo-catalog.json');

describeWithTools(
  'provision on the console (pty)',
  { script: SCRIPT_BIN },
  'apt-get install -y util-linux',
  () => {
    describeWithMosquitto('with HQ enrolment', () => {
      let sandbox: RunningSandbox;
      let broker: Mosquitto;
      let hq: EnrolmentHq;
      let root: string;
      beforeAll(async () => {
        root = await mkdtemp(join(tmpdir(), 'vk-console-'));
        hq = await EnrolmentHq.make(join(root, 'hq'));
        [sandbox, broker] = await Promise.all([
          startSandbox(),
          Mosquitto.start({ clientCaFile: join(hq.caDir, 'fleet-ca.crt') }),
        ]);
        await hq.serve(join(broker.dir, 'ca.crt'));
      }, 120_000);
      afterAll(async () => {
        await Promise.all([sandbox?.close(), broker?.dispose(), hq?.close()]);
        await rm(root, { recursive: true, force: true });
      });

      it('enrols from a scanned QR, refuses forged and expired ones, and re-asks wrong Vipps keys', async () => {
        const etc = join(root, 'etc');
        const made = await hq.enrolQr('oslo-storo', 'storo-1', broker.tlsUrl, ['--label', 'Kasse 1']);
        expect(made.output).toContain('Enrolment of oslo-storo/storo-1 (Kasse 1) as vk-oslo-storo-storo-1');
        const { code } = made;
        const hqKey = createPrivateKey(await readFile(hq.keyFile));
        const genuine = readEnrolment(code, hqKey, new Date());
        const expired = signEnrolment({ ...genuine, expiresAt: new Date(Date.now() - 120_000) }, hqKey);
        const forged = code.replace(/\.([A-Z2-7])/, (_, c: string) => `.${c === 'A' ? 'B' : 'A'}`);

        const wrongSecret = 'typed-wrong-0123456789';
        const tech = new PtySession([
          'provision',
          '--config-dir',
          etc,
          '--enrol-key',
          hq.publicKeyFile,
          '--group',
          'nogroup',
        ]);
        try {
          await tech.expect("Enrolment code: scan HQ's QR now");
          tech.type(forged);
          await tech.expect("✗ Refused: the enrolment code is not signed by this fleet's HQ");
          await tech.expect('Enrolment code');
          tech.type(expired);
          await tech.expect(/✗ Refused: the enrolment code expired at \S+ \(\d+ min ago\)/);
          await tech.expect('Enrolment code');
          tech.type(code);
          await tech.expect('✓ Enrolment code from HQ');
          await tech.expect(
            `site oslo-storo, device storo-1 (Kasse 1), broker ${broker.tlsUrl} as vk-oslo-storo-storo-1`,
          );
          await tech.expect('Use these? [Y/n]');
          tech.type('');
          await tech.expect('✓ Client certificate from HQ for vk-oslo-storo-storo-1');

          // Site, device, label and the broker login came from HQ: only the store is asked.
          await tech.expect('This kiosk\n  Store name: ');
          tech.type('ab');
          await tech.expect('✗ not valid; expected 3–60 characters');
          await tech.expect('Store name: ');
          tech.type('Butikken Storo');
          await tech.expect('Country (NO, DK, FI) [NO]: ');
          tech.type('');

          const answers: [string, string][] = [
            ['Environment (test or production) [test]: ', 'sandbox'],
            ['Sandbox URL: ', sandbox.url],
            ['Merchant serial number (MSN): ', sandbox.credentials.merchantSerialNumber],
            ['Client id: ', sandbox.credentials.clientId],
            ['Client secret: ', wrongSecret],
            ['Subscription key: ', sandbox.credentials.subscriptionKey],
          ];
          for (const [prompt, answer] of answers) {
            await tech.expect(prompt);
            tech.type(answer);
          }
          await tech.expect("✗ Vipps credentials: Vipps rejected the kiosk's credentials");
          await tech.expect('Enter this step again? [Y/n]');
          tech.type('');
          for (const prompt of [
            '[sandbox]: ',
            `[${sandbox.url}]: `,
            '[123456]: ',
            'Client id [keep current]: ',
          ]) {
            await tech.expect(prompt);
            tech.type('');
          }
          await tech.expect('Client secret [keep current]: ');
          tech.type(sandbox.credentials.clientSecret);
          await tech.expect('Subscription key [keep current]: ');
          tech.type('');
          await tech.expect(`✓ Vipps credentials: access token issued by ${sandbox.url}`);

          await tech.expect(`✓ HQ broker: logged in to ${broker.tlsUrl} with the client certificate`);
          await tech.expect('Catalog file [/etc/vipps-kiosk/catalog.json]: ');
          tech.type(CATALOG);
          // The store's own POS is the cash register here: no organisation number, no signing key.
          await tech.expect("Organisation number (empty: the store's POS registers sales): ");
          tech.type('');
          await tech.expect("✓ cash-register signing key: none: the store's own POS is the cash register");

          // This machine has no scanner on its USB bus and no LEDs: the tech is told, and goes on.
          await tech.expect('Scanner and status LEDs');
          await tech.expect('No scanner attached now; the kiosk takes one when it is plugged in.');
          await tech.expect('Scanner (hid: a USB scanner; none: customers type their number) [hid]: ');
          tech.type('');
          await tech.expect('Scanner vendor id (4 hex digits; empty: the first scanner found): ');
          tech.type('');
          await tech.expect('Keyboard layout a keyboard-mode scanner is set to (us or no) [us]: ');
          tech.type('no');
          // No cash register here and no printer attached: no printer is offered.
          await tech.expect(
            'Receipt printer (usb: an ESC/POS printer, which a Norwegian cash register must have; none) [none]: ',
          );
          tech.type('');
          await tech.expect('Status LEDs (none, gpio or sysfs) [none]: ');
          tech.type('');
          await tech.expect(/! scanner and LEDs: .*scanner: found: no scanner among \d+ HID interface/);
          await tech.expect(`Wrote ${join(etc, 'config.json')} and ${join(etc, 'secrets.json')}.`);
          expect(await tech.exit()).toBe(0);
        } finally {
          tech.kill();
        }

        // Secrets are never echoed: not as typed, not in the summary.
        for (const secret of [wrongSecret, sandbox.credentials.clientSecret, genuine.token]) {
          expect(tech.output).not.toContain(secret);
        }
        expect(tech.output).toMatch(/^device\.label\s+Kasse 1\s+new$/m);
        expect(tech.output).toMatch(/^telemetry\.certFile\s+\S+\/tls\/client\.pem\s+new$/m);

        const settings = await loadSettings({
          configPath: join(etc, 'config.json'),
          secretsPath: join(etc, 'secrets.json'),
          env: {},
        });
        expect(settings.device).toEqual({ site: 'oslo-storo', id: 'storo-1', label: 'Kasse 1' });
        expect(settings.hardware.scanner).toMatchObject({ driver: 'hid', keyboardLayout: 'no' });
        expect(settings.hardware.leds.driver).toBe('none');
        expect(settings.telemetry).toMatchObject({
          brokerUrl: broker.tlsUrl,
          caFile: join(etc, 'tls', 'ca.pem'),
          certFile: join(etc, 'tls', 'client.pem'),
          keyFile: join(etc, 'tls', 'client.key'),
        });
        expect(settings.telemetry.username).toBeUndefined();
        expect(settings.secrets.telemetry.password).toBeUndefined();
      }, 120_000);

      it('a scripted install refuses a forged or expired code in words, writing nothing', async () => {
        const etc = join(root, 'etc-scripted');
        const hqKey = createPrivateKey(await readFile(hq.keyFile));
        const expired = signEnrolment(
          {
            site: 'oslo-storo',
            deviceId: 'storo-2',
            label: undefined,
            brokerUrl: broker.tlsUrl,
            serviceUrl: hq.url,
            serviceFingerprint: 'ab'.repeat(32),
            token: 'TOKEN',
            expiresAt: new Date(Date.now() - 60_000),
          },
          hqKey,
        );
        const args = ['provision', '--non-interactive', '--config-dir', etc, '--enrol-key', hq.publicKeyFile];
        const refused = await runCli([...args, '--enrol', expired]);
        expect(refused.code).toBe(1);
        expect(refused.output).toMatch(
          /enrolment refused: the enrolment code expired at .* ask HQ for a new one/,
        );
        const garbage = await runCli([...args, '--enrol', 'VKENROL2.AAAA.BBBB']);
        expect(garbage.code).toBe(1);
        expect(garbage.output).toContain(
          "enrolment refused: the enrolment code is not signed by this fleet's HQ",
        );
        await expect(readFile(join(etc, 'config.json'))).rejects.toThrow(/ENOENT/);
      }, 60_000);
    });
  },
);
