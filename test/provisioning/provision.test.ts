import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../common/package-root.js';
import { loadSettings } from '../../device/config/load.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { describeWithMosquitto, Mosquitto } from '../telemetry/mosquitto.js';
import { runCli } from './cli.js';

// `vipps-kiosk provision` run the way a scripted install runs it (--non-interactive, secrets in VK_
// variables), against the sandbox for Vipps and a real Mosquitto for the broker: what it writes, with
// which modes and owners, what a re-run changes, and what it refuses.

const CATALOG = join(packageRoot(), 'device', 'catalog', 'demo-catalog.json');
const NOGROUP_GID = 65534;

let sandbox: RunningSandbox;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'vk-provision-')), 'etc');
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

function vippsSecrets(
  overrides: Partial<Record<'clientId' | 'clientSecret' | 'subscriptionKey', string>> = {},
) {
  const { clientId, clientSecret, subscriptionKey } = { ...sandbox.credentials, ...overrides };
  return {
    VK_SECRETS__VIPPS__CLIENT_ID: clientId,
    VK_SECRETS__VIPPS__CLIENT_SECRET: clientSecret,
    VK_SECRETS__VIPPS__SUBSCRIPTION_KEY: subscriptionKey,
  };
}

/** A scripted run into this test's directory, files given to the `nogroup` group. */
const provisionHere = () => ['provision', '--non-interactive', '--config-dir', dir, '--group', 'nogroup'];

function scripted(extra: string[] = []): string[] {
  return [
    ...provisionHere(),
    '--site',
    'oslo-storo',
    '--device-id',
    'storo-1',
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
    ...extra,
  ];
}

async function files(): Promise<Record<string, { mode: number; gid: number; ino: number; mtimeMs: number }>> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: Record<string, { mode: number; gid: number; ino: number; mtimeMs: number }> = {};
  for (const name of names) {
    const s = await stat(join(dir, name));
    out[name] = { mode: s.mode & 0o777, gid: s.gid, ino: s.ino, mtimeMs: s.mtimeMs };
  }
  return out;
}

describe('provision, scripted', () => {
  it('verifies with Vipps, writes config 0644 and secrets 0640 root:GROUP that the daemon loads, and sums up', async () => {
    const { code, output } = await runCli(scripted(['--label', 'Kasse 1']), vippsSecrets());
    expect(code, output).toBe(0);
    expect(output).toContain(`✓ Vipps credentials: access token issued by ${sandbox.url}`);
    expect(output).toContain('✓ catalog: 21 products in NOK');
    expect(output).toMatch(/^device\.label\s+Kasse 1\s+new$/m);
    expect(output).toMatch(/^secrets\.vipps\.clientSecret\s+\(set\)\s+new$/m);
    expect(output).not.toContain(sandbox.credentials.clientSecret);
    expect(output).toContain(`Wrote ${join(dir, 'config.json')} and ${join(dir, 'secrets.json')}.`);

    const written = await files();
    expect(Object.keys(written).sort()).toEqual(['config.json', 'secrets.json']);
    expect(written['config.json']).toMatchObject({ mode: 0o644, gid: NOGROUP_GID });
    expect(written['secrets.json']).toMatchObject({ mode: 0o640, gid: NOGROUP_GID });
    expect((await stat(dir)).mode & 0o777).toBe(0o750);

    const settings = await loadSettings({
      configPath: join(dir, 'config.json'),
      secretsPath: join(dir, 'secrets.json'),
      env: {},
    });
    expect(settings).toMatchObject({
      device: { site: 'oslo-storo', id: 'storo-1', label: 'Kasse 1' },
      store: { name: 'Butikken Storo', country: 'NO', currency: 'NOK' },
      vipps: { environment: 'sandbox', baseUrl: sandbox.url, merchantSerialNumber: '123456' },
      secrets: { vipps: { clientSecret: sandbox.credentials.clientSecret } },
    });
  });

  it('a re-run changes only what changed: nothing, then only config.json for a new label', async () => {
    expect((await runCli(scripted(['--label', 'Kasse 1']), vippsSecrets())).code).toBe(0);
    const first = await files();

    const same = await runCli(scripted(['--label', 'Kasse 1']), vippsSecrets());
    expect(same.code, same.output).toBe(0);
    expect(same.output).toContain(`Nothing changed in ${dir}.`);
    expect(same.output).toMatch(/^device\.label\s+Kasse 1\s+same$/m);
    expect(await files()).toEqual(first);

    // Only the label, and no secrets given this time: the ones on file are kept.
    const relabel = await runCli([...provisionHere(), '--label', 'Kasse 2']);
    expect(relabel.code, relabel.output).toBe(0);
    expect(relabel.output).toMatch(/^device\.label\s+Kasse 2\s+changed$/m);
    expect(relabel.output).toMatch(/^device\.site\s+oslo-storo\s+same$/m);
    expect(relabel.output).toMatch(/^secrets\.vipps\.clientSecret\s+\(set\)\s+same$/m);
    expect(relabel.output).toContain(`Wrote ${join(dir, 'config.json')}.`);
    const after = await files();
    expect(after['secrets.json']).toEqual(first['secrets.json']);
    expect(after['config.json']!.ino).not.toBe(first['config.json']!.ino);
  });

  it('wrong Vipps credentials: refused in words, nothing written, no secret printed', async () => {
    const wrongSecret = 'not-the-secret-0123456789';
    const secret = await runCli(scripted(), vippsSecrets({ clientSecret: wrongSecret }));
    expect(secret.code).toBe(1);
    expect(secret.output).toContain("✗ Vipps credentials: Vipps rejected the kiosk's credentials");
    expect(secret.output).toContain('not written: Vipps credentials failed');
    expect(secret.output).not.toContain(wrongSecret);
    expect(await files()).toEqual({});

    const key = await runCli(
      scripted(),
      vippsSecrets({ subscriptionKey: '00000000000000000000000000000000' }),
    );
    expect(key.code).toBe(1);
    expect(key.output).toMatch(/✗ Vipps credentials: .*subscription key/);
    expect(await files()).toEqual({});
  });

  it('a wrong re-run leaves the working configuration as it was', async () => {
    expect((await runCli(scripted(), vippsSecrets())).code).toBe(0);
    const before = await files();
    const wrong = await runCli(scripted(), vippsSecrets({ clientId: 'someone-else' }));
    expect(wrong.code).toBe(1);
    expect(await files()).toEqual(before);
  });

  it('names what a scripted install left out, with the flag or variable that gives it', async () => {
    const { code, output } = await runCli([
      'provision',
      '--non-interactive',
      '--config-dir',
      dir,
      '--site',
      'oslo',
    ]);
    expect(code).toBe(1);
    expect(output).toContain(
      'device.id is missing; expected a device id of 1–32 letters, digits and - (--device-id)',
    );
    expect(output).toContain(
      'secrets.vipps.clientSecret is missing; expected the client_secret from the business portal (VK_SECRETS__VIPPS__CLIENT_SECRET or --from FILE)',
    );
    // Nothing was asked of Vipps with half a configuration.
    expect(output).not.toContain('Vipps credentials');
    expect(await files()).toEqual({});
  });
});

