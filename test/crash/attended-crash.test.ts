import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransactionStatus } from '../../contracts/terminal-api.js';
import { TerminalClient } from '../../pos/client/terminal-client.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { SandboxControl } from '../support/sandbox-control.js';
import { attendedDaemon } from './attended-daemon.js';
import type { DaemonProcess } from './daemon-process.js';

// The crash matrix's attended rows: a kiosk in attended mode is killed with SIGKILL mid-payment (the POS
// sent it with the customer's QR), started again on the same state directory; recovery settles the
// payment exactly once, and the POS, asking by its own id, is told how it ended. (A POS that crashes and
// asks later is test/terminal/terminal-api.test.ts, "tells a POS that vanished mid-payment".)

const createPath = '/epayment/v1/payments';
const capturePath = (reference: string) => `/epayment/v1/payments/${reference}/capture`;

interface AttendedCrash {
  name: string;
  faults: (reference: string) => unknown[];
  /** From the POST to the moment of the kill. */
  reach: (control: SandboxControl, daemon: DaemonProcess, reference: string) => Promise<void>;
  expected: { atVipps: 'captured' | 'cancelled'; status: TransactionStatus };
}

const ROWS: AttendedCrash[] = [
  {
    name: 'attended: after the create is sent, before its answer',
    faults: () => [{ path: createPath, method: 'POST', hang: true, after: true, count: 1 }],
    reach: async () => {},
    expected: { atVipps: 'cancelled', status: 'failed' },
  },
  {
    name: 'attended: after AUTHORIZED is seen, before the capture reaches Vipps',
    faults: (reference) => [{ path: capturePath(reference), hang: true, count: 1 }],
    reach: async (control, daemon, reference) => {
      await expect
        .poll(async () => (await daemon.model()).screen, { timeout: 5000 })
        .toBe('awaiting-approval');
      await control.act(reference, 'approve');
      await daemon.post('/api/payment-event', { reference, name: 'AUTHORIZED' });
    },
    expected: { atVipps: 'captured', status: 'completed' },
  },
];

describe('crash matrix, attended mode: SIGKILL mid-payment, restart, the POS asks', () => {
  let sandbox: RunningSandbox;
  let control: SandboxControl;

  beforeAll(async () => {
    sandbox = await startSandbox();
    control = new SandboxControl(sandbox);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  // Two starts of a daemon process each: a bound for a busy machine, never a measurement.
  it.each(ROWS.map((row, i) => ({ ...row, kiosk: `attended-crash-${i + 1}` })))(
    '$name',
    { timeout: 90_000 },
    async (row) => {
      const { daemon, terminalUrl, token } = await attendedDaemon(sandbox.url, row.kiosk);
      await daemon.start();
      const pos = new TerminalClient({ url: terminalUrl, token });
      try {
        const reference = `${row.kiosk}-0000000001-1`;
        await control.faults({ rules: row.faults(reference) });
        await pos.createPayment({
          posTransactionId: 'crash-1',
          amount: { value: 2490, currency: 'NOK' },
          lines: [{ id: 'MILK', name: 'Melk 1 l', quantity: 1, unitPrice: 2490, vatRate: 1500 }],
          customer: { personalQr: sandbox.customers[0]!.personalQrV2 },
        });
        await row.reach(control, daemon, reference);
        await expect.poll(async () => (await control.pendingFaults()).length, { timeout: 10_000 }).toBe(0);
        await daemon.kill();

        await daemon.start();
        await expect
          .poll(async () => (await pos.getPayment('crash-1')).status, { timeout: 15_000, interval: 100 })
          .toBe(row.expected.status);
        expect((await pos.getPayment('crash-1')).reference).toBe(reference);
        const ours = (await control.payments()).filter((payment) => payment.reference.startsWith(row.kiosk));
        expect(ours).toHaveLength(1);
        const { aggregate, events } = ours[0]!;
        expect(events.filter((event) => event.name === 'CAPTURED' && event.success)).toHaveLength(
          row.expected.atVipps === 'captured' ? 1 : 0,
        );
        expect(aggregate.capturedAmount.value).toBe(row.expected.atVipps === 'captured' ? 2490 : 0);
        expect(aggregate.capturedAmount.value + aggregate.cancelledAmount.value).toBe(
          aggregate.authorizedAmount.value,
        );
        // The terminal takes the POS's next sale.
        const next = await pos.createPayment({
          posTransactionId: 'crash-2',
          amount: { value: 2490, currency: 'NOK' },
          lines: [{ id: 'MILK', name: 'Melk 1 l', quantity: 1, unitPrice: 2490, vatRate: 1500 }],
        });
        expect(next.status).toBe('waiting-for-customer');
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- daemon output ---\n${daemon.log()}`);
      } finally {
        await pos.close();
        await control.clearFaults();
        await daemon.stop();
      }
    },
  );
});
