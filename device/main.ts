import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SimulatedClock } from 'xstate';
import type { Catalog } from './catalog/catalog.js';
import { loadCatalogFile } from './catalog/catalog-file.js';
import { CheckoutService } from './checkout/checkout-service.js';
import { FileReceiptNumbers } from './checkout/domain/receipt-number.js';
import { DEFAULT_TIMING } from './checkout/ports.js';
import { provideCheckout } from './checkout/provide.js';
import { ConfigError } from './config/load.js';
import { type Settings, vippsBaseUrl } from './config/schema.js';
import type { Logger } from './log/logger.js';
import { packageRoot } from './package-root.js';
import { type DemoInfo, KioskServer } from './server/kiosk-server.js';
import { VippsClient } from './vipps/client.js';

export interface KioskRuntime {
  url: string;
  checkout: CheckoutService;
  stop(): Promise<void>;
}

/** The composition root: settings in, adapters chosen and wired, parts started; stopped in reverse. */
export async function startKiosk(
  settings: Settings,
  options: {
    logger: Logger;
    demo: DemoInfo | null;
    /** Tests only: run the checkout's timers and clock on a simulated clock. */
    clock?: SimulatedClock;
  },
): Promise<KioskRuntime> {
  const { logger } = options;
  await mkdir(settings.stateDir, { recursive: true });
  const catalog = await loadCatalogFile(settings.catalog.file);
  checkCatalogMarket(catalog, settings);

  const vipps = new VippsClient({
    baseUrl: vippsBaseUrl(settings),
    credentials: { ...settings.secrets.vipps, merchantSerialNumber: settings.vipps.merchantSerialNumber },
    system: settings.vipps,
    retry: settings.vipps.retry,
    timeouts: settings.vipps.timeouts,
    tokenRefreshMarginMs: settings.vipps.tokenRefreshMarginMs,
    logger: logger.child('vipps'),
  });
  const receiptNumbers = new FileReceiptNumbers(settings.stateDir);
  const checkout = new CheckoutService(
    provideCheckout({ payments: vipps.epayment, receiptNumbers }),
    {
      catalog,
      kioskId: settings.device.id,
      storeName: settings.store.name,
      timing: {
        ...DEFAULT_TIMING,
        idleAfterMs: settings.checkout.idleAfterMs,
        idleWarningMs: settings.checkout.idleWarningMs,
      },
      defaultLanguage: settings.checkout.language,
      now: options.clock ? () => options.clock!.now() : Date.now,
    },
    { demo: options.demo !== null, logger: logger.child('checkout'), clock: options.clock },
  );
  const server = new KioskServer(
    {
      port: settings.server.port,
      uiDir: join(packageRoot(), 'dist', 'ui'),
      catalog,
      logger: logger.child('server'),
      demo: options.demo,
      startedAt: Date.now(),
    },
    checkout,
  );

  checkout.start();
  const url = await server.start();
  logger.info('kiosk ready', { url, kiosk: settings.device.id, vipps: vippsBaseUrl(settings) });
  return {
    url,
    checkout,
    async stop() {
      await server.stop();
      checkout.stop();
      await receiptNumbers.close();
      await vipps.stop();
    },
  };
}

/** A catalog priced for another market would ask Vipps for the wrong currency (error 5040) all day. */
function checkCatalogMarket(catalog: Catalog, settings: Settings): void {
  const { currency, country } = catalog.market;
  if (currency !== settings.store.currency || country !== settings.store.country) {
    throw new ConfigError([
      `${settings.catalog.file}: priced in ${currency} for ${country}, but store.currency/store.country say ` +
        `${settings.store.currency}/${settings.store.country}; expected the catalog of this store's market`,
    ]);
  }
}
