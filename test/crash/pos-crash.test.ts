import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_PAYMENT_FILE } from '../../pos/sale/open-payment.js';
import type { RegisterModel } from '../../pos/sale/register-model.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { SandboxControl } from '../support/sandbox-control.js';
import { attendedDaemon } from './attended-daemon.js';
import type { DaemonProcess } from './daemon-process.js';
import { PosProcess } from './pos-process.js';

// The crash matrix's POS rows: the kiosk in attended mode and the reference cashier screen each a real
// process; the till is killed with SIGKILL mid-payment and started again on its own state directory. It
// must ask the terminal about the payment it had sent, by that payment's id (never send a new one while
// the old one runs), show how it ended, and take the next sale. The kiosk's side of the same crash is
// attended-crash.test.ts.

const MILK = '2000000000015';
const MILK_PRICE = 2490;

interface PosCrash {
  name: string;
  /** While the till is dead: what happens to the payment. */
  whileDead: (control: SandboxControl, daemon: DaemonProcess, reference: string) => Promise<void>;
  /** On the restarted till, once it shows the payment: what the cashier does (nothing, or abort). */
  afterRestart: (pos: PosProcess) => Promise<void>;
  expected: { atVipps: 'captured' | 'cancelled'; status: 'completed' | 'aborted' };
}

const ROWS: PosCrash[] = [
  {
    name: 'POS killed before the customer approved: the restarted till follows it and aborts it',
    whileDead: async () => {},
    afterRestart: async (pos) => {
      // Still running as it was: the restarted till shows it and keeps following it.
      await expect
        .poll(async () => (await pos.state()).payment?.status, { timeout: 10_000 })
        .toBe('awaiting-approval');
      const state = await pos.state();
      expect(state.locked).toBe(true);
      expect(state.notice).toEqual({ kind: 'resumed' });
      await pos.act({ type: 'abort' });
    },
    expected: { atVipps: 'cancelled', status: 'aborted' },
  },
  {
    name: 'POS killed, then the customer approved while it was down: the restarted till shows it paid',
    whileDead: async (control, daemon, reference) => {
      await control.act(reference, 'approve');
      await daemon.post('/api/payment-event', { reference, name: 'AUTHORIZED' });
      await expect
        .poll(async () => (await control.payment(reference)).aggregate.capturedAmount.value, {
          timeout: 10_000,
        })
        .toBe(MILK_PRICE);
    },
    afterRestart: async () => {},
    expected: { atVipps: 'captured', status: 'completed' },
  },
];

describe('crash matrix, attended mode: the POS is killed mid-payment and started again', () => {
  let sandbox: RunningSandbox;
  let control: SandboxControl;

  beforeAll(async () => {
    sandbox = await startSandbox();
    control = new SandboxControl(sandbox);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  // Three process starts each: the bounds are for a busy machine, never a measurement.
  it.each(ROWS.map((row, i) => ({ ...row, kiosk: `pos-crash-${i + 1}` })))(
    '$name',
    { timeout: 120_000 },
    async (row) => {
      const { daemon, stateDir, terminalUrl, token } = await attendedDaemon(sandbox.url, row.kiosk);
      const tokenFile = join(stateDir, 'pos-token');
      await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
      const pos = new PosProcess(terminalUrl, tokenFile, await mkdtemp(join(tmpdir(), 'vk-pos-state-')));
      const ours = async () =>
        (await control.payments()).filter((payment) => payment.reference.startsWith(row.kiosk));
      try {
        await daemon.start();
        await pos.start();
        await pos.act({ type: 'scan', text: MILK });
        await pos.act({ type: 'scan', text: sandbox.customers[0]!.personalQrV2 });
        await pos.act({ type: 'send' });
        await expect
          .poll(async () => (await pos.state()).payment?.status, { timeout: 10_000 })
          .toBe('awaiting-approval');
        const sent = (await pos.state()).payment!;
        expect(existsSync(join(pos.stateDir, OPEN_PAYMENT_FILE))).toBe(true);
        const reference = `${row.kiosk}-0000000001-1`;
        expect((await control.payment(reference)).aggregate.authorizedAmount.value).toBe(0);

        await pos.kill();
        await row.whileDead(control, daemon, reference);
        await pos.start();
        // The basket it was for comes back with it, and the payment by the same id.
        await expect.poll(async () => (await pos.state()).payment?.id, { timeout: 10_000 }).toBe(sent.id);
        expect((await pos.state()).basket.total).toBe(MILK_PRICE);
        await row.afterRestart(pos);

        await expect
          .poll(async () => (await pos.state()).payment, { timeout: 15_000, interval: 100 })
          .toMatchObject({ id: sent.id, status: row.expected.status, final: true, amount: MILK_PRICE });
        // Final: the till forgets it, so its next start asks about nothing.
        await expect.poll(() => existsSync(join(pos.stateDir, OPEN_PAYMENT_FILE))).toBe(false);

        // One payment at Vipps: the restarted till asked by the old id and sent no new one.
        const payments = await ours();
        expect(payments.map((payment) => payment.reference)).toEqual([reference]);
        const { aggregate, events } = payments[0]!;
        const captured = row.expected.atVipps === 'captured' ? MILK_PRICE : 0;
        expect(events.filter((event) => event.name === 'CAPTURED' && event.success)).toHaveLength(
          captured === 0 ? 0 : 1,
        );
        expect(aggregate.capturedAmount.value).toBe(captured);
        // Nothing stays reserved: what was approved is captured or released.
        expect(aggregate.capturedAmount.value + aggregate.cancelledAmount.value).toBe(
          aggregate.authorizedAmount.value,
        );

        // The next sale, under a new id, is taken.
        await pos.act({ type: 'next-sale' });
        await pos.act({ type: 'scan', text: MILK });
        await pos.act({ type: 'send' });
        await expect
          .poll(async () => (await pos.state()).payment?.status, { timeout: 10_000 })
          .toBe('waiting-for-customer');
        const nextPayment = (await pos.state()).payment as NonNullable<RegisterModel['payment']>;
        expect(nextPayment.id).not.toBe(sent.id);
        expect(existsSync(join(pos.stateDir, OPEN_PAYMENT_FILE))).toBe(true);
      } catch (error) {
        throw new Error(
          `${(error as Error).message}\n--- daemon output ---\n${daemon.log()}\n--- POS output ---\n${pos.log()}`,
        );
      } finally {
        await pos.stop();
        await daemon.stop();
      }
    },
  );
});
