import { afterEach, beforeEach, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { verifyJournal } from '../../device/cash-register/verify.js';
import { checkChain, type SignedTransaction } from '../cash-register/independent-verifier.js';
import { saftFileOf, xmllint } from '../cash-register/till.js';
import { describeWithTools } from '../support/required-tools.js';
import { BREAD, type Counter, MILK, openCounter } from './return-counter.js';

interface ExportedTransaction extends SignedTransaction {
  transType: string;
  amntTp: string;
  empID?: string;
  ctLine: { lineType: string; qnt: string; lineAmntIn: string; amntTp: string } | Array<unknown>;
  payment: { paidAmnt: string };
}

describeWithTools(
  'returns in the X and Z reports, the SAF-T file and the signature chain',
  { xmllint: '/usr/bin/xmllint' },
  'apt-get install libxml2-utils',
  () => {
    let counter: Counter;

    beforeEach(async () => {
      counter = await openCounter();
    });

    afterEach(async () => {
      await counter.stop();
    });

    /** Two sales (92.70 and 67.80), a return of one milk from the first and of all of the second. */
    async function dayWithReturns() {
      const first = await counter.sell([MILK, MILK, BREAD]);
      const second = await counter.sell([MILK, BREAD]);
      const one = await counter.desk.refund({
        receiptNumber: first.receiptNumber,
        lines: [{ index: 0, quantity: 1 }],
        employeeId: 'E7',
      });
      counter.kiosk.tick(60_000);
      const all = await counter.desk.refund({
        receiptNumber: second.receiptNumber,
        lines: [
          { index: 0, quantity: 1 },
          { index: 1, quantity: 1 },
        ],
        employeeId: 'E8',
      });
      expect([one.ok, all.ok]).toEqual([true, true]);
      return { first, second };
    }

    it('X and Z count the returns, and the grand totals net them off the sales', async () => {
      await dayWithReturns();
      const x = counter.till.register.report('x');
      expect(x).toMatchObject({
        receipts: 2,
        sales: { amount: 9270 + 6780 },
        returns: { count: 2, amount: 2490 + 6780 },
        grandTotal: { salesAmount: 16_050, returnsAmount: 9270, netAmount: 6780 },
      });
      const z = counter.till.register.report('z');
      expect(z).toMatchObject({ returns: x.returns, grandTotal: x.grandTotal });
      // After the Z: one more return, of the first sale's bread; the grand totals carry on from the Z.
      counter.kiosk.tick(3_600_000);
      const sale = JSON.parse(counter.till.store.ofKind('sale')[0]!.data) as { receiptNumber: string };
      const bread = await counter.desk.refund({
        receiptNumber: sale.receiptNumber,
        lines: [{ index: 1, quantity: 1 }],
        employeeId: 'E7',
      });
      expect(bread.ok).toBe(true);
      expect(counter.till.register.report('z')).toMatchObject({
        receipts: 0,
        sales: { amount: 0 },
        returns: { count: 1, amount: 4290 },
        grandTotal: { salesAmount: 16_050, returnsAmount: 13_560, netAmount: 2490 },
      });
    });

    it('the SAF-T file has the returns as negative, signed transactions and validates against the official schema', async () => {
      await dayWithReturns();
      counter.till.register.report('z');
      const rows = [...counter.till.store.all()];
      const createdAt = counter.kiosk.clock.now();
      const { xml, file } = await saftFileOf(counter.till.stateDir, rows, { createdAt: createdAt });
      expect(xmllint(file)).toMatchObject({ code: 0 });
      // The Z report's event carries the returns, and the grand totals net of them.
      expect(xml).toContain('<reportReturnNum>2</reportReturnNum>');
      expect(xml).toContain('<reportReturnAmnt>92.70</reportReturnAmnt>');
      expect(xml).toContain('<reportGrandTotalReturn>92.70</reportGrandTotalReturn>');

      const doc = create(xml).end({ format: 'object' }) as unknown as {
        auditfile: {
          company: {
            basics: { basic: Array<{ basicID: string; predefinedBasicID?: string }> };
            location: {
              cashregister: {
                cashtransaction: ExportedTransaction[];
                event: Array<{ eventType: string; transID?: string; eventText?: string }>;
              };
            };
          };
        };
      };
      const { basics, location } = doc.auditfile.company;
      expect(basics.basic).toContainEqual(
        expect.objectContaining({ basicID: 'RETURN', predefinedBasicID: '11006' }),
      );
      expect(basics.basic).toContainEqual(
        expect.objectContaining({ basicID: 'RETRECEIPT', predefinedBasicID: '13013' }),
      );
      const transactions = location.cashregister.cashtransaction;
      expect(transactions.map((t) => [t.nr, t.transType, t.transAmntIn, t.amntTp])).toEqual([
        ['1', 'CASHSAL', '92.70', 'C'],
        ['2', 'CASHSAL', '67.80', 'C'],
        ['3', 'RETURN', '-24.90', 'D'],
        ['4', 'RETURN', '-67.80', 'D'],
      ]);
      expect(transactions[2]).toMatchObject({
        empID: 'E7',
        ctLine: { lineType: 'RET', qnt: '-1', lineAmntIn: '-24.90', amntTp: 'D' },
        payment: { paidAmnt: '-24.90' },
      });
      expect(
        location.cashregister.event.filter((e) => e.eventType === 'RETRECEIPT').map((e) => e.transID),
      ).toEqual(['3', '4']);
      // Skatteetaten's rules, read independently: the returns chain on from the sales with the public key alone.
      expect(checkChain(counter.till.pair.publicKeyPem, transactions)).toEqual([]);
    });

    it('cash-register verify holds over sales and returns, and finds a return edited by hand', async () => {
      await dayWithReturns();
      const publicKeys = new Map([[1, counter.till.pair.publicKeyPem]]);
      const rows = [...counter.till.store.all()];
      expect(verifyJournal(rows, { publicKeys })).toMatchObject({ transactions: 4, breaks: [] });

      // Someone makes the first return smaller by hand and recomputes the row's hash: the signature gives it away.
      const { rowHash } = await import('../../device/cash-register/journal-store.js');
      const edited = rows.map((row) => {
        if (row.kind !== 'return' || row.transNr !== 3) return row;
        const data = row.data.replace('"amountIn":-2490', '"amountIn":-1000');
        const changed = { ...row, data };
        return { ...changed, hash: rowHash(changed) };
      });
      const breaks = verifyJournal(edited, { publicKeys }).breaks;
      expect(breaks[0]).toMatchObject({
        kind: 'return',
        problem: expect.stringContaining('signature does not hold'),
      });
    });
  },
);
