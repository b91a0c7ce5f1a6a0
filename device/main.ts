import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SimulatedClock } from 'xstate';
import { ConfigError } from '../common/config-error.js';
import type { Logger } from '../common/log/logger.js';
import { packageRoot, packageVersion } from '../common/package-root.js';
import type { Catalog } from './catalog/catalog.js';
import { loadCatalogFile } from './catalog/catalog-file.js';
import { ReloadableCatalog } from './catalog/reloadable-catalog.js';
import { CheckoutService } from './checkout/checkout-service.js';
import { FileReceiptNumbers } from './checkout/domain/receipt-number.js';
import { DEFAULT_TIMING } from './checkout/ports.js';
import { provideCheckout } from './checkout/provide.js';
import { bindingMessage } from './club/binding-message.js';
import type { Club } from './club/club.js';
import { ClubMembership } from './club/club-membership.js';
import { HttpClub } from './club/http-club.js';
import { clubStoreName, openClub } from './club/open-club.js';
import { type Settings, vippsBaseUrl } from './config/schema.js';
import { HardwareError } from './hardware/hardware-error.js';
import { deviceStatus, ledsFor, scannerFor } from './hardware/kiosk-hardware.js';
import type { ScannerPort } from './hardware/scanner-port.js';
import { StatusLights } from './hardware/status-lights.js';
import { JournalingPayments } from './journal/journaling-payments.js';
import { RecoveryService } from './journal/recovery-service.js';
import { JOURNAL_FILE, SqliteJournal } from './journal/sqlite-journal.js';
import { type DemoInfo, KioskServer } from './server/kiosk-server.js';
import { hqCommandHandler } from './telemetry/hq-commands.js';
import { KioskTelemetry } from './telemetry/kiosk-telemetry.js';
import { OUTBOX_FILE, SqliteOutbox } from './telemetry/outbox.js';
import { TelemetryPublisher } from './telemetry/publisher.js';
import { rebootWhenIdle } from './telemetry/reboot-when-idle.js';
import { VippsCallStats } from './vipps/call-stats.js';
import { VippsClient } from './vipps/client.js';
import { PaymentHints } from './webhooks/payment-hints.js';

export interface KioskRuntime {
  url: string;
  checkout: CheckoutService;
  recovery: RecoveryService;
  /** The scanner adapter in use (the demo's simulated one), or null when configured off. */
  scanner: ScannerPort | null;
  /** Sends HQ an `info` event when telemetry is configured (the boot self-test); otherwise nothing. */
  report(type: string, payload: Record<string, unknown>): void;
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
    /** How HQ's `reboot` reboots the machine (`vipps-kiosk run`); absent, the command is refused. */
    reboot?: () => Promise<void>;
  },
): Promise<KioskRuntime> {
  const { logger } = options;
  await mkdir(settings.stateDir, { recursive: true });
  const catalog = new ReloadableCatalog(settings.catalog.file, await loadCatalogFile(settings.catalog.file));
  checkCatalogMarket(catalog, settings);

  const vippsCalls = new VippsCallStats();
  const vipps = new VippsClient({
    baseUrl: vippsBaseUrl(settings),
    credentials: { ...settings.secrets.vipps, merchantSerialNumber: settings.vipps.merchantSerialNumber },
    system: settings.vipps,
    retry: settings.vipps.retry,
    timeouts: settings.vipps.timeouts,
    tokenRefreshMarginMs: settings.vipps.tokenRefreshMarginMs,
    clientAuth: settings.club.clientAuth,
    userinfoSubscriptionKey: settings.club.userinfoSubscriptionKey,
    logger: logger.child('vipps'),
    observe: vippsCalls.observe,
  });
  const receiptNumbers = new FileReceiptNumbers(settings.stateDir);
  const journal = SqliteJournal.open(join(settings.stateDir, JOURNAL_FILE));
  const payments = new JournalingPayments(vipps.epayment, journal);
  const recovery = new RecoveryService(journal, payments, {
    logger: logger.child('recovery'),
    retryMs: 30_000,
    // Vipps keeps a request 10 minutes; one it took in but had not processed could appear that late.
    lateWindowMs: 10 * 60_000,
    now: Date.now,
    // Called only once recovery has started, below, by when the checkout exists.
    onChange: () => checkout.refresh(),
  });
  const demo = options.demo !== null;
  const scanner = await scannerFor(settings.hardware.scanner, { demo, logger: logger.child('scanner') });
  const ledPort = ledsFor(settings.hardware.leds, { demo });
  // A flash ends on its own timer: the demo overlay must hear of it.
  const lights = ledPort ? new StatusLights(ledPort, { onFlashEnd: () => checkout.refresh() }) : undefined;
  // With a broker, HQ's relayed webhooks tell the checkout when to look; polling goes on regardless.
  const hints = settings.telemetry.brokerUrl
    ? new PaymentHints(payments, {
        merchantSerialNumber: settings.vipps.merchantSerialNumber,
        // Used from the first payment on, by when `telemetry` below exists.
        link: () => telemetry?.publisher,
        onHint: (reference, name) => checkout.paymentEvent(reference, name),
        logger: logger.child('webhooks'),
        subscribeTimeoutMs: 1_000,
        watchForMs: DEFAULT_TIMING.approvalWindowMs + DEFAULT_TIMING.approvalGraceMs + 60_000,
      })
    : undefined;
  const club: Club | undefined = settings.club.enabled ? openClub(settings, logger.child('club')) : undefined;
  const membership = club
    ? new ClubMembership({
        club,
        login: vipps.login,
        qr: vipps.qr,
        kioskId: settings.device.id,
        logger: logger.child('club'),
      })
    : undefined;
  const checkout = new CheckoutService(
    provideCheckout({ payments: hints ?? payments, receiptNumbers, membership }),
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
      onAbandon: (reference) => {
        if (journal.outcome(reference) !== null) return;
        journal.step(reference, 'abandoned', {});
        recovery.take(reference);
      },
      club: settings.club.enabled
        ? {
            scopes: settings.club.scopes,
            loginExpirySeconds: settings.club.loginExpirySeconds,
            bindingMessage,
          }
        : null,
    },
    {
      demo: options.demo !== null,
      logger: logger.child('checkout'),
      clock: options.clock,
      recovery: () => recovery.report(),
      device: () => deviceStatus(scanner),
      statusLights: lights,
    },
  );
  scanner?.subscribe((event) => {
    if (event.type === 'scan') checkout.scan(event.text);
    else if (event.type === 'dropped') checkout.scanDropped();
    else checkout.refresh();
  });
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

  const reboot = rebootWhenIdle(checkout, options.reboot, logger.child('reboot'));
  const telemetry = startTelemetry(settings, logger, { checkout, catalog, vippsCalls, reboot, club });

  await club?.start();
  checkout.start();
  // The kiosk takes customers while recovery settles old payments: those touch only old references.
  recovery.start();
  telemetry?.start();
  await startLights(lights, logger);
  checkout.refresh();
  await scanner?.start();
  const url = await server.start();
  logger.info('kiosk ready', {
    url,
    kiosk: settings.device.id,
    vipps: vippsBaseUrl(settings),
    club: club ? clubStoreName(settings) : 'off',
  });
  let stopped = false;
  return {
    url,
    checkout,
    recovery,
    scanner,
    report: (type, payload) => telemetry?.report(type, payload),
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await scanner?.stop();
      await lights?.stop();
      await telemetry?.stop();
      hints?.stop();
      checkout.stop();
      await club?.stop();
      await recovery.stop();
      await receiptNumbers.close();
      journal.stop();
      await vipps.stop();
    },
  };
}

