// The daemon's composition root. Over 400 lines on purpose: every part is chosen and wired here once, in
// start order, so one file shows how the kiosk is put together; the parts that form a whole of their own
// are composed beside it (checkout-composition.ts, till-composition.ts, hq-link.ts).

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SimulatedClock } from 'xstate';
import { ConfigError } from '../common/config-error.js';
import { component, startInOrder } from '../common/lifecycle.js';
import type { Logger } from '../common/log/logger.js';
import { packageRoot } from '../common/package-root.js';
import type { CopyDesk } from './cash-register/copies.js';
import { openCashRegister } from './cash-register/open-cash-register.js';
import { reportForHq } from './cash-register/reports.js';
import { saftToHq } from './cash-register/saft-to-hq.js';
import { TrainingMode, TrainingRoute } from './cash-register/training.js';
import {
  installedSandboxCommand,
  type SandboxCommand,
  TrainingSandbox,
} from './cash-register/training-sandbox.js';
import type { Catalog } from './catalog/catalog.js';
import { loadCatalogFile } from './catalog/catalog-file.js';
import { ReloadableCatalog } from './catalog/reloadable-catalog.js';
import type { CheckoutService } from './checkout/checkout-service.js';
import { FileReceiptNumbers } from './checkout/domain/receipt-number.js';
import { DEFAULT_TIMING, type Payments } from './checkout/ports.js';
import { composeCheckout } from './checkout-composition.js';
import { bindingMessage } from './club/binding-message.js';
import type { Club } from './club/club.js';
import { ClubMembership } from './club/club-membership.js';
import { HttpClub } from './club/http-club.js';
import { clubStoreName, openClub } from './club/open-club.js';
import { CLUB_FILE, memberRetention } from './club/sqlite-club.js';
import { type Settings, vippsBaseUrl } from './config/schema.js';
import { FakeKeys } from './hardware/fake-keys.js';
import { HardwareError } from './hardware/hardware-error.js';
import type { KeyPort } from './hardware/key-port.js';
import { deviceStatus, keysFor, ledsFor, scannerFor } from './hardware/kiosk-hardware.js';
import type { ScannerPort } from './hardware/scanner-port.js';
import { StatusLights } from './hardware/status-lights.js';
import { hqCommands, telemetryLink } from './hq-link.js';
import type { RecoveryService } from './journal/recovery-service.js';
import { JOURNAL_FILE, journalRetention, SqliteJournal } from './journal/sqlite-journal.js';
import { DemoPrinterDesk } from './printer/demo-printer.js';
import { FakePrinter } from './printer/fake-printer.js';
import { printerFor, withPrinter } from './printer/printer-for.js';
import type { PrinterPort } from './printer/printer-port.js';
import { PrinterRule } from './printer/printer-rule.js';
import { COLUMNS } from './printer/receipt-layout.js';
import type { ReceiptPrinting } from './printer/receipt-printing.js';
import { type DemoInfo, KioskServer } from './server/kiosk-server.js';
import { newScreenToken } from './server/screen-guard.js';
import { openSpeech } from './speech/open-speech.js';
import type { SpeechPort } from './speech/speech-port.js';
import { RetentionSweep } from './storage/retention-sweep.js';
import { Alerts } from './telemetry/alerts.js';
import { commandKeysIn } from './telemetry/command-keys.js';
import { KioskAlerts } from './telemetry/kiosk-alerts.js';
import { KioskTelemetry } from './telemetry/kiosk-telemetry.js';
import { rebootWhenIdle } from './telemetry/reboot-when-idle.js';
import { openTerminal } from './terminal/open-terminal.js';
import { recordingReferences } from './terminal/terminal-bridge.js';
import { openTerminalDb, TERMINAL_DB_FILE } from './terminal/terminal-db.js';
import { composeTill } from './till-composition.js';
import { VippsCallStats } from './vipps/call-stats.js';
import { VippsClient } from './vipps/client.js';
import { PaymentHints } from './webhooks/payment-hints.js';

