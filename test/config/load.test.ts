import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/config-error.js';
import { configCommand, configReference } from '../../device/commands/config.js';
import { settingLeaves } from '../../device/config/env-overrides.js';
import { loadSettings } from '../../device/config/load.js';
import { vippsBaseUrl } from '../../device/config/schema.js';

const validConfig = {
  device: { id: 'kiosk-07', site: 'oslo-storo', label: 'Storo kasse 7' },
  vipps: { environment: 'test', merchantSerialNumber: '123456' },
};
const validSecrets = { vipps: { clientId: 'cid', clientSecret: 'the-secret', subscriptionKey: 'sub-key' } };

describe('configuration loading', () => {
  let dir: string;
  let configPath: string;
  let secretsPath: string;

  async function write(config: unknown, secrets: unknown = validSecrets, mode = 0o600) {
    await writeFile(configPath, typeof config === 'string' ? config : JSON.stringify(config));
    await writeFile(secretsPath, JSON.stringify(secrets));
    await chmod(secretsPath, mode);
  }

  async function problems(env: NodeJS.ProcessEnv = {}): Promise<readonly string[]> {
    const error = await loadSettings({ configPath, secretsPath, env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-config-'));
    configPath = join(dir, 'config.json');
    secretsPath = join(dir, 'secrets.json');
  });

  it('loads a valid file pair and fills the documented defaults', async () => {
    await write(validConfig);
    const settings = await loadSettings({ configPath, secretsPath, env: {} });
    expect(settings.device.id).toBe('kiosk-07');
    expect(settings.vipps.timeouts.readMs).toBe(5000);
    expect(settings.vipps.retry.maxAttempts).toBe(4);
    expect(settings.server.port).toBe(8080);
    expect(settings.secrets.vipps.clientSecret).toBe('the-secret');
    expect(vippsBaseUrl(settings)).toBe('https://apitest.vipps.no');
  });

  it('names the key, the bad value and the expected form for each problem', async () => {
    await write({
      ...validConfig,
      vipps: { merchantSerialNumber: 123456, timeouts: { readMs: 1.5 } },
      typo: true,
    });
    expect(await problems()).toEqual([
      `${configPath}: vipps.merchantSerialNumber: 123456 is not valid; expected the merchant serial number: 4–7 digits, in quotes, e.g. "123456"`,
      `${configPath}: vipps.timeouts.readMs: 1.5 is not valid; expected a whole number of milliseconds (one payment read)`,
      `${configPath}: (top level): unknown key(s) "typo"; expected only the keys in the configuration reference (docs/configuration.md)`,
    ]);
  });

  it('says which file is missing and how to create it', async () => {
    expect(await problems()).toEqual([
      `${configPath}: the configuration file: it does not exist; run \`vipps-kiosk provision\` to create it`,
    ]);
  });

  it('refuses a file that is not JSON', async () => {
    await write('{ "device": ');
    const [problem] = await problems();
    expect(problem).toMatch(/config\.json: not valid JSON .*expected one JSON object/);
  });

  it('refuses a secrets file other users can read, and says how to fix it', async () => {
    await write(validConfig, validSecrets, 0o644);
    expect(await problems()).toEqual([
      `${secretsPath}: mode 0644 lets other users read or change the Vipps keys; fix with: chown root:kiosk ${secretsPath} && chmod 0640 ${secretsPath}`,
    ]);
  });

  it('accepts a secrets file readable by its group (root:kiosk 0640)', async () => {
    await write(validConfig, validSecrets, 0o640);
    await expect(loadSettings({ configPath, secretsPath, env: {} })).resolves.toBeTruthy();
  });

  it('keeps secrets out of config.json', async () => {
    await write({ ...validConfig, secrets: validSecrets });
    expect((await problems())[0]).toMatch(/"secrets" does not belong here; move it to .*secrets\.json/);
  });

  it('never repeats a secret value in an error', async () => {
    await write(validConfig, { vipps: { ...validSecrets.vipps, clientSecret: 42 } });
    const text = (await problems()).join('\n');
    expect(text).toMatch(/secrets\.vipps\.clientSecret/);
    expect(text).toMatch(/value not shown/);
    expect(text).not.toMatch(/the-secret|sub-key|42/);
  });

  it('applies VK_* environment overrides, typed by the schema, and blames the variable when wrong', async () => {
    await write(validConfig);
    const settings = await loadSettings({
      configPath,
      secretsPath,
      env: { VK_SERVER__PORT: '8099', VK_VIPPS__MERCHANT_SERIAL_NUMBER: '654321', PATH: '/bin' },
    });
    expect(settings.server.port).toBe(8099);
    expect(settings.vipps.merchantSerialNumber).toBe('654321');

    expect(await problems({ VK_SERVER__PORT: 'eighty', VK_SERVR__PORT: '1' })).toEqual([
      'VK_SERVR__PORT: names no setting; expected one of the VK_* variables in the configuration reference (docs/configuration.md)',
      'environment VK_SERVER__PORT: server.port: "eighty" is not valid; expected a TCP port number 0–65535',
    ]);
  });

  it('keeps a cash register to market NO, and takes every screen language', async () => {
    const cashRegister = {
      organisationNumber: '999999999',
      companyName: 'Butikken Demo AS',
      address: { street: 'Demoveien 1', postalCode: '0150', city: 'Oslo' },
    };
    await write({ ...validConfig, store: { country: 'DK', currency: 'DKK' }, cashRegister });
    expect(await problems()).toEqual([
      `${configPath}: cashRegister: ${JSON.stringify({ ...cashRegister })} is not valid; expected no cashRegister section outside market NO: the cash register is a Norwegian one`,
    ]);
    await write({ ...validConfig, store: { country: 'FI', currency: 'EUR' }, checkout: { language: 'fi' } });
    expect((await loadSettings({ configPath, secretsPath, env: {} })).checkout.language).toBe('fi');
    await write({ ...validConfig, checkout: { language: 'se' } });
    expect(await problems()).toEqual([
      `${configPath}: checkout.language: "se" is not valid; expected one of "nb", "nn", "en", "da", "sv", "fi"`,
    ]);
  });

  it('requires a base URL for the sandbox environment', async () => {
    await write({ ...validConfig, vipps: { environment: 'sandbox', merchantSerialNumber: '123456' } });
    expect(await problems()).toEqual([
      `${configPath}: vipps.baseUrl: is missing; expected vipps.baseUrl to be set when vipps.environment is "sandbox"`,
    ]);
  });
});

describe('configuration reference', () => {
  it('is in docs/configuration.md exactly as the schema generates it, every setting with its VK_* variable', async () => {
    const documented = await readFile(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const reference = configReference();
    expect(documented).toContain(reference);
    for (const [variable, { path }] of settingLeaves()) {
      expect(reference).toContain(`| \`${path.join('.')}\` | \`${variable}\` |`);
    }
  });
});

describe('environment overrides of a numeric choice', () => {
  it('reads VK_TELEMETRY__PROTOCOL_VERSION=4 as the number 4', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vk-config-'));
    await writeFile(join(dir, 'config.json'), JSON.stringify(validConfig));
    await writeFile(join(dir, 'secrets.json'), JSON.stringify(validSecrets));
    await chmod(join(dir, 'secrets.json'), 0o600);
    const settings = await loadSettings({
      configPath: join(dir, 'config.json'),
      secretsPath: join(dir, 'secrets.json'),
      env: { VK_TELEMETRY__PROTOCOL_VERSION: '4' },
    });
    expect(settings.telemetry.protocolVersion).toBe(4);
  });
});

describe('plain-text transports (issue 15, finding 2)', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-config-'));
  });

  async function check(config: Record<string, unknown>): Promise<unknown> {
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...validConfig, ...config }));
    await writeFile(join(dir, 'secrets.json'), JSON.stringify(validSecrets), { mode: 0o600 });
    // `vipps-kiosk config check`, in process: the command a field tech runs after editing the file.
    return configCommand(['check', '--config-dir', dir]).then(
      () => undefined,
      (error: unknown) => error,
    );
  }

  const broker = (brokerUrl: string) => ({ telemetry: { brokerUrl } });
  const crm = (crmUrl: string) => ({ club: { enabled: true, store: 'http', crmUrl } });
  const vipps = (environment: string, baseUrl: string) => ({
    vipps: { environment, baseUrl, merchantSerialNumber: '123456' },
  });

  it.each([
    [
      broker('mqtt://hq.example.com:1883'),
      'telemetry.brokerUrl: "mqtt://hq.example.com:1883" is not valid; mqtt:// sends the broker password and every message in clear text; use mqtts:// or wss:// (plain mqtt:// only to 127.0.0.1, ::1 or localhost), e.g. mqtts://hq.example.com:8883',
    ],
    [
      broker('ws://10.0.0.5:9001/mqtt'),
      'telemetry.brokerUrl: "ws://10.0.0.5:9001/mqtt" is not valid; ws:// sends',
    ],
    [
      broker('http://hq.example.com'),
      'telemetry.brokerUrl: "http://hq.example.com" is not valid; http:// is not a way to reach the HQ broker; expected an mqtts:// or wss:// URL of the HQ broker',
    ],
    [broker('tcp://hq.example.com:1883'), 'tcp:// is not a way to reach the HQ broker'],
    [
      crm('http://crm.example.com/club/v1'),
      'club.crmUrl: "http://crm.example.com/club/v1" is not valid; http:// sends the CRM token and customers\' phone numbers in clear text; use https://',
    ],
    [
      vipps('production', 'http://api.vipps.no'),
      'vipps.baseUrl: "http://api.vipps.no" is not valid; http:// sends the sales unit\'s keys and every payment in clear text; use https://',
    ],
    // Not loopback, only looks like it: a name that resolves elsewhere, an address beside 127/8.
    [
      vipps('sandbox', 'http://localhost.example.com:8080'),
      'vipps.baseUrl: "http://localhost.example.com:8080"',
    ],
    [
      vipps('sandbox', 'http://128.0.0.1:8080'),
      'vipps.baseUrl: "http://128.0.0.1:8080" is not valid; http:// sends',
    ],
  ])('config check refuses %j', async (config, expected) => {
    const error = await check(config);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toContain(expected);
  });

  it.each([
    broker('mqtts://hq.example.com:8883'),
    broker('wss://hq.example.com/mqtt'),
    broker('mqtt://127.0.0.1:1883'),
    broker('mqtt://127.3.2.1:1883'),
    broker('ws://localhost:9001'),
    broker('mqtt://[::1]:1883'),
    crm('https://crm.example.com/club/v1'),
    crm('http://127.0.0.1:4000/club/v1'),
    vipps('production', 'https://api.vipps.no'),
    vipps('sandbox', 'http://127.0.0.1:8080'),
  ])('config check takes %j (encrypted, or plain on this machine only)', async (config) => {
    expect(await check(config)).toBeUndefined();
  });
});
