import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../common/package-root.js';
import type { RunningSandbox } from '../../sandbox/index.js';

/**
 * A configuration directory as a kiosk has it (config.json 0644, secrets.json 0600), paying into a
 * sandbox, for tests that start the compiled CLI: `vipps-kiosk run --config-dir DIR`.
 */
export async function sandboxConfigDir(
  sandbox: RunningSandbox,
  extra: Record<string, unknown> = {},
  extraSecrets: Record<string, unknown> = {},
): Promise<{ dir: string; stateDir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'vk-config-'));
  const stateDir = join(dir, 'state');
  const config = {
    device: { id: 'run-kiosk-1', site: 'demo' },
    vipps: {
      environment: 'sandbox',
      baseUrl: sandbox.url,
      merchantSerialNumber: sandbox.credentials.merchantSerialNumber,
    },
    catalog: { file: join(packageRoot(), 'device', 'catalog', 'demo-catalog.json') },
    server: { port: 0 },
    stateDir,
    ...extra,
  };
  const { clientId, clientSecret, subscriptionKey } = sandbox.credentials;
  await writeFile(join(dir, 'config.json'), JSON.stringify(config), { mode: 0o644 });
  await writeFile(
    join(dir, 'secrets.json'),
    JSON.stringify({ vipps: { clientId, clientSecret, subscriptionKey }, ...extraSecrets }),
    {
      mode: 0o600,
    },
  );
  return { dir, stateDir };
}
