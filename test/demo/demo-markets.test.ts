import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/config-error.js';
import { packageRoot } from '../../common/package-root.js';
import { DEMO_COMPANY } from '../../demo/demo-cash-register.js';
import { DEMO_MARKETS, sandboxSettings } from '../../demo/sandbox-settings.js';
import { loadCatalogFile } from '../../device/catalog/catalog-file.js';
import { COUNTRIES } from '../../device/checkout/domain/market.js';
import { DANISH_MSN, FINNISH_MSN } from '../../sandbox/sales-units.js';

// `vipps-kiosk demo --market DK|FI`: the same demo in Denmark and Finland, through the sandbox's sales unit
// of that market, with the catalog priced in its currency and the customer greeted in its language.

const sandbox = {
  url: 'http://127.0.0.1:7070',
  credentials: { clientId: 'c', clientSecret: 's', subscriptionKey: 'k', merchantSerialNumber: '123456' },
};
const catalogPath = (market: keyof typeof DEMO_MARKETS) =>
  join(packageRoot(), 'device', 'catalog', DEMO_MARKETS[market].catalog);

describe('the demo in each market', () => {
  it.each([
    ['NO', 'NOK', '123456', 'nb'],
    ['DK', 'DKK', DANISH_MSN, 'da'],
    ['FI', 'EUR', FINNISH_MSN, 'fi'],
  ] as const)(
    'sells in %s in %s through sales unit %s, greeting in %s',
    async (market, currency, msn, language) => {
      const settings = sandboxSettings(sandbox, { stateDir: '/tmp/unused', port: 0, market });
      expect(settings.store).toMatchObject({ country: market, currency });
      expect(settings.vipps.merchantSerialNumber).toBe(msn);
      expect(settings.checkout.language).toBe(language);
      const catalog = await loadCatalogFile(settings.catalog.file);
      expect(catalog.market).toEqual({ country: market, currency });
    },
  );

  it('scans the same barcodes in every market, each priced in its own currency', async () => {
    const gtins = await Promise.all(
      COUNTRIES.map(async (market) => (await loadCatalogFile(catalogPath(market))).all().map((p) => p.gtin)),
    );
    for (const list of gtins) expect(list).toEqual(gtins[0]);
    const milk = await Promise.all(
      COUNTRIES.map(async (market) => (await loadCatalogFile(catalogPath(market))).lookup('2000000000015')),
    );
    expect(milk.map((product) => [product?.name, product?.unitPrice])).toEqual([
      ['Melk 1 l', 2490],
      ['Mælk 1 l', 1295],
      ['Maito 1 l', 119],
    ]);
  });

  it('refuses a cash register outside Norway', () => {
    expect(() =>
      sandboxSettings(sandbox, {
        stateDir: '/tmp/unused',
        port: 0,
        market: 'DK',
        extra: { cashRegister: DEMO_COMPANY },
      }),
    ).toThrow(ConfigError);
  });
});
