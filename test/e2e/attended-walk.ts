import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { silentLogger } from '../../common/log/logger.js';
import { packageRoot } from '../../common/package-root.js';
import { openTerminalDb, TERMINAL_DB_FILE } from '../../device/terminal/terminal-db.js';
import { type RunningPos, startPos } from '../../pos/start-pos.js';
import { KIOSK_LARGE, until, Walkthrough } from './walkthrough.js';

// Attended mode as a store runs it: the kiosk (its screen now the customer display) paired with the
// reference cashier screen, which rings up the sale and drives the kiosk's terminal API like any POS.
// Three Chromium pages: the cashier's, the customer display, and the customer's phone.

export const CASHIER = { width: 1280, height: 800 };

export class AttendedWalk extends Walkthrough {
  cashier!: Page;
  pos?: RunningPos;

  /** The kiosk in attended mode, a POS paired with it, and the cashier page open on an empty sale. */
  async startAttended(club: boolean): Promise<this> {
    await this.start(KIOSK_LARGE, {
      club: { enabled: club },
      settings: { mode: 'attended', terminal: { host: '127.0.0.1', port: 0 } },
    });
    // Paired as `vipps-kiosk pos pair` does, on the daemon's own database while it runs.
    const db = openTerminalDb(join(this.kiosk.stateDir, TERMINAL_DB_FILE), Date.now);
    const { token } = db.pairings.pair('cashier e2e');
    db.close();
    const terminalUrl = this.kiosk.kiosk.terminal?.url;
    if (terminalUrl === undefined) throw new Error('the kiosk in attended mode has no terminal API');
    this.pos = await startPos({
      terminalUrl,
      token,
      catalogPath: join(packageRoot(), 'device', 'catalog', 'demo-catalog.json'),
      stateDir: join(this.kiosk.stateDir, 'pos'),
      port: 0,
      logger: silentLogger,
    });
    this.cashier = await this.page(CASHIER, 'cashier');
    await this.cashier.goto(this.pos.url);
    await this.cashier.getByTestId('scan-input').waitFor();
    return this;
  }

  override async stop(): Promise<void> {
    await this.pos?.stop();
    await super.stop();
  }

  /** The cashier's scanner (a keyboard wedge) types `text` into the focused scan field and Enter. */
  async cashierScan(text: string): Promise<void> {
    await this.cashier.keyboard.type(text);
    await this.cashier.keyboard.press('Enter');
    await until(
      'cashier scan field after Enter',
      () => this.cashier.getByTestId('scan-input').inputValue(),
      '',
    );
  }

  /** Waits until the cashier page shows the payment in `status`. */
  paymentStatus(status: string): Promise<string> {
    return until(
      `cashier payment status ${status}`,
      async () => (await this.cashier.getByTestId('payment-status').getAttribute('data-status')) ?? '(none)',
      status,
    );
  }

  /** Waits until the cashier page's element `testId` has `name` = `expected`. */
  attributeOn(testId: string, name: string, expected: string): Promise<string> {
    return until(
      `cashier ${testId}[${name}]`,
      async () => (await this.cashier.getByTestId(testId).getAttribute(name)) ?? '(none)',
      expected,
    );
  }

  press(testId: string): Promise<void> {
    return this.cashier.getByTestId(testId).click();
  }
}
