import { join } from 'node:path';
import type { Logger } from '../common/log/logger.js';
import type { Settings } from '../device/config/schema.js';
import { openTerminalDb, TERMINAL_DB_FILE } from '../device/terminal/terminal-db.js';
import { type RunningPos, startPos } from '../pos/start-pos.js';

const DEMO_POS_LABEL = 'demo cashier screen';

/**
 * Attended mode's other half in the demo: a POS paired with the kiosk as `vipps-kiosk pos pair` pairs one
 * (on the kiosk's own database), and the reference cashier screen started with its token, selling from
 * the kiosk's catalog. The token lives only in this process.
 */
export async function startDemoPos(
  settings: Settings,
  terminalUrl: string,
  port: number,
  logger: Logger,
): Promise<RunningPos> {
  const db = openTerminalDb(join(settings.stateDir, TERMINAL_DB_FILE), Date.now);
  let token: string;
  try {
    // A demo restarted on its --state-dir pairs anew; the earlier run's token went with its process.
    for (const old of db.pairings.list()) if (old.label === DEMO_POS_LABEL) db.pairings.unpair(old.posId);
    token = db.pairings.pair(DEMO_POS_LABEL).token;
  } finally {
    db.close();
  }
  return startPos({
    terminalUrl,
    token,
    catalogPath: settings.catalog.file,
    // The till's own state beside the kiosk's: a demo restarted on its --state-dir resumes its payment.
    stateDir: join(settings.stateDir, 'pos'),
    port,
    logger: logger.child('pos'),
  });
}
