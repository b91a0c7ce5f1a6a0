import { describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { CopyDesk } from '../../device/cash-register/copies.js';
import { CashRegisterStore } from '../../device/cash-register/journal-store.js';
import { TrainingMode } from '../../device/cash-register/training.js';
import { verifyJournal } from '../../device/cash-register/verify.js';
import { describeWithTools } from '../support/required-tools.js';
import { checkChain, type SignedTransaction } from './independent-verifier.js';
import { COMPANY, newTill, SALE_DAY, saftFileOf, saleOf, xmllint } from './till.js';

/** A till whose clock the test moves, with staff mode's copy desk and training switch on it. */
async function staffTill() {
  let now = SALE_DAY;
  const till = await newTill(() => now);
  till.register.started([], '0.1.0');
  return {
    ...till,
    copies: new CopyDesk({ ...till, seller: COMPANY, kioskId: 'kiosk-07' }),
    training: new TrainingMode(till),
    later: (ms = 60_000) => {
      now += ms;
    },
  };
}

/** A morning: a sale, its copy, a refused second copy, training on, a training sale, training off. */
async function morning() {
  const till = await staffTill();
  till.later();
  till.register.sale(saleOf(1, 5990));
  till.later();
  const first = till.copies.copyOfLastReceipt('E7');
  const second = till.copies.copyOfLastReceipt('E7');
  till.later();
  till.training.set(true, 'E7');
  till.later();
  // Another article than the sale's: SAF-T's master data must name what only a training sale sold.
  const bananas = saleOf(2, 4990);
  till.register.trainingSale({
    ...bananas,
    lines: bananas.lines.map((line) => ({ ...line, id: '2000000000046', name: 'Bananer 6 stk' })),
  });
  till.later();
  till.training.set(false, 'E7');
  return { till, first, second };
}

describe('a copy of the last receipt', () => {
  it('is the signed sale again, marked KOPI and journaled with who made it; a second copy is refused', async () => {
    const { till, first, second } = await morning();
    expect(first).toMatchObject({
      ok: true,
      receipt: {
        heading: 'Salgskvittering',
        copy: true,
        receiptNumber: '0000000001',
        kioskId: 'kiosk-07',
        total: 5990,
        lines: [{ name: 'Kaffe 250 g', quantity: 1, unitPrice: 6990, discount: 1000, amount: 5990 }],
        seller: { registration: 'Org.nr 974 760 673 MVA' },
        payment: { reference: 'kiosk-07-0000000001-1', pspReference: 'psp-1' },
      },
    });
    expect(first.ok && first.receipt.training).toBeUndefined();
    expect(second).toEqual({
      ok: false,
      code: 'copy-already-made',
      message: 'A copy of receipt 0000000001 has already been made; the law allows only one.',
    });
    const copies = till.store.ofKind('receipt.copy');
    expect(copies.map((row) => [row.code, JSON.parse(row.data)])).toEqual([
      ['13014', { receiptNumber: '0000000001', transNr: 1, amount: 5990, employeeId: 'E7' }],
    ]);
  });

  it('is refused when no receipt was given yet, and of a training receipt, which is not a valid receipt', async () => {
    const till = await staffTill();
    expect(till.copies.copyOfLastReceipt('E7')).toMatchObject({ ok: false, code: 'no-receipt' });
    till.training.set(true, 'E7');
    till.register.trainingSale(saleOf(1, 4990));
    expect(till.copies.copyOfLastReceipt('E7')).toEqual({
      ok: false,
      code: 'no-receipt',
      message:
        'The last receipt (0000000001) was a training receipt: it is not a valid receipt, and no copy is made of it.',
    });
    expect(till.store.ofKind('receipt.copy')).toEqual([]);
  });
});

describe('training mode', () => {
  it('journals on and off with the employee (13023/13024), once per switch, and is still on after a restart', async () => {
    const till = await staffTill();
    expect(till.training.isOn()).toBe(false);
    const heard: boolean[] = [];
    till.training.onChange((on) => heard.push(on));
    till.training.set(true, 'E7');
    till.training.set(true, 'E7');
    expect(till.training.isOn()).toBe(true);
    till.store.close();
    // A new daemon on the same journal.
    const reopened = CashRegisterStore.open(till.store.path);
    expect(new TrainingMode({ store: reopened, register: till.register }).isOn()).toBe(true);
    const rows = [...reopened.all()].filter((row) => row.kind.startsWith('training.'));
    expect(rows.map((row) => [row.kind, row.code, JSON.parse(row.data)])).toEqual([
      ['training.on', '13023', { employeeId: 'E7' }],
    ]);
    expect(heard).toEqual([true]);
    reopened.close();
  });

  it('counts a training sale under training in the X report, never as a sale, and copies with their amount', async () => {
    const { till } = await morning();
    const x = till.register.report('x');
    expect(x).toMatchObject({
      receipts: 1,
      sales: { amount: 5990 },
      payments: [{ type: 'VIPPS', count: 1, amount: 5990 }],
      copies: { count: 1, amount: 5990 },
      training: { count: 1, amount: 4990 },
      grandTotal: { salesAmount: 5990 },
    });
    expect(x.vat.reduce((sum, v) => sum + v.basisAmount + v.amount, 0)).toBe(5990);
    expect(x.articles).toEqual([{ gtin: '2000000000039', name: 'Kaffe 250 g', quantity: 1, amount: 5990 }]);
  });

  it('signs a training sale in the same chain as sales, which verifies with the public key', async () => {
    const { till } = await morning();
    const rows = [...till.store.all()];
    expect(rows.filter((row) => row.transNr !== null).map((row) => [row.kind, row.transNr])).toEqual([
      ['sale', 1],
      ['training.sale', 2],
    ]);
    expect(verifyJournal(rows, { publicKeys: new Map([[1, till.pair.publicKeyPem]]) })).toEqual({
      rows: rows.length,
      transactions: 2,
      breaks: [],
    });
  });
});

interface Transaction extends SignedTransaction {
  trainingID: string;
  receiptCopyNum?: string;
}

describeWithTools(
  'the SAF-T file of a day with a copy and training',
  { xmllint: '/usr/bin/xmllint' },
  'apt-get install libxml2-utils',
  () => {
    it('validates against the official schema, marks the training sale and counts the copy, and its chain holds', async () => {
      const { till } = await morning();
      till.later();
      till.register.report('z');
      const rows = [...till.store.all()];
      const { xml, file } = await saftFileOf(till.stateDir, rows, { createdAt: SALE_DAY + 3_600_000 });
      expect(xmllint(file)).toMatchObject({ code: 0 });

      const doc = create(xml).end({ format: 'object' }) as unknown as {
        auditfile: {
          company: {
            basics: { basic: Array<{ basicID: string; predefinedBasicID?: string }> };
            articles: { article: Array<{ artID: string }> };
            location: {
              cashregister: {
                event: Array<{ eventType: string; transID?: string; eventText?: string }>;
                cashtransaction: Transaction[];
              };
            };
          };
        };
      };
      const { cashregister } = doc.auditfile.company.location;
      // Every artID a line names is in the master data (the schema's keyref cannot check it: its paths
      // name no namespace), the article only the training sale sold too.
      expect(doc.auditfile.company.articles.article.map((a) => a.artID)).toEqual([
        '2000000000039',
        '2000000000046',
      ]);
      const transactions = cashregister.cashtransaction;
      expect(transactions.map((t) => [t.nr, t.trainingID, t.receiptCopyNum])).toEqual([
        ['1', 'false', '1'],
        ['2', 'true', undefined],
      ]);
      expect(checkChain(till.pair.publicKeyPem, transactions)).toEqual([]);
      const events = cashregister.event.map((e) => [e.eventType, e.transID]);
      expect(events).toContainEqual(['COPYREC', '1']);
      expect(events).toContainEqual(['TRAINREC', '2']);
      expect(events.filter(([type]) => type === 'TRAINON' || type === 'TRAINOFF')).toEqual([
        ['TRAINON', undefined],
        ['TRAINOFF', undefined],
      ]);
      const basics = new Map(doc.auditfile.company.basics.basic.map((b) => [b.basicID, b.predefinedBasicID]));
      expect([
        basics.get('COPYREC'),
        basics.get('TRAINON'),
        basics.get('TRAINOFF'),
        basics.get('TRAINREC'),
      ]).toEqual(['13014', '13023', '13024', '13017']);
      expect(xml).toContain('<reportReceiptCopyNum>1</reportReceiptCopyNum>');
      expect(xml).toContain('<reportReceiptCopyAmnt>59.90</reportReceiptCopyAmnt>');
      expect(xml).toContain('<reportTrainingNum>1</reportTrainingNum>');
      expect(xml).toContain('<reportTrainingAmnt>49.90</reportTrainingAmnt>');
    });
  },
);