export interface KioskRuntime {
  url: string;
  /** The per-boot secret the screen presents (`screenPageUrl(url, screenToken)` opens the screen). */
  screenToken: string;
  checkout: CheckoutService;
  recovery: RecoveryService;
  /** Staff mode's copy of the last receipt and training switch; null unless the kiosk is a cash register. */
  copies: CopyDesk | null;
  training: TrainingMode | null;
  /** The scanner adapter in use (the demo's simulated one), or null when configured off. */
  scanner: ScannerPort | null;
  /** The receipt printer in use (the demo's simulated one), or null when configured off. */
  printer: PrinterPort | null;
  /** Prints sales' receipts and what staff ask for; absent without a printer or a cash register. */
  receipts: ReceiptPrinting | undefined;
  /** Attended mode: the terminal API's URL and certificate fingerprint (null on 127.0.0.1); null otherwise. */
  terminal: { url: string; fingerprint: string | null } | null;
  /** Sends HQ an `info` event when telemetry is configured (the boot self-test); otherwise nothing. */
  report(type: string, payload: Record<string, unknown>): void;
  /** Whether the connection to HQ's broker is up; null when no broker is configured. */
  brokerConnected(): boolean | null;
  stop(): Promise<void>;
}

export interface KioskOptions {
  logger: Logger;
  demo: DemoInfo | null;
  /** Tests only: run the checkout's timers and clock on a simulated clock. */
  clock?: SimulatedClock;
  /** How HQ's `reboot` reboots the machine (`vipps-kiosk run`); absent, the command is refused. */
  reboot?: () => Promise<void>;
  /**
   * The folder of HQ's public command keys (`*.pub`; `hq-command-keys` in the configuration directory).
   * Absent, missing or empty, every HQ command is refused.
   */
  commandKeysDir?: string;
  /** The screen's token (`vipps-kiosk run` keeps one per boot in its runtime directory); absent, a fresh one. */
  screenToken?: string;
  /** Tests: how training mode runs the Vipps sandbox (the TypeScript CLI); absent, the installed command. */
  trainingSandbox?: SandboxCommand;
  /**
   * The tactile keys of speech mode as a FakeKeys (tests, and `demo --speech`, whose panel presses them);
   * absent, the configured ones (`hardware.keys`).
   */
  keys?: KeyPort;
  /** Tests: the speech engine instead of espeak-ng through ALSA (a recorder, WAV files); turns speech on. */
  speech?: SpeechPort;
}

/**
 * The composition root: settings in, adapters chosen and built (constructors only assign), then started
 * in order by `startInOrder`; a part that fails to start stops the ones before it, and `stop` stops them
 * all in reverse. Parts that listen to one another subscribe once both exist: no part is handed another
 * that does not exist yet.
 */
