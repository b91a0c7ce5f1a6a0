import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { SandboxControl, type SandboxPayment } from '../support/sandbox-control.js';
import { DaemonProcess } from './daemon-process.js';

// The daemon is killed with SIGKILL at each step of a checkout, then started again on the same state
// directory against the same sandbox, whose ledger survives. Afterwards every payment must be captured
// exactly once or cancelled, none left waiting or reserved, no capture repeated, no receipt number reused.

const MILK = '2000000000015';
const COFFEE = '2000000000039';

interface CrashPoint {
  name: string;
  /** Faults that hold the daemon at the step (a hang), so the kill lands exactly there. */
  faults: (reference: string) => unknown[];
  /** Drives the checkout from a basket with the customer's QR scanned to the moment of the kill. */
  reach: (daemon: DaemonProcess, control: SandboxControl, reference: string) => Promise<void>;
  /** Whether the create gets its answer, so the kiosk is waiting for approval before `reach`. */
  created: boolean;
  /** How the payment must end once recovery has run. */
  expected: 'captured' | 'cancelled' | 'absent';
  /** The customer asks for the one-time payment QR on screen instead of scanning their own (default no). */
  oneTimeQr?: true;
}

const createPath = '/epayment/v1/payments';
const capturePath = (reference: string) => `/epayment/v1/payments/${reference}/capture`;
const cancelPath = (reference: string) => `/epayment/v1/payments/${reference}/cancel`;

async function approveAndLook(
  daemon: DaemonProcess,
  control: SandboxControl,
  reference: string,
): Promise<void> {
  await control.act(reference, 'approve');
  await daemon.post('/api/payment-event', { reference, name: 'AUTHORIZED' });
}

/** A phone scans the one-time payment QR on show, its customer approves, and the kiosk is told. */
async function scanQrAndApprove(
  daemon: DaemonProcess,
  control: SandboxControl,
  reference: string,
): Promise<void> {
  const code = (await control.openQrCodes()).find((open) => open.reference === reference);
  if (code === undefined) throw new Error(`no one-time QR on show for ${reference}`);
  await control.scanQr(code.url, '4791234567');
  await approveAndLook(daemon, control, reference);
}

async function customerCancels(daemon: DaemonProcess): Promise<void> {
  await daemon.intent({ type: 'cancel' });
}

/**
 * Vipps refuses the first `operation` with a "come back later" that stays the answer for its key (the
 * sandbox's default), so the kiosk reads the payment and asks again under the next key; that second call
 * is where the kill lands (a hang, `after`: Vipps did it, the answer never came).
 */
function refusedThenKilled(
  answer: '6160' | '6250',
  operation: 'capture' | 'cancel',
  after: boolean,
): CrashPoint['reach'] {
  return async (daemon, control, reference) => {
    await control.refuse(reference, answer, { count: 1, operations: [operation] });
    if (operation === 'capture') await approveAndLook(daemon, control, reference);
    else await customerCancels(daemon);
    await expect.poll(async () => (await control.payment(reference)).refusals, { timeout: 5000 }).toEqual([]);
    const path = operation === 'capture' ? capturePath(reference) : cancelPath(reference);
    await control.faults({ rules: [{ path, hang: true, ...(after ? { after: true } : {}), count: 1 }] });
  };
}

const CRASH_POINTS: CrashPoint[] = [
  {
    name: 'before create is sent (never reaches Vipps)',
    faults: () => [{ path: createPath, method: 'POST', hang: true, count: 1 }],
    reach: async () => {},
    created: false,
    expected: 'absent',
  },
  {
    name: 'after create is sent, before its answer',
    faults: () => [{ path: createPath, method: 'POST', hang: true, after: true, count: 1 }],
    reach: async () => {},
    created: false,
    expected: 'cancelled',
  },
  {
    name: 'after AUTHORIZED is seen, before capture reaches Vipps',
    faults: (reference) => [{ path: capturePath(reference), hang: true, count: 1 }],
    reach: approveAndLook,
    created: true,
    expected: 'captured',
  },
  {
    name: 'after capture, before its answer is written to the journal',
    faults: (reference) => [{ path: capturePath(reference), hang: true, after: true, count: 1 }],
    reach: approveAndLook,
    created: true,
    expected: 'captured',
  },
  {
    name: 'after a capture refused 6160 (locked), during the capture under the next key, which Vipps did',
    faults: () => [],
    reach: refusedThenKilled('6160', 'capture', true),
    created: true,
    expected: 'captured',
  },
  {
    name: 'after a cancel refused 6250 (being processed), before the cancel under the next key reaches Vipps',
    faults: () => [],
    reach: refusedThenKilled('6250', 'cancel', false),
    created: true,
    expected: 'cancelled',
  },
  {
    name: 'one-time payment QR: after the phone scanned it and approved, during a capture Vipps did',
    faults: (reference) => [{ path: capturePath(reference), hang: true, after: true, count: 1 }],
    reach: scanQrAndApprove,
    created: true,
    expected: 'captured',
    oneTimeQr: true,
  },
  {
    name: 'during a customer cancel',
    faults: (reference) => [{ path: cancelPath(reference), hang: true, count: 1 }],
    reach: (daemon) => customerCancels(daemon),
    created: true,
    expected: 'cancelled',
  },
];