/** HQ telemetry when a broker is configured: state, sale events through the outbox, health. */
function startTelemetry(
  settings: Settings,
  logger: Logger,
  parts: {
    checkout: CheckoutService;
    catalog: ReloadableCatalog;
    vippsCalls: VippsCallStats;
    reboot: () => { rebootingInSeconds: number };
    club: Club | undefined;
  },
): KioskTelemetry | undefined {
  const { checkout, catalog, vippsCalls, reboot, club } = parts;
  const { telemetry } = settings;
  if (!telemetry.brokerUrl) return undefined;
  const read = (file: string | undefined) => (file ? readFileSync(file) : undefined);
  const outbox = SqliteOutbox.open(join(settings.stateDir, OUTBOX_FILE));
  const publisher: TelemetryPublisher = new TelemetryPublisher({
    url: telemetry.brokerUrl,
    site: settings.device.site,
    device: settings.device.id,
    version: packageVersion(),
    outbox,
    logger: logger.child('telemetry'),
    username: telemetry.username,
    password: settings.secrets.telemetry.password,
    tls: telemetry.caFile
      ? { ca: read(telemetry.caFile), cert: read(telemetry.certFile), key: read(telemetry.keyFile) }
      : undefined,
    protocolVersion: telemetry.protocolVersion,
    willDelaySeconds: telemetry.willDelaySeconds,
    // Answered only once connected, by when `publisher` below exists.
    onCommand: hqCommandHandler({
      identify: (seconds) => checkout.identify(seconds),
      maintenance: (on) => {
        checkout.maintenance(on);
        return { screen: checkout.model().screen };
      },
      reloadCatalog: () => catalog.reload(),
      reboot,
      diagnostics: (): Record<string, unknown> => {
        const model = checkout.model();
        return {
          version: packageVersion(),
          node: process.version,
          uptimeSeconds: Math.round(process.uptime()),
          screen: model.screen,
          machineState: model.machineState,
          vippsReachable: model.vippsReachable,
          recovery: model.recovery,
          catalogProducts: catalog.all().length,
          telemetry: publisher.stats(),
        };
      },
    }),
  });
  return new KioskTelemetry(publisher, checkout, {
    stateDir: settings.stateDir,
    healthIntervalMs: telemetry.healthIntervalMs,
    vippsCalls: () => vippsCalls.summary(),
    ...(club instanceof HttpClub ? { crmDeliveries: () => club.stats() } : {}),
    onStopped: () => outbox.stop(),
  });
}

/** LEDs that cannot be driven are logged for the tech, and the kiosk sells without them. */
async function startLights(lights: StatusLights | undefined, logger: Logger): Promise<void> {
  try {
    await lights?.start();
  } catch (error) {
    if (!(error instanceof HardwareError)) throw error;
    logger.error(`status LEDs off: ${error.message}`);
  }
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
