import { join } from 'node:path';
import { parseCommandArgs, UsageError } from '../../common/cli/args.js';
import { createLogger, type Logger } from '../../common/log/logger.js';
import { DEFAULT_CONFIG_DIR, loadSettings } from '../../device/config/load.js';
import type { Settings } from '../../device/config/schema.js';
import { HardwareError } from '../../device/hardware/hardware-error.js';
import { hardwareSelftest } from '../../device/hardware/hardware-selftest.js';
import { probeHidBackend } from '../../device/hardware/hid-backend.js';
import { keySelftest } from '../../device/hardware/key-selftest.js';
import { keysFor, ledsFor } from '../../device/hardware/kiosk-hardware.js';
import type { SelftestCheck } from '../../device/hardware/selftest-check.js';
import { libusbHotplug } from '../../device/hardware/usb-hotplug.js';
import { libusbPrinterBus } from '../../device/printer/usb-printer-libusb.js';
import { printerSelftest } from '../../device/printer/usb-printer-selftest.js';
import { runningKioskLink } from '../../device/system/running-kiosk.js';
import { systemChecks } from '../../device/system/system-checks.js';
import { formatTable } from '../table.js';

export const selftestUsage = `vipps-kiosk selftest [--config-dir DIR] [--scan-timeout S] [--no-scan] [--led-ms MS] [--no-print]
  Checks this kiosk on site: Vipps credentials, the HQ broker, disk space and the clock; then the
  scanners it sees, a test scan (default 20 s), each status LED lit in turn (default 1000 ms
  each), the tactile keys' lines, and the receipt printers it sees, the status of the one it takes
  and a test page (not with --no-print, for scripts). Prints a table; exit 1 if any check fails.`;

export interface SelftestOptions {
  /** How long to wait for a test scan; null skips it. */
  scanTimeoutMs: number | null;
  ledMs: number;
  /** False: the printer is found and its status read, and no paper comes out. */
  printTestPage: boolean;
  say: (line: string) => void;
}

/** One group of checks: the system's, then the hardware's. */
export type SelftestStep = (settings: Settings, options: SelftestOptions) => Promise<SelftestCheck[]>;

const hardwareStep: SelftestStep = async (settings, options) => {
  const logger = createLogger({ level: 'error', journal: false, write: (line) => options.say(line) });
  return [
    ...(await hardwareSelftest({
      scanner: settings.hardware.scanner,
      backend: await probeHidBackend(),
      hotplug: await libusbHotplug(),
      leds: ledsFor(settings.hardware.leds, { demo: false }),
      scanTimeoutMs: options.scanTimeoutMs,
      ledMs: options.ledMs,
      say: options.say,
      logger,
    })),
    await keySelftest(settings.hardware.keys, keysOrError(settings, logger)),
    ...(await printerSelftest({
      bus: await libusbPrinterBus(),
      printTestPage: options.printTestPage,
      say: options.say,
      logger,
    })),
  ];
};

function keysOrError(settings: Settings, logger: Logger) {
  try {
    return keysFor(settings.hardware.keys, logger);
  } catch (error) {
    if (error instanceof HardwareError) return error;
    throw error;
  }
}

/**
 * Vipps credentials, the HQ broker, disk space, the clock: the same checks the daemon runs at every start.
 * Beside a running daemon the broker row is the daemon's own connection (see runningKioskLink).
 */
const systemStep: SelftestStep = (settings) =>
  systemChecks(settings, { runningLink: runningKioskLink(settings.server.port) });

export const SELFTEST_STEPS: SelftestStep[] = [systemStep, hardwareStep];

export class SelftestFailed extends Error {
  override readonly name = 'SelftestFailed';
}

/** The checks as a table a tech reads on the kiosk's console, with a count at the foot. */
export function selftestTable(checks: readonly SelftestCheck[]): string {
  const counts = (['pass', 'warn', 'fail'] as const).map(
    (s) => `${checks.filter((c) => c.status === s).length} ${s}`,
  );
  return `${formatTable(
    ['check', 'status', 'detail'],
    checks.map((c) => [c.name, c.status.toUpperCase(), c.detail]),
  )}\n${counts.join(', ')}\n`;
}

export async function runSelftest(
  settings: Settings,
  steps: readonly SelftestStep[],
  options: SelftestOptions,
): Promise<SelftestCheck[]> {
  const checks: SelftestCheck[] = [];
  for (const step of steps) checks.push(...(await step(settings, options)));
  return checks;
}

export async function selftestCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    'config-dir': { type: 'string' },
    'scan-timeout': { type: 'string' },
    'no-scan': { type: 'boolean' },
    'led-ms': { type: 'string' },
    'no-print': { type: 'boolean' },
  });
  const number = (value: string | undefined, name: string, fallback: number, max: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new UsageError(`--${name} expects a whole number 1–${max}`);
    return n;
  };
  const dir = values['config-dir'] ?? DEFAULT_CONFIG_DIR;
  const settings = await loadSettings({
    configPath: join(dir, 'config.json'),
    secretsPath: join(dir, 'secrets.json'),
  });
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const checks = await runSelftest(settings, SELFTEST_STEPS, {
    scanTimeoutMs: values['no-scan'] ? null : number(values['scan-timeout'], 'scan-timeout', 20, 600) * 1000,
    ledMs: number(values['led-ms'], 'led-ms', 1000, 10_000),
    printTestPage: !values['no-print'],
    say,
  });
  process.stdout.write(`\n${selftestTable(checks)}`);
  const failed = checks.filter((c) => c.status === 'fail').length;
  if (failed > 0) throw new SelftestFailed(`${failed} check${failed === 1 ? '' : 's'} failed`);
}
