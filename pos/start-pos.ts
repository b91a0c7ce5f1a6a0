import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../common/log/logger.js';
import { packageRoot } from '../common/package-root.js';
import { loadPosCatalog } from './catalog/pos-catalog.js';
import { TerminalClient } from './client/terminal-client.js';
import { OpenPaymentFile } from './sale/open-payment.js';
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
  /** Where the till keeps the payment under way across its own crash (created if missing). */
  stateDir: string;
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
  await mkdir(options.stateDir, { recursive: true, mode: 0o700 });
  const openPayment = new OpenPaymentFile(options.stateDir);
  // Read before anything is served: a till that cannot tell whether a payment runs must not sell.
  const open = await openPayment.read();
  const log = options.logger.child('register');
  const register = new Register({ terminal, catalog, logger: log, openPayment });
  const server = new PosServer({
    register,
    pageDir: options.pageDir ?? join(packageRoot(), 'dist', 'pos'),
    port: options.port,
    logger: options.logger,
  });
  await server.start();
  if (open !== undefined) {
    register.resume(open).catch((error: unknown) => {
      log.error('could not resume the payment sent before the restart', { error: String(error) });
    });
  }
  return {
    url: server.url,
    stop: async () => {
      register.close();
      await server.stop();
      await terminal.close();
    },
  };
}
