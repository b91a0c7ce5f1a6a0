import { silentLogger } from '../../common/log/logger.js';
import { VippsClient, type VippsClientOptions, type VippsCredentials } from '../../device/vipps/client.js';

/** Millisecond retries and short timeouts: a test of faults on loopback should not wait for real. */
export const FAST_RETRY = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
export const SHORT_TIMEOUTS = {
  connectMs: 1000,
  tokenMs: 2000,
  createMs: 2000,
  readMs: 2000,
  modifyMs: 2000,
  qrMs: 2000,
};

/** The real client for a test, silent unless a test gives it a logger; everything can be overridden. */
export function testClient(
  baseUrl: string,
  credentials: VippsCredentials,
  overrides: Partial<VippsClientOptions> = {},
): VippsClient {
  return new VippsClient({
    baseUrl,
    credentials,
    system: {
      systemName: 'vipps-kiosk',
      systemVersion: 'test',
      pluginName: 'vipps-kiosk-rpi',
      pluginVersion: 'test',
    },
    retry: FAST_RETRY,
    timeouts: SHORT_TIMEOUTS,
    tokenRefreshMarginMs: 60_000,
    logger: silentLogger,
    ...overrides,
  });
}
