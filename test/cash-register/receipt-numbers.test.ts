import { expect, it } from 'vitest';
import type { JournaledSale } from '../../device/cash-register/cash-register.js';
import { CashRegisterRecorder, type RecorderParts } from '../../device/cash-register/recorder.js';
import { verifyJournal } from '../../device/cash-register/verify.js';
import { loadCatalogFile } from '../../device/catalog/catalog-file.js';
import { ReloadableCatalog } from '../../device/catalog/reloadable-catalog.js';
import { CheckoutHarness, DEMO_CATALOG } from '../support/checkout-harness.js';
import { describeWithTools } from '../support/required-tools.js';
import { newTill } from './till.js';

// Receipt numbers without gaps (kassasystemforskrifta: consecutive numbers): every number the counter
// reserved is in the cash-register journal once, used by a sale or journaled void with why — a
// declined payment, a cancelled one, and numbers left by a crash between reservation and sale.

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

describeWithTools('receipt numbers', { xmllint: '/usr/bin/xmllint' }, 'apt-get install libxml2-utils', () => {
  it('are each used by a sale or journaled void: a decline, a cancel and a crash leave no gap', async () => {
    const kiosk = await new CheckoutHarness({ journal: true }).start();
    const till = await newTill(() => kiosk.clock.now());
    const catalog = new ReloadableCatalog(DEMO_CATALOG, await loadCatalogFile(DEMO_CATALOG));
    const recorderOn = (checkout: RecorderParts['checkout']) =>
      new CashRegisterRecorder({
        register: till.register,
        store: till.store,
        checkout,
        catalog,
        softwareVersion: '0.1.0',
        lastReservedReceipt: () => kiosk.receiptNumbers.lastReserved(),
        logger: silent,
        onFault: () => {},
      });
    await recorderOn(kiosk.service).start();
    const sell = async () => {
      const reference = await kiosk.startPayment();
      await kiosk.control.act(reference, 'approve');
      kiosk.tick(5_000);
      await kiosk.until('approved');
      kiosk.send({ type: 'done' });
      kiosk.tick(60_000);
    };
    try {
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
      await kiosk.startPayment(); // 5: reserved, requested, and then the kiosk dies
    } finally {
      await kiosk.stop();
    }
    // The daemon starts again on the same journal and counter (5 handed out, 6 reserved ahead).
    expect(await kiosk.receiptNumbers.lastReserved()).toBe(6);
    await recorderOn({ onDomainEvent: () => () => {} }).start();

    const rows = [...till.store.all()];
    const numbers = rows
      .filter((r) => r.kind === 'sale' || r.kind === 'receipt.void')
      .map((r) => {
        const data = JSON.parse(r.data) as { receiptNumber: string; reason?: string };
        return [data.receiptNumber, r.kind === 'sale' ? 'sale' : data.reason];
      })
      .sort(([a], [b]) => String(a).localeCompare(String(b)));
    const restart =
      'not used: the kiosk stopped or restarted before a sale with it (reserved ahead, or its payment was cut off)';
    expect(numbers).toEqual([
      ['0000000001', 'sale'],
      ['0000000002', 'payment declined (rejected)'],
      ['0000000003', 'payment cancelled'],
      ['0000000004', 'sale'],
      ['0000000005', restart],
      ['0000000006', restart],
    ]);
    expect(rows.find((r) => r.kind === 'receipt.void')).toMatchObject({ code: '13028' });
    expect(JSON.parse(rows.find((r) => r.kind === 'application.start')!.data)).toMatchObject({
      receiptNumbersFrom: '0000000001',
    });
    // The X report counts them, with the amounts of the payments that were asked for.
    expect(till.register.report('x')).toMatchObject({ receipts: 2, voids: { count: 4, amount: 2 * 6780 } });
    // The Z of this day of declines adds up to its sale rows, in total and per VAT rate.
    const sales = rows.filter((r) => r.kind === 'sale').map((r) => JSON.parse(r.data) as JournaledSale);
    const z = till.register.report('z');
    expect(z.sales).toEqual({
      amount: sales.reduce((sum, s) => sum + s.amountIn, 0),
      netAmount: sales.reduce((sum, s) => sum + s.amountEx, 0),
    });
    expect(z.vat).toEqual([
      {
        rate: 1500,
        basisAmount: sales.reduce((sum, s) => sum + s.vat[0]!.basis, 0),
        amount: sales.reduce((sum, s) => sum + s.vat[0]!.amount, 0),
      },
    ]);
    expect(sales.every((s) => s.vat.length === 1 && s.vat[0]!.rate === 1500)).toBe(true);
    expect(z).toMatchObject({ number: 1, receipts: 2, voids: { count: 4 } });
    expect(
      verifyJournal(till.store.all(), { publicKeys: new Map([[1, till.pair.publicKeyPem]]) }).breaks,
    ).toEqual([]);
    till.store.close();
  }, 60_000);
});
