// Issue 16's "done when", as one day at the real checkout: sales, a return, a copy and a training receipt;
// an X and a Z whose figures add up to them; a SAF-T file the official schema accepts; a signature chain
// that holds with the public key alone (read by an independent verifier); and `cash-register verify`
// finding a row edited by hand.

import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { CopyDesk } from '../../device/cash-register/copies.js';
import { TrainingMode } from '../../device/cash-register/training.js';
import { BREAD, type Counter, MILK, openCounter } from '../returns/return-counter.js';
import { run } from '../support/cli-process.js';
import { describeWithTools } from '../support/required-tools.js';
import { checkChain, type SignedTransaction } from './independent-verifier.js';
import { COMPANY, configDirFor, saftFileOf, xmllint } from './till.js';

describeWithTools(
  'a whole day at the till',
  { xmllint: '/usr/bin/xmllint' },
  'apt-get install libxml2-utils',
  () => {
    let counter: Counter;
    let training: TrainingMode;
    /** The references paid while training was on: in the daemon TrainingRoute knows them (and pays the sandbox). */
    const trainingReferences = new Set<string>();

    beforeEach(async () => {
      counter = await openCounter({
        training: { isTraining: (reference) => trainingReferences.has(reference) },
      });
      training = new TrainingMode(counter.till);
    });

    afterEach(async () => {
      await counter.stop();
    });

    it('adds up in X and Z, exports a valid SAF-T file, and signs one chain that verifies', async () => {
      const first = await counter.sell([MILK, MILK, BREAD]); // 2 × 24.90 + 42.90 = 92.70
      const second = await counter.sell([BREAD]); // 42.90
      const copies = new CopyDesk({ ...counter.till, seller: COMPANY, kioskId: 'kiosk-07' });
      const copy = copies.copyOfLastReceipt('E7');
      expect(copy).toMatchObject({ ok: true, receipt: { copy: true, receiptNumber: second.receiptNumber } });
      expect(copies.copyOfLastReceipt('E7')).toMatchObject({ ok: false, code: 'copy-already-made' });

      training.set(true, 'E7');
      const practice = await counter.sell([MILK], trainingReferences); // 24.90, not a sale
      training.set(false, 'E7');

      const returned = await counter.desk.refund({
        receiptNumber: first.receiptNumber,
        lines: [{ index: 0, quantity: 1 }],
        employeeId: 'E7',
      });
      expect(returned.ok).toBe(true);

      const figures = {
        receipts: 2,
        sales: { amount: 9270 + 4290 },
        returns: { count: 1, amount: 2490 },
        copies: { count: 1, amount: 4290 },
        training: { count: 1, amount: practice.amountIn },
        grandTotal: { salesAmount: 13_560, returnsAmount: 2490, netAmount: 11_070 },
      };
      expect(practice.amountIn).toBe(2490);
      const x = counter.till.register.report('x');
      expect(x).toMatchObject(figures);
      // The payments and VAT are the sales' alone: the training receipt moved no money.
      expect(x.payments.reduce((sum, p) => sum + p.amount, 0)).toBe(13_560);
      expect(x.vat.reduce((sum, v) => sum + v.basisAmount + v.amount, 0)).toBe(13_560);
      const z = counter.till.register.report('z');
      expect(z).toMatchObject({ ...figures, kind: 'z', number: 1 });

      // The SAF-T file of the day: valid against Skatteetaten's XSD.
      const rows = [...counter.till.store.all()];
      const createdAt = counter.kiosk.clock.now();
      const { xml, file } = await saftFileOf(counter.till.stateDir, rows, {
        createdAt: createdAt,
        loginRows: [],
      });
      expect(xmllint(file)).toMatchObject({ code: 0 });

      // Every signed transaction (two sales, the training receipt, the return) chains with the public key alone.
      const doc = create(xml).end({ format: 'object' }) as unknown as {
        auditfile: {
          company: {
            location: {
              cashregister: {
                cashtransaction: Array<
                  SignedTransaction & { transType: string; trainingID: string; receiptCopyNum?: string }
                >;
              };
            };
          };
        };
      };
      const transactions = doc.auditfile.company.location.cashregister.cashtransaction;
      expect(
        transactions.map((t) => [t.transType, t.transAmntIn, t.trainingID, t.receiptCopyNum ?? '0']),
      ).toEqual([
        ['CASHSAL', '92.70', 'false', '0'],
        ['CASHSAL', '42.90', 'false', '1'],
        ['CASHSAL', '24.90', 'true', '0'],
        ['RETURN', '-24.90', 'false', '0'],
      ]);
      expect(checkChain(counter.till.pair.publicKeyPem, transactions)).toEqual([]);

      // An auditor's check: the command finds nothing wrong, then finds the sale someone made cheaper by hand.
      const configDir = await configDirFor(counter.till.stateDir, counter.till.pair.privateKeyPem);
      const verify = () =>
        run(['cash-register', 'verify', '--config-dir', configDir, '--state-dir', counter.till.stateDir]);
      expect(await verify()).toMatchObject({ code: 0 });
      const db = new Database(counter.till.store.path);
      const sale = db.prepare("SELECT nr FROM rows WHERE kind = 'sale' ORDER BY nr LIMIT 1").get() as {
        nr: number;
      };
      // The journal's triggers refuse any UPDATE: someone with the file has to drop them first.
      db.exec('DROP TRIGGER rows_never_updated;');
      db.prepare(
        `UPDATE rows SET data = replace(data, '"amountIn":9270', '"amountIn":8270') WHERE nr = ?`,
      ).run(sale.nr);
      db.close();
      const tampered = await verify();
      expect(tampered.code).toBe(1);
      expect(tampered.output).toContain(`row ${sale.nr} (sale): its content does not match its hash`);
    }, 120_000);
  },
);
