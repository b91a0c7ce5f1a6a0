import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '../../common/log/logger.js';
import type { BrokerEndpoint } from '../../common/mqtt/link.js';
import { packageRoot } from '../../common/package-root.js';
import type { HqDatabase } from '../database/database.js';
import { reconcileDay } from '../reconcile/reconcile-day.js';
import { ReportApi, type VippsKeys } from '../reconcile/report-api.js';
import { HqServer } from '../web/hq-server.js';
import { LiveFleet } from '../web/live-fleet.js';
import { exchangeCommand } from './send-command.js';

// The HQ page wired up: the live fleet (broker or database), the server, and what its buttons and
// reconciliation page use. Started by `hq serve` alone, by `hq collect --serve-port` beside the
// collector, and by the demo.

export interface PageServiceOptions {
  database: HqDatabase;
  port: number;
  host?: string;
  broker?: BrokerEndpoint;
  commandKey?: KeyObject;
  vippsKeys?: VippsKeys;
  tls?: { cert: Buffer; key: Buffer };
  secureCookies?: boolean;
  logger: Logger;
  /** dist/hq by default. */
  pageDir?: string;
}

/** How long a button's command is valid and waited for. */
const COMMAND_TTL_MS = 60_000;
const COMMAND_TIMEOUT_MS = 15_000;

export async function startPageService(
  options: PageServiceOptions,
): Promise<{ url: string; stop(): Promise<void> }> {
  const { database, broker, commandKey, vippsKeys, logger } = options;
  const live = new LiveFleet({ pool: database.pool, broker, logger });
  await live.start();
  const server = new HqServer({
    pool: database.pool,
    live,
    pageDir: options.pageDir ?? join(packageRoot(), 'dist', 'hq'),
    logger,
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.secureCookies ? { secureCookies: true } : {}),
    ...(broker && commandKey
      ? {
          sendCommand: (site, device, name, args) =>
            exchangeCommand({
              broker,
              privateKey: commandKey,
              site,
              device,
              name,
              args,
              ttlMs: COMMAND_TTL_MS,
              timeoutMs: COMMAND_TIMEOUT_MS,
            }),
        }
      : {}),
    ...(vippsKeys
      ? { reconcile: (date: string) => reconcileDay(database.pool, new ReportApi(vippsKeys), date) }
      : {}),
  });
  let url: string;
  try {
    url = await server.start();
  } catch (error) {
    await live.stop();
    throw error;
  }
  return {
    url,
    async stop() {
      await server.stop();
      await live.stop();
    },
  };
}
