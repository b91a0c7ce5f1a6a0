import { expect, it } from 'vitest';
import type { JournaledSale } from '../../device/cash-register/cash-register.js';
import { CashRegisterRecorder, type RecorderParts } from '../../device/cash-register/recorder.js';
import { verifyJournal } from '../../device/cash-register/verify.js';
import { loadCatalogFile } from '../../device/catalog/catalog-file.js';
import { ReloadableCatalog } from '../../device/catalog/reloadable-catalog.js';
import { FileReceiptNumbers } from '../../device/checkout/domain/receipt-number.js';
import type { CheckoutDomainEvent } from '../../device/checkout/domain-events.js';
import { CheckoutHarness, DEMO_CATALOG } from '../support/checkout-harness.js';
import { newTill } from './till.js';

// Receipt numbers without gaps (kassasystemforskrifta: consecutive numbers): every number the counter
// reserved is in the cash-register journal once, used by a sale or journaled void with why; a restart
// does not burn the number reserved ahead; a number whose payment a crash cut off waits for crash
// recovery, which makes it a sale or a void. A sale captured before a crash but never journaled is
// journaled at the next start, late but complete, and recovery's capture and the session's own
// sale.completed never journal one sale twice.
//
// "A crash" here: the cash register stops hearing the checkout (the gate closes) while the payment
// journal, Vipps and recovery go on, as they are after a real restart; the restart is a new recorder and
// a new receipt counter on the same files.

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/** The checkout's domain events until `crash()`: after it, the old daemon hears nothing. */
function gated(kiosk: CheckoutHarness) {
  let open = true;
  return {
    view: {
      onDomainEvent: (listener: (event: CheckoutDomainEvent) => void) =>
        kiosk.service.onDomainEvent((event) => {
          if (open) listener(event);
        }),
    },
    crash: () => {
      open = false;
    },
  };
}

async function setUp() {
  const kiosk = await new CheckoutHarness({ journal: true }).start();
  const till = await newTill(() => kiosk.clock.now());
  const catalog = new ReloadableCatalog(DEMO_CATALOG, await loadCatalogFile(DEMO_CATALOG));
  /** A daemon start on the kiosk's files: its own receipt counter, as a new process has. */
  const daemon = async (checkout: RecorderParts['checkout']) => {
    const counter = new FileReceiptNumbers(kiosk.receiptNumbers.stateDirectory);
    await new CashRegisterRecorder({
      register: till.register,
      store: till.store,
      checkout,
      catalog,
      softwareVersion: '0.1.0',
      receiptCounter: counter,
      payments: kiosk.journal!,
      recovery: kiosk.recovery!,
      logger: silent,
      onFault: () => {},
    }).start();
    return counter;
  };
  const sell = async () => {
    const reference = await kiosk.startPayment();
    await kiosk.control.act(reference, 'approve');
    kiosk.tick(5_000);
    await kiosk.until('approved');
    kiosk.send({ type: 'done' });
    kiosk.tick(60_000);
    return reference;
  };
  const numbers = () =>
    [...till.store.all()]
      .filter((r) => r.kind === 'sale' || r.kind === 'receipt.void')
      .map((r) => {
        const data = JSON.parse(r.data) as { receiptNumber: string; reason?: string };
        return [data.receiptNumber, r.kind === 'sale' ? 'sale' : data.reason];
      })
      .sort(([a], [b]) => String(a).localeCompare(String(b)));
  const sales = () =>
    [...till.store.all()].filter((r) => r.kind === 'sale').map((r) => JSON.parse(r.data) as JournaledSale);
  return { kiosk, till, daemon, sell, numbers, sales };
}

