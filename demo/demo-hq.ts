import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '../common/log/logger.js';
import { Collector } from '../hq/collector/collector.js';
import { TelemetryStore } from '../hq/collector/telemetry-store.js';
import { startPageService } from '../hq/commands/page-service.js';
import { readCommandKey } from '../hq/commands/send-command.js';
import { openDatabase } from '../hq/database/database.js';
import { UserStore } from '../hq/web/users.js';

// The demo's HQ: the collector on the embedded database (PGlite, kept in the demo's state folder, so
// with --state-dir the fleet's history outlives a restart of everything) and the HQ page, live from
// the demo's broker, its command buttons signed with the demo's HQ key, and one operator to sign in as.

export const DEMO_HQ_USER = 'demo';

export interface DemoHq {
  url: string;
  login: { user: string; password: string };
  stop(): Promise<void>;
}

export async function startDemoHq(options: {
  stateDir: string;
  brokerUrl: string;
  commandKeyPath: string;
  port: number;
  logger: Logger;
  pageDir?: string;
}): Promise<DemoHq> {
  const { logger } = options;
  const database = await openDatabase({
    kind: 'embedded',
    dir: join(options.stateDir, 'hq-database'),
    port: 0,
  });
  const stops: Array<() => Promise<void>> = [() => database.close()];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => {});
  };
  try {
    // A new password at every start, printed with the demo's addresses: nothing fixed to guess.
    const password = randomBytes(9).toString('base64url');
    await new UserStore(database.pool).add(DEMO_HQ_USER, 'operator', password);
    const collector = new Collector({
      broker: { url: options.brokerUrl },
      clientId: 'vk-demo-collector',
      group: undefined,
      store: new TelemetryStore(database.pool),
      logger: logger.child('hq-collect'),
    });
    await collector.start();
    stops.push(() => collector.stop());
    const page = await startPageService({
      database,
      port: options.port,
      broker: { url: options.brokerUrl },
      commandKey: readCommandKey(options.commandKeyPath),
      logger: logger.child('hq-page'),
      ...(options.pageDir ? { pageDir: options.pageDir } : {}),
    });
    stops.push(() => page.stop());
    return { url: page.url, login: { user: DEMO_HQ_USER, password }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
