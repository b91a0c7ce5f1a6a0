import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../common/package-root.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { run } from '../support/cli-process.js';

const CATALOG = join(packageRoot(), 'device', 'catalog', 'demo-catalog.json');

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

function provision(dir: string, extra: string[]) {
  const { clientId, clientSecret, subscriptionKey } = sandbox.credentials;
  return run(
    [
      'provision',
      '--non-interactive',
      '--config-dir',
      dir,
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
    ],
    {
      VK_SECRETS__VIPPS__CLIENT_ID: clientId,
      VK_SECRETS__VIPPS__CLIENT_SECRET: clientSecret,
      VK_SECRETS__VIPPS__SUBSCRIPTION_KEY: subscriptionKey,
    },
  );
}

const COMPANY_FLAGS = [
  '--org-number',
  '974760673',
  '--company-name',
  'Butikken Storo AS',
  '--street',
  'Storo 1',
  '--postal-code',
  '0485',
  '--city',
  'Oslo',
];

const secretsOf = async (dir: string) => JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8'));

describe('provisioning a Norwegian cash register', () => {
  it('asks for the seller, makes the signing key into secrets.json (0640), and keeps it on a re-run', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'vk-provision-cr-')), 'etc');
    const first = await provision(dir, COMPANY_FLAGS);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/✓ cash-register signing key: version 1, RSA 1024-bit/);
    expect(first.output).not.toContain('PRIVATE KEY');
    expect((await stat(join(dir, 'secrets.json'))).mode & 0o777).toBe(0o640);
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(config.cashRegister).toEqual({
      organisationNumber: '974760673',
      companyName: 'Butikken Storo AS',
      address: { street: 'Storo 1', postalCode: '0485', city: 'Oslo' },
    });
    const secrets = await secretsOf(dir);
    expect(secrets.cashRegister.keyVersion).toBe(1);
    expect(secrets.cashRegister.signingKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(JSON.stringify(config)).not.toContain('PRIVATE');
    // The key that checks staff cards, made once (cards printed stay valid on a re-run or a key rotation).
    expect(secrets.staffCardKey).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const again = await provision(dir, COMPANY_FLAGS);
    expect(again.output).toContain(`Nothing changed in ${dir}.`);
    expect((await secretsOf(dir)).cashRegister).toEqual(secrets.cashRegister);
    expect((await secretsOf(dir)).staffCardKey).toBe(secrets.staffCardKey);

    const printed = await run(['cash-register', 'public-key', '--config-dir', dir]);
    expect(printed.code).toBe(0);
    expect(printed.output).toMatch(
      /^Key version 1 \(RSA 1024-bit, SHA-1, e 65537\)\n-----BEGIN PUBLIC KEY-----/,
    );

    const rotated = await provision(dir, [...COMPANY_FLAGS, '--rotate-signing-key']);
    expect(rotated.code, rotated.output).toBe(0);
    expect(rotated.output).toMatch(/✓ cash-register signing key: version 2/);
    const after = await secretsOf(dir);
    expect(after.cashRegister.keyVersion).toBe(2);
    expect(after.cashRegister.signingKey).not.toBe(secrets.cashRegister.signingKey);
    expect(after.staffCardKey).toBe(secrets.staffCardKey);
  }, 60_000);

  it('refuses a mistyped organisation number with the reason, and writes nothing', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'vk-provision-cr-')), 'etc');
    const flags = [...COMPANY_FLAGS];
    flags[1] = '974760674';
    const refused = await provision(dir, flags);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(
      'cashRegister.organisationNumber "974760674" is not valid; expected a valid organisation number: the last digit (mod-11 check) does not match',
    );
    await expect(stat(join(dir, 'secrets.json'))).rejects.toThrow(/ENOENT/);
  }, 30_000);
});