it('are each used by a sale or journaled void; a restart burns no number, a cut-off payment waits for recovery', async () => {
  const { kiosk, till, daemon, sell, numbers } = await setUp();
  try {
    const gate = gated(kiosk);
    await daemon(gate.view);
    await sell(); // 1
    const declined = await kiosk.startPayment(); // 2
    await kiosk.control.act(declined, 'reject');
    kiosk.advance(5_000);
    await kiosk.until('declined');
    kiosk.send({ type: 'start-over' });
    await kiosk.until('attract');
    await kiosk.startPayment(); // 3
    kiosk.send({ type: 'cancel' });
    await kiosk.until('basket');
    kiosk.send({ type: 'start-over' });
    await kiosk.until('attract');
    await sell(); // 4
    const cutOff = await kiosk.startPayment(); // 5: reserved, requested at Vipps, and then the kiosk dies
    gate.crash();
    await kiosk.receiptNumbers.close(); // the reservation ahead is on disk
    expect(await kiosk.receiptNumbers.lastReserved()).toBe(6); // 6 was reserved ahead

    const counter = await daemon({ onDomainEvent: () => () => {} });
    // 6 went back to the counter (nothing used it); 5 waits, since its payment is still open at Vipps.
    expect(await counter.lastReserved()).toBe(5);
    expect(numbers().map(([n]) => n)).toEqual(['0000000001', '0000000002', '0000000003', '0000000004']);

    // Crash recovery takes the open payment on, finds it unapproved and cancels it: 5 is void, with why.
    kiosk.recovery!.take(cutOff);
    await kiosk.recovery!.settled();
    expect(numbers()).toEqual([
      ['0000000001', 'sale'],
      ['0000000002', 'payment declined (rejected)'],
      ['0000000003', 'payment cancelled'],
      ['0000000004', 'sale'],
      ['0000000005', 'payment cut off by a restart; crash recovery found it ended: payment cancelled'],
    ]);
    // The next customer gets 6: no number burnt, none repeated.
    expect(await counter.next()).toBe('0000000006');
    await counter.close();
    expect([...till.store.all()].find((r) => r.kind === 'receipt.void')).toMatchObject({ code: '13028' });
    expect(JSON.parse(till.store.ofKind('application.start')[0]!.data)).toMatchObject({
      receiptNumbersFrom: '0000000001',
    });
    expect(till.register.report('x')).toMatchObject({ receipts: 2, voids: { count: 3 } });
  } finally {
    await kiosk.stop();
    till.store.close();
  }
}, 60_000);

it('journals a sale captured before a crash late and once, and a payment recovery captured once even when the session also completes it', async () => {
  const { kiosk, till, daemon, sell, numbers, sales } = await setUp();
  try {
    const gate = gated(kiosk);
    await daemon(gate.view);
    await sell(); // 1, journaled as it happens
    gate.crash(); // the cash register hears nothing more: a crash after the capture, before its journal
    const capturedUnheard = await sell(); // 2: captured by the session, in the payment journal only
    const approvedUncaptured = await kiosk.startPayment(); // 3: the customer approves; the kiosk dies first
    await kiosk.control.act(approvedUncaptured, 'approve');
    await kiosk.receiptNumbers.close(); // the reservation ahead (4) is on disk

    // The next start: 2 is journaled from the payment journal, 3 waits for recovery, 4 goes back.
    const counter = await daemon(kiosk.service);
    expect(await counter.lastReserved()).toBe(3);
    expect(numbers()).toEqual([
      ['0000000001', 'sale'],
      ['0000000002', 'sale'],
    ]);
    const [first, late] = sales();
    expect(late).toMatchObject({
      reference: capturedUnheard,
      receiptNumber: '0000000002',
      amountIn: first!.amountIn,
      amountEx: first!.amountEx,
      lines: first!.lines,
      vat: first!.vat,
      paymentType: 'VIPPS',
    });
    expect(late!.pspReference).toEqual(expect.any(String));

    // Recovery captures 3 (the customer paid for the basket): journaled as a sale now.
    kiosk.recovery!.take(approvedUncaptured);
    await kiosk.recovery!.settled();
    expect(kiosk.journal!.outcome(approvedUncaptured)).toBe('captured');
    expect(numbers().map(([n]) => n)).toEqual(['0000000001', '0000000002', '0000000003']);

    // The session, still alive, reads the payment back and completes its own sale: not journaled again.
    const completed: string[] = [];
    kiosk.service.onDomainEvent((event) => {
      if (event.type === 'sale.completed') completed.push(event.reference);
    });
    kiosk.tick(5_000);
    await kiosk.until('approved');
    expect(completed).toEqual([approvedUncaptured]);

    // And another start finds everything accounted for: nothing journaled twice.
    await counter.close();
    const again = await daemon({ onDomainEvent: () => () => {} });
    expect(await again.lastReserved()).toBe(3);
    expect(numbers()).toEqual([
      ['0000000001', 'sale'],
      ['0000000002', 'sale'],
      ['0000000003', 'sale'],
    ]);
    const all = sales();
    expect(new Set(all.map((s) => s.reference)).size).toBe(3);
    // Each signed in the one chain, which verifies with the public key alone.
    expect(
      verifyJournal(till.store.all(), { publicKeys: new Map([[1, till.pair.publicKeyPem]]) }).breaks,
    ).toEqual([]);
    expect(till.register.report('x')).toMatchObject({
      receipts: 3,
      sales: { amount: all.reduce((sum, s) => sum + s.amountIn, 0) },
    });
  } finally {
    await kiosk.stop();
    till.store.close();
  }
}, 60_000);