async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describeWithMosquitto('provision, the broker identity against a real Mosquitto', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await Mosquitto.start();
  });
  afterAll(async () => {
    await broker.dispose();
  });

  const withBroker = (url: string, extra: string[] = []) =>
    scripted(['--broker-url', url, '--broker-username', broker.username, ...extra]);

  it('logs in with the username and password and keeps them', async () => {
    const { code, output } = await runCli(withBroker(broker.url), {
      ...vippsSecrets(),
      VK_SECRETS__TELEMETRY__PASSWORD: broker.password,
    });
    expect(code, output).toBe(0);
    expect(output).toContain(`✓ HQ broker: logged in to ${broker.url} as "kiosk"`);
    expect(output).not.toContain(broker.password);
  });

  it('a wrong password is refused by the broker, and nothing is written', async () => {
    const { code, output } = await runCli(withBroker(broker.url), {
      ...vippsSecrets(),
      VK_SECRETS__TELEMETRY__PASSWORD: 'wrong-password',
    });
    expect(code).toBe(1);
    expect(output).toContain(`✗ HQ broker: the MQTT broker at ${broker.url} refused the login as "kiosk"`);
    expect(await files()).toEqual({});
  });

  it('logs in with a TLS client certificate', async () => {
    const tls = await broker.clientCertificate('vk-oslo-storo-storo-1');
    const paths = {
      ca: join(dir, '..', 'ca.pem'),
      cert: join(dir, '..', 'cert.pem'),
      key: join(dir, '..', 'key.pem'),
    };
    for (const [name, path] of Object.entries(paths)) await writeFile(path, tls[name as keyof typeof tls]);
    const { code, output } = await runCli(
      scripted([
        '--broker-url',
        broker.tlsUrl,
        '--ca-file',
        paths.ca,
        '--cert-file',
        paths.cert,
        '--key-file',
        paths.key,
      ]),
      vippsSecrets(),
    );
    expect(code, output).toBe(0);
    expect(output).toContain(`✓ HQ broker: logged in to ${broker.tlsUrl} with the client certificate`);
    // Copied where the daemon can read them (ProtectHome= hides /home from it), key 0640 root:GROUP.
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(config.telemetry).toMatchObject({
      caFile: join(dir, 'tls/ca.pem'),
      certFile: join(dir, 'tls/client.pem'),
      keyFile: join(dir, 'tls/client.key'),
    });
    const key = await stat(join(dir, 'tls/client.key'));
    expect([key.mode & 0o777, key.gid]).toEqual([0o640, NOGROUP_GID]);
    expect(await readFile(join(dir, 'tls/client.key'), 'utf8')).toBe(tls.key);
  });

  it('an unreachable broker stops provisioning, unless the tech saves it unverified', async () => {
    const url = `mqtt://127.0.0.1:${await closedPort()}`;
    const env = { ...vippsSecrets(), VK_SECRETS__TELEMETRY__PASSWORD: broker.password };
    const refused = await runCli(withBroker(url), env);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(
      `✗ HQ broker: cannot reach the MQTT broker at ${url}: connection refused`,
    );
    expect(await files()).toEqual({});

    const saved = await runCli(withBroker(url, ['--allow-unverified']), env);
    expect(saved.code, saved.output).toBe(0);
    expect(saved.output).toMatch(/^HQ broker\s+fail\s+cannot reach/m);
    expect(Object.keys(await files()).sort()).toEqual(['config.json', 'secrets.json']);
  });
});
