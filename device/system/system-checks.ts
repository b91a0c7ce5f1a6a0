import { statfs } from 'node:fs/promises';
import { silentLogger } from '../../common/log/logger.js';
import { loginToBroker } from '../../common/mqtt/broker-connection.js';
import { type BrokerEndpoint, readTlsFiles } from '../../common/mqtt/link.js';
import { withoutCredentials } from '../../contracts/secure-url.js';
import { type Settings, vippsBaseUrl } from '../config/schema.js';
import { VippsClient, type VippsCredentials } from '../vipps/client.js';
import { VippsError } from '../vipps/errors.js';

// The system's part of `vipps-kiosk selftest`, also what `vipps-kiosk provision` verifies with: each
// check returns one row of the self-test table. The shape is the self-test's (provisioning/commands/selftest.ts).

export interface CheckResult {
  name: string;
  status: 'pass' | 'warn' | 'fail';
  detail: string;
}

export interface VippsTarget {
  baseUrl: string;
  credentials: VippsCredentials;
  /** Short: a tech waits for this at the console. */
  timeoutMs: number;
}

/** Vipps reachable and the sales unit's keys accepted: an access token is fetched with them. */
export async function checkVipps(target: VippsTarget): Promise<CheckResult> {
  const name = 'Vipps credentials';
  const client = new VippsClient({
    baseUrl: target.baseUrl,
    credentials: target.credentials,
    system: {
      systemName: 'vipps-kiosk',
      systemVersion: 'selftest',
      pluginName: 'vipps-kiosk-rpi',
      pluginVersion: 'selftest',
    },
    // One retry: a tech would rather hear "unreachable" in seconds than wait out a backoff.
    retry: { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 500 },
    timeouts: {
      connectMs: target.timeoutMs,
      tokenMs: target.timeoutMs,
      createMs: target.timeoutMs,
      readMs: target.timeoutMs,
      modifyMs: target.timeoutMs,
      qrMs: target.timeoutMs,
    },
    tokenRefreshMarginMs: 0,
    logger: silentLogger,
  });
  try {
    await client.token.get();
    return { name, status: 'pass', detail: `access token issued by ${target.baseUrl}` };
  } catch (error) {
    if (error instanceof VippsError) return { name, status: 'fail', detail: error.message };
    throw error;
  } finally {
    await client.stop();
  }
}

/** The HQ broker reachable and the kiosk's identity accepted (a CONNECT, nothing published). */
export async function checkBroker(target: BrokerEndpoint): Promise<CheckResult> {
  const name = 'HQ broker';
  try {
    const link = await loginToBroker({
      ...target,
      clientIdPrefix: 'vk-provision',
      hints: {
        noPassword: 'give the broker password (secrets.telemetry.password)',
        refused: 'check telemetry.username and the password, or the client certificate',
      },
    });
    await link.stop();
    const who = target.username
      ? ` as "${target.username}"`
      : target.tls?.cert
        ? ' with the client certificate'
        : '';
    // The boot self-test sends this row to HQ: the URL goes without a login that may be written into it.
    return { name, status: 'pass', detail: `logged in to ${withoutCredentials(target.url)}${who}` };
  } catch (error) {
    return { name, status: 'fail', detail: (error as Error).message };
  }
}

/** Room for the journal and the telemetry outbox: a full card stops every sale. */
export async function checkDiskSpace(
  dir: string,
  limits = { warnBelowBytes: 512 * 1024 ** 2, failBelowBytes: 64 * 1024 ** 2 },
): Promise<CheckResult> {
  const name = 'disk space';
  let free: number;
  try {
    const stats = await statfs(dir);
    free = stats.bavail * stats.bsize;
  } catch (error) {
    return {
      name,
      status: 'fail',
      detail: `cannot look at ${dir}: ${(error as NodeJS.ErrnoException).code}`,
    };
  }
  const detail = `${formatBytes(free)} free for ${dir}`;
  if (free < limits.failBelowBytes) {
    return {
      name,
      status: 'fail',
      detail: `${detail}; at least ${formatBytes(limits.failBelowBytes)} needed`,
    };
  }
  if (free < limits.warnBelowBytes) {
    return { name, status: 'warn', detail: `${detail}; below ${formatBytes(limits.warnBelowBytes)}` };
  }
  return { name, status: 'pass', detail };
}

