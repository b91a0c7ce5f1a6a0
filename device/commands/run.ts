import { join } from 'node:path';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { untilSignal } from '../../common/cli/signals.js';
import { createLogger, type Logger } from '../../common/log/logger.js';
import { DEFAULT_CONFIG_DIR, loadSettings } from '../config/load.js';
import type { Settings } from '../config/schema.js';
import { type KioskRuntime, startKiosk } from '../main.js';
import { bootScreenToken } from '../server/screen-token-file.js';
import { checkoutMachineCheck, EventLoopCheck, scannerLoopCheck } from '../system/health-checks.js';
import { requestSystemReboot } from '../system/reboot.js';
import { type ServiceNotifier, serviceNotifier } from '../system/sd-notify.js';
import { systemChecks, worstOf } from '../system/system-checks.js';
import { ServiceWatchdog } from '../system/watchdog.js';
import { COMMAND_KEYS_DIR } from '../telemetry/command-keys.js';

export const runUsage = `vipps-kiosk run [--config-dir DIR]
  Runs the kiosk for real: the configuration in DIR (default /etc/vipps-kiosk: config.json,
  secrets.json, VK_* variables), the state directory it names, the screen on 127.0.0.1. What
  systemd's vipps-kiosk.service starts: READY once serving, watchdog pings while the checkout machine,
  the scanner's read loop and the event loop are healthy, STOPPING on SIGTERM. Outside systemd it simply runs until Ctrl+C.
  The screen's per-boot token goes to $RUNTIME_DIRECTORY/screen-token (0600), which the screen unit
  loads as a credential; without RUNTIME_DIRECTORY no screen can connect.
  At every start it runs the system self-test (Vipps, broker, disk space, clock), logs it and sends it
  to HQ as a selftest-completed event.`;

export async function runCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { 'config-dir': { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const dir = values['config-dir'] ?? DEFAULT_CONFIG_DIR;
  const settings = await loadSettings({
    configPath: join(dir, 'config.json'),
    secretsPath: join(dir, 'secrets.json'),
  });
  // JOURNAL_STREAM is set when stdout goes to journald: priorities as prefixes, timestamps left to it.
  const logger = createLogger({
    level: settings.log.level,
    journal: process.env.JOURNAL_STREAM !== undefined,
  });
  const notifier = serviceNotifier();
  const screenToken = await screenTokenOf(process.env.RUNTIME_DIRECTORY, logger);
  const kiosk = await startKiosk(settings, {
    logger,
    demo: null,
    reboot: () => requestSystemReboot(),
    commandKeysDir: join(dir, COMMAND_KEYS_DIR),
    ...(screenToken ? { screenToken } : {}),
  }).catch(async (error: unknown) => {
    // `systemctl status vipps-kiosk` then says why the kiosk keeps restarting.
    await notifier.status(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
    notifier.close();
    throw error;
  });

  const watchdog =
    notifier.watchdogIntervalMs === undefined
      ? undefined
      : startWatchdog(notifier, notifier.watchdogIntervalMs, logger, kiosk);
  await notifier.ready(`serving on ${kiosk.url} as ${settings.device.site}/${settings.device.id}`);

  const selftest = bootSelfTest(settings, kiosk, logger.child('selftest'));

  const signal = await untilSignal();
  logger.info('stopping', { signal });
  await notifier.stopping(`stopping on ${signal}`);
  watchdog?.stop();
  await selftest;
  await kiosk.stop();
  notifier.close();
}

/** systemd names the unit's runtime directories in RUNTIME_DIRECTORY, colon-separated: the first is ours. */
async function screenTokenOf(
  runtimeDirectories: string | undefined,
  logger: Logger,
): Promise<string | undefined> {
  const dir = runtimeDirectories?.split(':')[0];
  if (dir) return bootScreenToken(dir);
  logger.warn('no RUNTIME_DIRECTORY: the screen token is kept in memory only, so no screen can connect');
  return undefined;
}

/** Watchdog pings while every part the kiosk needs is healthy. */
function startWatchdog(
  notifier: ServiceNotifier,
  intervalMs: number,
  logger: Logger,
  kiosk: KioskRuntime,
): { stop(): void } {
  const watchdog = new ServiceWatchdog({ notifier, logger: logger.child('watchdog'), intervalMs });
  // A stall of half the interval is already one missed ping: count it as sick before systemd does.
  const eventLoop = new EventLoopCheck(intervalMs / 2);
  eventLoop.start();
  watchdog.register('event loop', eventLoop.check);
  watchdog.register(
    'checkout machine',
    checkoutMachineCheck(() => kiosk.checkout.snapshot().status),
  );
  if (kiosk.scanner) watchdog.register('scanner loop', scannerLoopCheck(kiosk.scanner));
  watchdog.start();
  return {
    stop() {
      watchdog.stop();
      eventLoop.stop();
    },
  };
}

/** The system rows of the self-test at every start: in the journal, and to HQ through the outbox. */
async function bootSelfTest(settings: Settings, kiosk: KioskRuntime, logger: Logger): Promise<void> {
  // The kiosk's own link is the broker row: a second login as the kiosk would knock this one off.
  const checks = await systemChecks(settings, { runningLink: async () => kiosk.brokerConnected() });
  for (const check of checks) {
    const level = check.status === 'fail' ? 'error' : check.status === 'warn' ? 'warn' : 'info';
    logger[level](`${check.name}: ${check.detail}`, { status: check.status });
  }
  // `check`, not `name`: the telemetry guard keeps anything called a name off the wire.
  const rows = checks.map(({ name, status, detail }) => ({ check: name, status, detail }));
  kiosk.report('selftest-completed', { result: worstOf(checks), checks: rows });
}
