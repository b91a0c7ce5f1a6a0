import { expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import type { JournaledSale } from '../../device/cash-register/cash-register.js';
import { PeriodAlreadyClosedError } from '../../device/cash-register/cash-register.js';
import { type JournaledReport, reportForHq, reportOf } from '../../device/cash-register/reports.js';
import { verifyJournal } from '../../device/cash-register/verify.js';
import type { SaleCompleted } from '../../device/checkout/domain-events.js';
import { assertNoPersonalData } from '../../device/telemetry/payload-guard.js';
import { run } from '../support/cli-process.js';
import { describeWithTools } from '../support/required-tools.js';
import { configDirFor, newTill, SALE_DAY, saftFileOf, saleOf, xmllint } from './till.js';

/** A sale of coffee (15 %) and a battery (25 %), the battery at shelf price. */
function mixedSale(receipt: number): SaleCompleted {
  const sale = saleOf(receipt, 5990);
  const battery = {
    name: 'Batteri AA',
    id: '2000000000046',
    totalAmount: 4990,
    totalAmountExcludingTax: 3992,
    totalTaxAmount: 998,
    taxRate: 2500,
    unitInfo: { unitPrice: 4990, quantity: '1', quantityUnit: 'PCS' as const },
  };
  return {
    ...sale,
    lines: [...sale.lines, battery],
    amount: sale.amount + battery.totalAmount,
    vat: [...sale.vat, { rate: 2500, amount: 998 }],
  };
}

/** A day: start, three sales (one with two VAT rates), each shown, a voided number. */
async function dayOfSales() {
  let now = SALE_DAY;
  const till = await newTill(() => now);
  till.register.started([], '0.1.0');
  for (const [i, sale] of [saleOf(1, 5990), mixedSale(2), saleOf(4, 6990)].entries()) {
    now += 60_000;
    const row = till.register.sale(sale);
    till.register.receiptShown(row.transNr, sale.receiptNumber);
    if (i === 1) till.register.voided({ receiptNumber: '0000000003', reason: 'declined', amount: 2490 });
  }
  return { till, advance: (ms: number) => (now += ms), set: (at: number) => (now = at) };
}

function saleRows(rows: Iterable<{ kind: string; data: string }>): JournaledSale[] {
  return [...rows].filter((r) => r.kind === 'sale').map((r) => JSON.parse(r.data) as JournaledSale);
}

describeWithTools('X and Z reports', { xmllint: '/usr/bin/xmllint' }, 'apt-get install libxml2-utils', () => {
  it('add up to the journal’s sale rows: totals, per VAT rate, per payment type, discounts, voids, not printed', async () => {
    const { till, advance } = await dayOfSales();
    const sales = saleRows(till.store.all());
    advance(60_000);
    const x = till.register.report('x');
    const total = sales.reduce((sum, s) => sum + s.amountIn, 0);
    expect(total).toBe(5990 + 10980 + 6990);
    expect(x).toMatchObject({
      kind: 'x',
      number: 1,
      receipts: 3,
      sales: { amount: total, netAmount: sales.reduce((sum, s) => sum + s.amountEx, 0) },
      payments: [{ type: 'VIPPS', count: 3, amount: total }],
      discounts: { count: 3, amount: 3000 },
      voids: { count: 1, amount: 2490 },
      notPrinted: { count: 3, amount: total },
      returns: { count: 0, amount: 0 },
      copies: { count: 0, amount: 0 },
      training: { count: 0, amount: 0 },
      priceLookups: { count: 0, amount: 0 },
      grandTotal: { salesAmount: total, returnsAmount: 0, netAmount: total },
      period: { previousZ: null, fromRow: 1 },
    });
    for (const rate of [1500, 2500]) {
      const lines = sales.flatMap((s) => s.lines).filter((l) => l.vatRate === rate);
      expect(x.vat.find((v) => v.rate === rate)).toEqual({
        rate,
        basisAmount: lines.reduce((sum, l) => sum + l.amountEx, 0),
        amount: lines.reduce((sum, l) => sum + l.vat, 0),
      });
    }
    // The X report closes nothing: the Z after it covers the same sales, and is Z number 1.
    advance(60_000);
    const z = till.register.report('z');
    expect(z).toMatchObject({ kind: 'z', number: 1, receipts: 3, sales: x.sales, vat: x.vat });
    const rows = [...till.store.all()];
    expect(rows.at(-2)).toMatchObject({ kind: 'report.x', code: '13008' });
    expect(rows.at(-1)).toMatchObject({ kind: 'report.z', code: '13009' });
    expect(z.period.toRow).toBe(rows.at(-1)!.nr);
  });

  it('a second Z has the next number, covers nothing twice and carries the grand total on', async () => {
    const { till, advance } = await dayOfSales();
    advance(60_000);
    const first = till.register.report('z');
    const empty = till.register.report('z');
    expect(empty).toMatchObject({
      number: 2,
      receipts: 0,
      sales: { amount: 0, netAmount: 0 },
      payments: [],
      vat: [],
      voids: { count: 0, amount: 0 },
      period: { previousZ: 1, fromRow: first.period.toRow + 1 },
      grandTotal: first.grandTotal,
    });
    advance(60_000);
    till.register.sale(saleOf(5, 1000));
    const third = till.register.report('z');
    expect(third).toMatchObject({ number: 3, receipts: 1, sales: { amount: 1000 } });
    expect(third.grandTotal.salesAmount).toBe(first.grandTotal.salesAmount + 1000);
    // Every sale row is in exactly one Z period.
    const zs = [first, empty, third];
    expect(zs.reduce((sum, z) => sum + z.sales.amount, 0)).toBe(
      saleRows(till.store.all()).reduce((sum, s) => sum + s.amountIn, 0),
    );
    expect(
      verifyJournal(till.store.all(), { publicKeys: new Map([[1, till.pair.publicKeyPem]]) }).breaks,
    ).toEqual([]);
  });

  it('go to HQ without article lines, and pass the telemetry guard with years of grand totals', async () => {
    const { till, advance } = await dayOfSales();
    advance(60_000);
    const first = till.register.report('z');
    const rows = [...till.store.all()];
    const years = {
      ...first,
      grandTotal: { salesAmount: 9_876_543_210, returnsAmount: 12_345_678, netAmount: 9_864_197_532 },
    };
    const z = reportOf({
      kind: 'z',
      number: 812,
      at: SALE_DAY,
      rows: rows.slice(0, -1),
      previousZ: { row: rows.at(-1)!, report: years },
      toRow: rows.length + 1,
    });
    expect(z.grandTotal.salesAmount).toBe(9_876_543_210 + 23_960);
    const topic = 'vk/v1/oslo-1/kiosk-07/events/report';
    expect(() => assertNoPersonalData(topic, reportForHq(z))).not.toThrow();
    expect(reportForHq(z)).not.toHaveProperty('articles');
    // The article lines (GTINs, names) are what the guard would refuse: they stay in the journal.
    expect(() => assertNoPersonalData(topic, z)).toThrow();
  });

  it('refuses a Z for a period already closed when the clock went backwards, and says so', async () => {
    const { till, advance, set } = await dayOfSales();
    advance(60_000);
    const z = till.register.report('z');
    const rowsBefore = [...till.store.all()].length;
    set(Date.parse(z.at) - 3_600_000);
    expect(() => till.register.report('z')).toThrow(PeriodAlreadyClosedError);
    expect(() => till.register.report('z')).toThrow(
      /Z report 1 already closed the period up to .*the clock went backwards/i,
    );
    const rows = [...till.store.all()];
    // The clock's step back is journaled; no Z report is.
    expect(rows.slice(rowsBefore).map((r) => r.kind)).toEqual(['clock.backwards', 'clock.backwards']);
    expect(rows.filter((r) => r.kind === 'report.z')).toHaveLength(1);
    // An X report is still allowed: it closes nothing.
    expect(till.register.report('x')).toMatchObject({ number: 1, receipts: 0 });
  });

  it('appear in the SAF-T file as eventReport, valid against the official schema', async () => {
    const { till, advance } = await dayOfSales();
    advance(60_000);
    till.register.report('x');
    till.register.report('z');
    till.register.report('z');
    const rows = [...till.store.all()];
    const createdAt = SALE_DAY + 3_600_000;
    const { xml, file } = await saftFileOf(till.stateDir, rows, { createdAt: createdAt });
    expect(xmllint(file)).toMatchObject({ code: 0 });
    const doc = create(xml).end({ format: 'object' }) as unknown as {
      auditfile: {
        company: {
          location: {
            cashregister: {
              event: Array<{ eventType: string; eventText?: string; eventReport?: Record<string, unknown> }>;
            };
          };
        };
      };
    };
    const reports = doc.auditfile.company.location.cashregister.event.filter((e) => e.eventReport);
    expect(reports.map((e) => [e.eventType, e.eventReport!.reportID, e.eventReport!.reportType])).toEqual([
      ['XREP', 'X1', 'X report'],
      ['ZREP', 'Z1', 'Z report'],
      ['ZREP', 'Z2', 'Z report'],
    ]);
    expect(reports[1]!.eventReport).toMatchObject({
      reportReceiptNum: '3',
      reportVoidTransNum: '1',
      reportVoidTransAmnt: '24.90',
      reportDiscountNum: '3',
      reportDiscountAmnt: '30.00',
      reportTotalCashSales: { totalCashSaleAmnt: '239.60' },
      reportGrandTotalSales: '239.60',
      reportGrandTotalSalesNet: '239.60',
    });
    expect(reports[1]!.eventText).toBe('Z report 1; 3 sale(s) concluded without a printed receipt (239.60)');
    expect(
      doc.auditfile.company.location.cashregister.event.find((e) => e.eventType === 'VOID'),
    ).toMatchObject({
      eventText: 'Receipt number 0000000003 void: declined',
    });
  });

  it('`vipps-kiosk report x|z` prints the table in Norwegian, or JSON, and journals each report', async () => {
    const { till } = await dayOfSales();
    till.store.close();
    const configDir = await configDirFor(till.stateDir, till.pair.privateKeyPem);
    const x = await run(['report', 'x', '--config-dir', configDir]);
    expect(x.code).toBe(0);
    expect(x.output).toContain('X-RAPPORT nr. 1');
    expect(x.output).toContain('Org.nr. 974760673 MVA');
    expect(x.output).toContain('Kasse kiosk-07');
    expect(x.output).toMatch(/Antall salgskvitteringer\s+3\n/);
    expect(x.output).toMatch(/Annullerte kvitteringsnr\. \(1\)\s+24\.90\n/);
    expect(x.output).toMatch(/Grand total salg\s+239\.60\n/);
    const z = await run(['report', 'z', '--json', '--config-dir', configDir]);
    expect(z.code).toBe(0);
    const report = JSON.parse(z.output) as JournaledReport;
    expect(report).toMatchObject({ kind: 'z', number: 1, receipts: 3, sales: { amount: 23_960 } });
    const wrong = await run(['report', 'y', '--config-dir', configDir]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.output).toContain('unknown report "y": x or z');
  }, 60_000);
});