/** The hang has caught the daemon once its rule is used up. */
async function untilFaultsUsed(control: SandboxControl): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const pending = await control.pendingFaults();
    if (pending.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`the daemon never reached the fault: ${JSON.stringify(pending)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function checkLedger(payments: SandboxPayment[]): void {
  for (const payment of payments) {
    const { authorizedAmount, capturedAmount, cancelledAmount } = payment.aggregate;
    expect(['CREATED'], `${payment.reference} left waiting`).not.toContain(payment.state);
    expect(
      payment.events.filter((e) => e.name === 'CAPTURED' && e.success).length,
      `${payment.reference} captures`,
    ).toBeLessThanOrEqual(1);
    expect(capturedAmount.value + cancelledAmount.value, `${payment.reference} money left reserved`).toBe(
      authorizedAmount.value,
    );
  }
}

describe('crash matrix: SIGKILL at each step, restart, recover', () => {
  let sandbox: RunningSandbox;
  let control: SandboxControl;
  const figures = { checkouts: 0, crashes: 0, doubleCharges: 0 };

  beforeAll(async () => {
    sandbox = await startSandbox();
    control = new SandboxControl(sandbox);
  });
  afterAll(async () => {
    await sandbox.close();
    console.log(
      `crash matrix: ${figures.checkouts} checkouts, ${figures.crashes} crashes survived, double charges: ${figures.doubleCharges}`,
    );
  });

  // Two starts of a daemon process each (10-13 s on a quiet two-core machine): a bound for a busy one,
  // never a measurement.
  it.each(CRASH_POINTS.map((point, i) => ({ ...point, kiosk: `crash-kiosk-${i + 1}` })))(
    '$name',
    { timeout: 60_000 },
    async (point) => {
      const stateDir = await mkdtemp(join(tmpdir(), 'vk-crash-'));
      const daemon = await new DaemonProcess(sandbox.url, stateDir, point.kiosk).start();
      try {
        // The first basket of a fresh kiosk pays as receipt 1, attempt 1; the faults wait for it by name.
        const receiptBefore = '0000000001';
        const reference = `${point.kiosk}-${receiptBefore}-1`;
        await control.faults({ rules: point.faults(reference) });
        await daemon.scan(MILK);
        if (point.oneTimeQr) {
          await daemon.intent({ type: 'pay' });
          await daemon.intent({ type: 'pay-qr' });
        } else {
          await daemon.scan(sandbox.customers[0]!.personalQrV2);
        }
        if (point.created) {
          await expect
            .poll(async () => (await daemon.model()).screen, { timeout: 5000 })
            .toBe('awaiting-approval');
        }
        await point.reach(daemon, control, reference);
        await untilFaultsUsed(control);
        await daemon.kill();
        figures.crashes++;
        figures.checkouts++;

        await daemon.start();
        await expect
          .poll(async () => (await daemon.health()).recovery?.unresolved, { timeout: 10_000, interval: 50 })
          .toBe(0);
        const ours = (await control.payments()).filter((p) =>
          p.reference.startsWith(`${point.kiosk}-${receiptBefore}`),
        );
        if (point.expected === 'absent') {
          expect(ours).toEqual([]);
        } else {
          expect(ours).toHaveLength(1);
          const [payment] = ours;
          if (point.expected === 'captured') {
            expect(payment!.aggregate.capturedAmount.value).toBe(2490);
          } else {
            expect(payment!.aggregate.capturedAmount.value).toBe(0);
            expect(['TERMINATED', 'AUTHORIZED']).toContain(payment!.state);
          }
        }
        checkLedger(await control.payments());
        figures.doubleCharges += (await control.payments()).filter(
          (p) => p.events.filter((e) => e.name === 'CAPTURED' && e.success).length > 1,
        ).length;

        // The restarted kiosk sells on with a receipt number never used before.
        await daemon.scan(COFFEE);
        await daemon.scan(sandbox.customers[1]!.personalQrV2);
        await expect
          .poll(async () => (await daemon.model()).payment?.reference, { timeout: 5000 })
          .toMatch(new RegExp(`^${point.kiosk}-\\d{10}-1$`));
        const next = (await daemon.model()).payment!.reference.split('-').at(-2)!;
        expect(Number(next)).toBeGreaterThan(Number(receiptBefore));
        // The reference is known while the request is still being sent; Cancel is offered once it is out.
        await expect
          .poll(async () => (await daemon.model()).screen, { timeout: 5000 })
          .toBe('awaiting-approval');
        await daemon.intent({ type: 'cancel' });
        await expect.poll(async () => (await daemon.model()).screen, { timeout: 5000 }).toBe('basket');
        figures.checkouts++;
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- daemon output ---\n${daemon.log()}`);
      } finally {
        await control.clearFaults();
        await daemon.stop();
      }
    },
  );
});