export async function startKiosk(settings: Settings, options: KioskOptions): Promise<KioskRuntime> {
  const { logger } = options;
  await mkdir(settings.stateDir, { recursive: true });
  const catalog = new ReloadableCatalog(settings.catalog.file, await loadCatalogFile(settings.catalog.file));
  checkCatalogMarket(catalog, settings);
  const demo = options.demo !== null;
  const scanner = await scannerFor(settings.hardware.scanner, { demo, logger: logger.child('scanner') });
  const ledPort = ledsFor(settings.hardware.leds, { demo });
  const keys = options.keys ?? keysFor(settings.hardware.keys, logger.child('keys'));
  const printer = await printerFor(settings.hardware.printer, { demo, logger: logger.child('printer') });

  const vippsCalls = new VippsCallStats();
  const vippsOptions = {
    baseUrl: vippsBaseUrl(settings),
    credentials: { ...settings.secrets.vipps, merchantSerialNumber: settings.vipps.merchantSerialNumber },
    system: settings.vipps,
    retry: settings.vipps.retry,
    timeouts: settings.vipps.timeouts,
    tokenRefreshMarginMs: settings.vipps.tokenRefreshMarginMs,
    clientAuth: settings.club.clientAuth,
    userinfoSubscriptionKey: settings.club.userinfoSubscriptionKey,
    logger: logger.child('vipps'),
  };
  const vipps = new VippsClient({ ...vippsOptions, observe: vippsCalls.observe });
  const receiptNumbers = new FileReceiptNumbers(settings.stateDir);
  const journal = SqliteJournal.open(join(settings.stateDir, JOURNAL_FILE));
  // At start, before the checkout (an upgrade's redaction runs before any new payment), then daily.
  const retention = new RetentionSweep(
    [
      ...journalRetention(journal, settings.journal.retentionDays),
      memberRetention(
        join(settings.stateDir, CLUB_FILE),
        settings.club.memberRetentionDays,
        logger.child('club'),
      ),
    ],
    { logger: logger.child('retention'), now: Date.now },
  );
  const lights = ledPort ? new StatusLights(ledPort) : undefined;
  const link = telemetryLink(settings, logger);
  if (
    link &&
    options.commandKeysDir !== undefined &&
    commandKeysIn(options.commandKeysDir, logger).size === 0
  )
    logger.warn('no HQ command key installed: every HQ command will be refused', {
      folder: options.commandKeysDir,
    });
  // With a broker, HQ's relayed webhooks tell the checkout when to look; polling goes on regardless.
  const hints = link
    ? (payments: Payments) =>
        new PaymentHints(payments, {
          merchantSerialNumber: settings.vipps.merchantSerialNumber,
          link: link.publisher,
          logger: logger.child('webhooks'),
          subscribeTimeoutMs: 1_000,
          watchForMs: DEFAULT_TIMING.approvalWindowMs + DEFAULT_TIMING.approvalGraceMs + 60_000,
        })
    : undefined;
  let hinted: PaymentHints | undefined;
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
  // Attended mode: the store's POS is the cash register; the kiosk keeps only its payment journal.
  const attended = settings.mode === 'attended';
  const till = attended ? undefined : openCashRegister(settings, Date.now);
  const terminalDb = attended
    ? openTerminalDb(join(settings.stateDir, TERMINAL_DB_FILE), Date.now)
    : undefined;
  // Training mode's payments never reach Vipps: a route outside the payment journal sends them to the
  // sandbox (training-sandbox.ts says why as a child process), through a client with the sandbox's keys.
  const training = till && new TrainingMode(till);
  const trainingSandbox =
    training &&
    new TrainingSandbox({
      command: options.trainingSandbox ?? installedSandboxCommand(),
      client: ({ url, credentials }) =>
        new VippsClient({ ...vippsOptions, baseUrl: url, credentials, logger: logger.child('training') }),
      logger: logger.child('training'),
      startTimeoutMs: 15_000,
    });
  let trainingRoute: TrainingRoute | undefined;
  const { checkout, recovery, components } = composeCheckout({
    payments: vipps.epayment,
    journal,
    recovery: {
      logger: logger.child('recovery'),
      retryMs: 30_000,
      // Vipps keeps a request 10 minutes; one it took in but had not processed could appear that late.
      lateWindowMs: 10 * 60_000,
      now: Date.now,
    },
    around: (journaled) => {
      hinted = hints?.(journaled);
      if (terminalDb) return recordingReferences(hinted ?? journaled, terminalDb.transactions);
      if (!training || !trainingSandbox) return hinted ?? journaled;
      trainingRoute = new TrainingRoute(hinted ?? journaled, training, () => trainingSandbox.payments());
      return trainingRoute;
    },
    receiptNumbers,
    membership,
    env: {
      catalog,
      kioskId: settings.device.id,
      merchantSerialNumber: settings.vipps.merchantSerialNumber,
      storeName: settings.store.name,
      ...(settings.cashRegister && !attended ? { seller: settings.cashRegister } : {}),
      ...(attended ? { attended: true } : {}),
      timing: {
        ...DEFAULT_TIMING,
        idleAfterMs: settings.checkout.idleAfterMs,
        idleWarningMs: settings.checkout.idleWarningMs,
      },
      defaultLanguage: settings.checkout.language,
      club: settings.club.enabled
        ? {
            scopes: settings.club.scopes,
            loginExpirySeconds: settings.club.loginExpirySeconds,
            bindingMessage,
          }
        : null,
    },
    service: {
      demo,
      logger: logger.child('checkout'),
      clock: options.clock,
      device: () => withPrinter(deviceStatus(scanner), printer),
      statusLights: lights,
      ...(training ? { training: () => training.isOn() } : {}),
    },
  });
  training?.onChange(() => checkout.refresh());
  if (!recovery) throw new Error('the kiosk journals every payment: recovery is part of it');
  hinted?.onHint((reference, name) => checkout.paymentEvent(reference, name));
  // A flash ends on its own timer: the demo overlay must hear of it.
  lights?.onFlashEnd(() => checkout.refresh());
  scanner?.subscribe((event) => {
    if (event.type === 'scan') checkout.scan(event.text);
    else if (event.type === 'dropped') checkout.scanDropped();
    else checkout.refresh();
  });
  const alerts = new Alerts({
    publish: (event) => link?.publisher.event(event.type, event.payload, event.class),
    now: Date.now,
  });
  const seller = attended ? undefined : settings.cashRegister;
  const terminal =
    terminalDb &&
    (await openTerminal({
      settings,
      db: terminalDb,
      checkout,
      journal,
      recovery,
      refunds: vipps.epayment,
      membership,
      market: catalog.market,
      logger: logger.child('terminal'),
    }));
  const cashRegister =
    till && seller && training
      ? composeTill({
          settings: { ...settings, cashRegister: seller },
          till,
          checkout,
          catalog,
          printer,
          receiptNumbers,
          journal,
          recovery,
          training,
          trainingRoute,
          refunds: vipps.epayment,
          alerts,
          publish: (type, payload, eventClass) => link?.publisher.event(type, payload, eventClass),
          clock: options.clock,
          logger,
        })
      : undefined;
  const telemetry = link
    ? new KioskTelemetry(link.publisher, checkout, {
        stateDir: settings.stateDir,
        healthIntervalMs: settings.telemetry.healthIntervalMs,
        vippsCalls: () => vippsCalls.summary(),
        training: (reference) => trainingRoute?.isTraining(reference) ?? false,
        ...(club instanceof HttpClub ? { crmDeliveries: () => club.stats() } : {}),
        ...(printer ? { printer: () => printerHealth(printer) } : {}),
      })
    : undefined;
  const printerRule = new PrinterRule({
    printer,
    required: settings.store.country === 'NO' && seller !== undefined && !seller.allowSaleWithoutPrinter,
    checkout,
    alerts,
    onChange: () => {
      checkout.refresh();
      telemetry?.healthNow();
    },
  });
  link?.publisher.answerCommands(
    hqCommands({
      checkout,
      catalog,
      publisher: link.publisher,
      reboot: rebootWhenIdle(checkout, options.reboot, logger.child('reboot')),
      ...(cashRegister
        ? { report: (kind: 'x' | 'z') => reportForHq(cashRegister.reportDesk.make(kind)) }
        : {}),
      ...(till && seller
        ? {
            saftExport: saftToHq({
              ...till,
              settings: { ...settings, cashRegister: seller },
              send: (id, chunks) => link.publisher.sendFile(id, chunks),
              now: Date.now,
            }),
          }
        : {}),
    }),
    {
      keys: () => commandKeysIn(options.commandKeysDir, logger.child('telemetry')),
      nonces: link.nonces,
    },
  );
  const speech = openSpeech(settings.speech, {
    checkout,
    logger: logger.child('speech'),
    ...(options.speech ? { port: options.speech } : {}),
    ...(keys ? { keys } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const screenToken = options.screenToken ?? newScreenToken();
  const brokerConnected = () => (link ? link.publisher.stats().connected : null);
  const server = new KioskServer(
    {
      port: settings.server.port,
      uiDir: join(packageRoot(), 'dist', 'ui'),
      screenToken,
      catalog,
      logger: logger.child('server'),
      demo: options.demo,
      startedAt: Date.now(),
      alerts: () => alerts.active(),
      hqBroker: brokerConnected,
      ...(printer ? { printer: () => printer.status() } : {}),
      ...(printer instanceof FakePrinter
        ? { demoPrinter: new DemoPrinterDesk(printer, COLUMNS[settings.hardware.printer.paperWidth]) }
        : {}),
      ...(speech ? { speech: speech.mode } : {}),
      ...(options.demo && keys instanceof FakeKeys ? { demoKeys: keys } : {}),
    },
    checkout,
  );

  let url = '';
  const running = await startInOrder(
    [
      component('Vipps client', noop, () => vipps.stop()),
      trainingSandbox && component('training sandbox', noop, () => trainingSandbox.stop()),
      component('receipt numbers', noop, () => receiptNumbers.close()),
      component('payment journal', noop, () => journal.stop()),
      retention,
      club &&
        component(
          'customer club',
          () => club.start(),
          () => club.stop(),
        ),
      // Before the checkout's parts: the journal records the start, and hears the first sale.
      cashRegister?.recorder,
      cashRegister?.reportDesk,
      cashRegister?.returns.recovery,
      ...components,
      // After recovery: a POS asking about a payment a restart interrupted gets the journal's answer.
      terminal?.component,
      // After the checkout: staff mode takes its screen; stopping logs out whoever is logged in (journaled).
      cashRegister?.staffMode && component('staff mode', noop, () => cashRegister.staffMode?.close()),
      link && component('telemetry outbox', noop, () => link.outbox.stop()),
      link && component('HQ command nonces', noop, () => link.nonces.stop()),
      telemetry &&
        component(
          'telemetry',
          () => telemetry.start(),
          () => telemetry.stop(),
        ),
      new KioskAlerts(alerts, checkout, recovery),
      printer &&
        component(
          'receipt printer',
          () => printer.start(),
          () => printer.stop(),
        ),
      printerRule,
      cashRegister?.receipts,
      hinted && component('webhook hints', noop, () => hinted?.stop()),
      lights &&
        component(
          'status LEDs',
          async () => {
            await startLights(lights, logger);
            checkout.refresh();
          },
          () => lights.stop(),
        ),
      scanner &&
        component(
          'scanner',
          () => scanner.start(),
          () => scanner.stop(),
        ),
      speech &&
        component(
          'speech',
          () => speech.start(),
          () => speech.stop(),
        ),
      component(
        'screen server',
        async () => {
          url = await server.start();
        },
        () => server.stop(),
      ),
    ],
    logger,
  );
  logger.info('kiosk ready', {
    url,
    kiosk: settings.device.id,
    vipps: vippsBaseUrl(settings),
    club: club ? clubStoreName(settings) : 'off',
    mode: settings.mode,
  });
  return {
    url,
    screenToken,
    checkout,
    recovery,
    copies: cashRegister?.copies ?? null,
    training: training ?? null,
    scanner,
    printer,
    receipts: cashRegister?.receipts,
    terminal: terminal ? { url: terminal.url(), fingerprint: terminal.fingerprint } : null,
    report: (type, payload) => telemetry?.report(type, payload),
    brokerConnected,
    stop: running.stop,
  };
}

const noop = () => {};

function printerHealth(printer: PrinterPort) {
  const { condition, model } = printer.status();
  return { condition, model };
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