/**
 * The clock against the Date header of an HTTPS answer from Vipps' host: a Pi has no battery clock, so
 * until NTP has run it can be days off, and payment times, token expiry and TLS all go wrong.
 */
export async function checkClock(
  baseUrl: string,
  options: { timeoutMs: number; now?: () => number },
): Promise<CheckResult> {
  const name = 'clock';
  const now = options.now ?? Date.now;
  let served: number;
  try {
    const answer = await fetch(baseUrl, { method: 'HEAD', signal: AbortSignal.timeout(options.timeoutMs) });
    served = Date.parse(answer.headers.get('date') ?? '');
  } catch (error) {
    return { name, status: 'warn', detail: `cannot compare with ${baseUrl}: ${(error as Error).message}` };
  }
  if (Number.isNaN(served)) {
    return { name, status: 'warn', detail: `${baseUrl} sent no Date header to compare with` };
  }
  // Date has whole seconds: up to 1 s of difference is the header's rounding, not the clock.
  const offsetSeconds = Math.round((now() - served) / 1000);
  const detail = `${Math.abs(offsetSeconds)} s ${offsetSeconds >= 0 ? 'ahead of' : 'behind'} ${baseUrl}`;
  if (Math.abs(offsetSeconds) <= 2) return { name, status: 'pass', detail };
  if (Math.abs(offsetSeconds) <= 60) return { name, status: 'warn', detail: `${detail}; is NTP running?` };
  return {
    name,
    status: 'fail',
    detail: `${detail}; set the time (timedatectl, NTP) before taking payments`,
  };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}

/**
 * Whether the running kiosk's own connection to HQ's broker is up; `null` when no daemon answers (none
 * runs, so the self-test logs in itself).
 */
export type RunningLink = () => Promise<boolean | null>;

/**
 * The broker row from a running kiosk's own connection. The broker ties a client id to the kiosk's
 * identity (`use_username_as_clientid`), so a second login as the kiosk would knock the running kiosk
 * off; while the kiosk runs, its link is the test.
 */
export function runningLinkRow(url: string, connected: boolean): CheckResult {
  const where = withoutCredentials(url);
  return connected
    ? { name: 'HQ broker', status: 'pass', detail: `the kiosk is connected to ${where}` }
    : {
        name: 'HQ broker',
        status: 'fail',
        detail: `the kiosk is not connected to ${where}; it keeps retrying, and its log says why (journalctl -u vipps-kiosk)`,
      };
}

/**
 * Every system row for a loaded configuration, in the order the self-test shows them. With `runningLink`
 * (the daemon's boot self-test, or `selftest` beside a running daemon) the broker row is that link's
 * state, read after the other checks have had their time, instead of a login of its own.
 */
export async function systemChecks(
  settings: Settings,
  options: { timeoutMs?: number; runningLink?: RunningLink } = {},
): Promise<CheckResult[]> {
  const { timeoutMs = 5_000, runningLink } = options;
  const baseUrl = vippsBaseUrl(settings);
  const vipps = checkVipps({
    baseUrl,
    credentials: { ...settings.secrets.vipps, merchantSerialNumber: settings.vipps.merchantSerialNumber },
    timeoutMs,
  });
  const disk = checkDiskSpace(settings.stateDir);
  const clock = checkClock(baseUrl, { timeoutMs });
  const broker = brokerRow(settings, runningLink, Promise.all([vipps, disk, clock]));
  return Promise.all([vipps, broker, disk, clock]);
}

async function brokerRow(
  settings: Settings,
  runningLink: RunningLink | undefined,
  othersDone: Promise<unknown>,
): Promise<CheckResult> {
  const { telemetry } = settings;
  if (!telemetry.brokerUrl) return { name: 'HQ broker', status: 'warn', detail: 'no broker configured' };
  if (runningLink) {
    // A kiosk that has just started gets the time the other checks take to connect.
    await othersDone;
    const connected = await runningLink();
    if (typeof connected === 'boolean') return runningLinkRow(telemetry.brokerUrl, connected);
  }
  return checkBroker({
    url: telemetry.brokerUrl,
    username: telemetry.username,
    password: settings.secrets.telemetry.password,
    tls: readTlsFiles(telemetry),
  });
}

/** The self-test's verdict: its worst row. */
export function worstOf(checks: readonly CheckResult[]): CheckResult['status'] {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  return checks.some((c) => c.status === 'warn') ? 'warn' : 'pass';
}
