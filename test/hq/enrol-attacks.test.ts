import { createPublicKey } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loginToBroker } from '../../common/mqtt/broker-connection.js';
import { type Enrolment, EnrolmentError, readEnrolment } from '../../contracts/enrolment.js';
import { enrolCertificate } from '../../provisioning/enrolment-certificate.js';
import {
  describeWithMosquitto,
  MOSQUITTO_PASSWD_BIN,
  Mosquitto,
  OPENSSL_BIN,
} from '../telemetry/mosquitto.js';
import { EnrolmentHq } from './enrol-hq.js';

// Issue 15, finding 3: what anyone who sees an enrolment QR could do with it. Before the fix, the
// code's payload (readable without any key) held a broker password valid for days: it logged in to the
// broker as the kiosk, again and again; the SVG was world-readable and the password went through
// `mosquitto_passwd -b` on the command line. Now the code carries a one-time token and no credential.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The code's payload as an onlooker decodes it: base32, no key needed. */
function peek(code: string): Record<string, unknown> {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of code.split('.')[1]!) {
    value = ((value << 5) | ALPHABET.indexOf(char)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
}

async function login(broker: string, username: string, password: string): Promise<string> {
  return loginToBroker({
    url: broker,
    username,
    password,
    clientIdPrefix: 'onlooker',
    hints: { noPassword: '', refused: '' },
  }).then(
    async (link) => {
      await link.stop();
      return 'logged in';
    },
    (error: Error) => error.message,
  );
}

describeWithMosquitto('enrolment QR attacks (issue 15, finding 3)', () => {
  let broker: Mosquitto;
  let hq: EnrolmentHq;
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'vk-enrol-attack-'));
    hq = await EnrolmentHq.make(root);
    [broker] = await Promise.all([Mosquitto.start(), hq.serve()]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([broker?.dispose(), hq?.close()]);
    await rm(root, { recursive: true, force: true });
  }, 60_000);

  it('the QR holds no broker credential, its SVG is 0600, and no secret goes through any argv', async () => {
    // Every tool HQ might spawn is a shim that logs its argv before running the real one.
    const shims = join(root, 'bin');
    const argvLog = join(root, 'argv.log');
    await mkdir(shims);
    for (const [name, real] of [
      ['mosquitto_passwd', MOSQUITTO_PASSWD_BIN],
      ['openssl', OPENSSL_BIN],
    ] as const) {
      await writeFile(join(shims, name), `#!/bin/sh\necho "${name} $*" >> ${argvLog}\nexec ${real} "$@"\n`);
      await chmod(join(shims, name), 0o755);
    }
    const svg = join(root, 'qr.svg');
    await writeFile(svg, 'an old QR, world-readable', { mode: 0o644 });
    const { code } = await hq.enrolQr('oslo-storo', 'storo-1', broker.url, ['--svg', svg], {
      PATH: `${shims}:${process.env.PATH}`,
    });

    const payload = peek(code);
    expect(Object.keys(payload).sort()).toEqual(['b', 'd', 'e', 'f', 'n', 's', 't']);
    expect(payload.n).toBe(hq.url);
    for (const username of ['storo-1', 'vk-oslo-storo-storo-1']) {
      expect(await login(broker.url, username, String(payload.t))).toMatch(/refused the login/);
    }
    expect((await stat(svg)).mode & 0o777).toBe(0o600);
    expect(await readFile(svg, 'utf8')).toContain('<svg');
    const argv = await readFile(argvLog, 'utf8').catch(() => '');
    expect(argv).not.toContain(String(payload.t));
    expect(argv).toBe('');
  }, 60_000);

  it('a code enrols one kiosk once: the second kiosk with the same code is refused', async () => {
    const { code } = await hq.enrolQr('oslo-storo', 'storo-2', broker.tlsUrl);
    const enrolment = readEnrolment(code, createPublicKey(await readFile(hq.publicKeyFile)), new Date());
    const first = await enrolCertificate(enrolment, join(root, 'kiosk-a'), { gid: undefined });
    expect(await readFile(first.certFile, 'utf8')).toContain('BEGIN CERTIFICATE');
    expect((await stat(first.keyFile)).mode & 0o777).toBe(0o600);

    await expect(enrolCertificate(enrolment, join(root, 'kiosk-b'), { gid: undefined })).rejects.toThrow(
      /^HQ's enrolment service refused the code: this enrolment code was already used at \S+; a code enrols one kiosk, once\. Ask HQ for a new code$/,
    );
    await expect(stat(join(root, 'kiosk-b'))).rejects.toThrow(/ENOENT/);
  }, 60_000);

  it('the token buys a certificate only for the kiosk it was minted for', async () => {
    const { code } = await hq.enrolQr('oslo-storo', 'storo-3', broker.tlsUrl);
    const enrolment = readEnrolment(code, createPublicKey(await readFile(hq.publicKeyFile)), new Date());
    // Someone holding the token asks for another kiosk's identity (a CSR for vk-oslo-storo-storo-1).
    const other: Enrolment = { ...enrolment, deviceId: 'storo-1' };
    await expect(enrolCertificate(other, join(root, 'kiosk-c'), { gid: undefined })).rejects.toThrow(
      `HQ's enrolment service refused the code: this code enrols "vk-oslo-storo-storo-3", but the certificate signing request asks for "CN=vk-oslo-storo-storo-1"`,
    );
    // Refused without spending it: the genuine kiosk still enrols.
    await expect(
      enrolCertificate(enrolment, join(root, 'kiosk-c'), { gid: undefined }),
    ).resolves.toBeDefined();
  }, 60_000);

  it('a server that is not the pinned enrolment service is sent nothing', async () => {
    const { code } = await hq.enrolQr('oslo-storo', 'storo-4', broker.tlsUrl);
    const enrolment = readEnrolment(code, createPublicKey(await readFile(hq.publicKeyFile)), new Date());
    const impostor: Enrolment = { ...enrolment, serviceFingerprint: '0'.repeat(64) };
    const error = await enrolCertificate(impostor, join(root, 'kiosk-d'), { gid: undefined }).catch((e) => e);
    expect(error).toBeInstanceOf(EnrolmentError);
    expect(error.message).toMatch(/is not the enrolment service HQ's code names .*nothing was sent/);
    // The token was not seen, so it is still good for the real service.
    await expect(
      enrolCertificate(enrolment, join(root, 'kiosk-d'), { gid: undefined }),
    ).resolves.toBeDefined();
  }, 60_000);
});
