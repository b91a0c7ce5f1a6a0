import { join } from 'node:path';
import { packageRoot } from '../common/package-root.js';
import { parseSettings } from '../device/config/load.js';
import type { Settings } from '../device/config/schema.js';
import type { VippsCredentials } from '../device/vipps/client.js';

export interface SandboxTarget {
  url: string;
  credentials: VippsCredentials;
}

/**
 * The embedded defaults of a kiosk paying into a local sandbox: the demo catalog, the sandbox's keys,
 * a store called "Butikken Demo". The demo uses them, and so do tests and benchmarks, each with the
 * few values it changes; VK_* variables in `env` still apply on top.
 */
export function sandboxSettings(
  sandbox: SandboxTarget,
  options: {
    stateDir: string;
    port: number;
    deviceId?: string;
    extra?: Record<string, unknown>;
    /** Secrets beside the sandbox's Vipps keys (the demo's cash-register signing key). */
    secrets?: Record<string, unknown>;
  },
  env: NodeJS.ProcessEnv = {},
): Settings {
  const { credentials } = sandbox;
  return parseSettings(
    {
      device: { id: options.deviceId ?? 'demo-kiosk-1', site: 'demo', label: 'Demo kiosk' },
      store: { name: 'Butikken Demo', country: 'NO', currency: 'NOK' },
      vipps: {
        environment: 'sandbox',
        baseUrl: sandbox.url,
        merchantSerialNumber: credentials.merchantSerialNumber,
      },
      catalog: { file: join(packageRoot(), 'device', 'catalog', 'demo-catalog.json') },
      server: { port: options.port },
      stateDir: options.stateDir,
      secrets: {
        vipps: {
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
          subscriptionKey: credentials.subscriptionKey,
        },
        ...options.secrets,
      },
      ...options.extra,
    },
    env,
    { config: 'demo defaults', secrets: 'demo defaults' },
  );
}
