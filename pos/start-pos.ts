import { join } from 'node:path';
import type { Logger } from '../common/log/logger.js';
import { packageRoot } from '../common/package-root.js';
import { loadPosCatalog } from './catalog/pos-catalog.js';
import { TerminalClient } from './client/terminal-client.js';
import { PosServer } from './server/pos-server.js';
import { Register } from './server/register.js';

export interface PosOptions {
  /** The kiosk's terminal API as `vipps-kiosk pos pair` printed it. */
  terminalUrl: string;
  token: string;
  /** SHA-256 of the kiosk's certificate, for https. */
  fingerprint?: string;
  /** The price list, in the kiosk's catalog file format. */
  catalogPath: string;
  /** 0 picks a free port. */
  port: number;
  logger: Logger;
  /** Where the bundled page is; dist/pos of the package when left out. */
  pageDir?: string;
}

export interface RunningPos {
  /** The cashier page. */
  url: string;
  stop(): Promise<void>;
}

/** The reference cashier screen: its register, talking to the terminal, and the page's server. */
export async function startPos(options: PosOptions): Promise<RunningPos> {
  const catalog = await loadPosCatalog(options.catalogPath);
  const terminal = new TerminalClient({
    url: options.terminalUrl,
    token: options.token,
    ...(options.fingerprint === undefined ? {} : { fingerprint: options.fingerprint }),
  });
  const register = new Register({ terminal, catalog, logger: options.logger.child('register') });
  const server = new PosServer({
    register,
    pageDir: options.pageDir ?? join(packageRoot(), 'dist', 'pos'),
    port: options.port,
    logger: options.logger,
  });
  await server.start();
  return {
    url: server.url,
    stop: async () => {
      register.close();
      await server.stop();
      await terminal.close();
    },
  };
}
