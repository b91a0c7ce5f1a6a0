import { join } from 'node:path';
import type { Logger } from '../common/log/logger.js';
import { readTlsFiles } from '../common/mqtt/link.js';
import { packageVersion } from '../common/package-root.js';
import type { ReloadableCatalog } from './catalog/reloadable-catalog.js';
import type { CheckoutService } from './checkout/checkout-service.js';
import type { Settings } from './config/schema.js';
import { COMMAND_NONCES_FILE, CommandNonces } from './telemetry/command-nonces.js';
import { type HqCommandDeps, hqCommandHandler } from './telemetry/hq-commands.js';
import { OUTBOX_FILE, SqliteOutbox } from './telemetry/outbox.js';
import { TelemetryPublisher } from './telemetry/publisher.js';

// The kiosk's side of HQ, as the composition root (main.ts) builds it: the link to HQ's broker and
// what each of HQ's commands does with the kiosk's parts.

/**
 * HQ's MQTT link when a broker is configured: the publisher, the outbox it drains, and the memory of
 * HQ's commands (a replayed one is refused after a restart too).
 */
export function telemetryLink(
  settings: Settings,
  logger: Logger,
): { publisher: TelemetryPublisher; outbox: SqliteOutbox; nonces: CommandNonces } | undefined {
  const { telemetry } = settings;
  if (!telemetry.brokerUrl) return undefined;
  const outbox = SqliteOutbox.open(join(settings.stateDir, OUTBOX_FILE));
  const nonces = CommandNonces.open(join(settings.stateDir, COMMAND_NONCES_FILE));
  const publisher = new TelemetryPublisher({
    url: telemetry.brokerUrl,
    site: settings.device.site,
    device: settings.device.id,
    version: packageVersion(),
    outbox,
    logger: logger.child('telemetry'),
    username: telemetry.username,
    password: settings.secrets.telemetry.password,
    tls: readTlsFiles(telemetry),
    protocolVersion: telemetry.protocolVersion,
    willDelaySeconds: telemetry.willDelaySeconds,
  });
  return { publisher, outbox, nonces };
}

/** What HQ's commands do on this kiosk. */
export function hqCommands(parts: {
  checkout: CheckoutService;
  catalog: ReloadableCatalog;
  publisher: TelemetryPublisher;
  reboot: () => { rebootingInSeconds: number };
  report?: (kind: 'x' | 'z') => Record<string, unknown>;
  saftExport?: HqCommandDeps['saftExport'];
}) {
  const { checkout, catalog, publisher, reboot } = parts;
  return hqCommandHandler({
    ...(parts.report ? { report: parts.report } : {}),
    ...(parts.saftExport ? { saftExport: parts.saftExport } : {}),
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
  });
}
