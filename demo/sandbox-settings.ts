import { join } from 'node:path';
import { packageRoot } from '../common/package-root.js';
import type { Language } from '../contracts/screen-model.js';
import type { Country } from '../device/checkout/domain/market.js';
import { CURRENCY_OF } from '../device/checkout/domain/market.js';
import { parseSettings } from '../device/config/load.js';
import type { Settings } from '../device/config/schema.js';
import type { VippsCredentials } from '../device/vipps/client.js';
import { DANISH_MSN, FINNISH_MSN } from '../sandbox/sales-units.js';

export interface SandboxTarget {
  url: string;
  credentials: VippsCredentials;
}

/**
 * What the demo sells with in each market: the catalog (the same barcodes, priced in the market's currency
 * and named in its language), the language each customer is greeted in, and the sandbox's sales unit of
 * that market (the Norwegian one is the unit the sandbox's credentials name).
 */
export const DEMO_MARKETS: Readonly<
  Record<Country, { catalog: string; language: Language; merchantSerialNumber: string | null }>
> = {
  NO: { catalog: 'demo-catalog.json', language: 'nb', merchantSerialNumber: null },
  DK: { catalog: 'demo-catalog-dk.json', language: 'da', merchantSerialNumber: DANISH_MSN },
  FI: { catalog: 'demo-catalog-fi.json', language: 'fi', merchantSerialNumber: FINNISH_MSN },
};

/**
 * The embedded defaults of a kiosk paying into a local sandbox: the demo catalog of its market, the
 * sandbox's keys, a store called "Butikken Demo". The demo uses them, and so do tests and benchmarks, each with the
 * few values it changes; VK_* variables in `env` still apply on top.
 */
export function sandboxSettings(
  sandbox: SandboxTarget,
  options: {
    stateDir: string;
    port: number;
    deviceId?: string;
    /** The market it sells in; Norway (Vipps, NOK) by default. */
    market?: Country;
    extra?: Record<string, unknown>;
    /** Secrets beside the sandbox's Vipps keys (the demo's cash-register signing key). */
    secrets?: Record<string, unknown>;
  },
  env: NodeJS.ProcessEnv = {},
): Settings {
  const { credentials } = sandbox;
  const country = options.market ?? 'NO';
  const market = DEMO_MARKETS[country];
  return parseSettings(
    {
      device: { id: options.deviceId ?? 'demo-kiosk-1', site: 'demo', label: 'Demo kiosk' },
      store: { name: 'Butikken Demo', country, currency: CURRENCY_OF[country] },
      vipps: {
        environment: 'sandbox',
        baseUrl: sandbox.url,
        merchantSerialNumber: market.merchantSerialNumber ?? credentials.merchantSerialNumber,
      },
      catalog: { file: join(packageRoot(), 'device', 'catalog', market.catalog) },
      checkout: { language: market.language },
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
