import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { journaledPrices } from '../../device/cash-register/price-changes.js';
import { CashRegisterRecorder } from '../../device/cash-register/recorder.js';
import { verifyJournal } from '../../device/cash-register/verify.js';
import { loadCatalogFile } from '../../device/catalog/catalog-file.js';
import { ReloadableCatalog } from '../../device/catalog/reloadable-catalog.js';
import { CheckoutHarness, DEMO_CATALOG } from '../support/checkout-harness.js';
import { run } from '../support/cli-process.js';
import { describeWithTools } from '../support/required-tools.js';
import { checkChain, osloDateTime, type SignedTransaction } from './independent-verifier.js';
import { configDirFor, newTill, xmllint } from './till.js';

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/** Sells the harness's basket (milk and bread) to its test customer, through to the receipt. */
async function sell(kiosk: CheckoutHarness): Promise<void> {
  const reference = await kiosk.startPayment();
  await kiosk.control.act(reference, 'approve');
  kiosk.tick(5_000);
  await kiosk.until('approved');
  kiosk.send({ type: 'done' });
  kiosk.tick(60_000);
}

describeWithTools(
  'a day of sales at the real checkout',
  { xmllint: '/usr/bin/xmllint' },
  'apt-get install libxml2-utils',
  () => {
    let kiosk: CheckoutHarness;
    let till: Awaited<ReturnType<typeof newTill>>;
    let recorder: CashRegisterRecorder;
    let faults: Array<string | null>;

    beforeEach(async () => {
      kiosk = await new CheckoutHarness({ journal: true }).start();
      till = await newTill(() => kiosk.clock.now());
      faults = [];
      const catalog = new ReloadableCatalog(DEMO_CATALOG, await loadCatalogFile(DEMO_CATALOG));
      recorder = new CashRegisterRecorder({
        register: till.register,
        store: till.store,
        checkout: kiosk.service,
        catalog,
        softwareVersion: '0.1.0',
        logger: silent,
        onFault: (message) => faults.push(message),
      });
      await recorder.start();
    });

    afterEach(async () => {
      await kiosk.stop();
    });

    it('journals start, prices, three signed sales with their receipts and stop, in one chain that verifies', async () => {
      for (let i = 0; i < 3; i++) await sell(kiosk);
      recorder.stop();
      expect(faults).toEqual([]);
      const { CashRegisterStore } = await import('../../device/cash-register/journal-store.js');
      const store = CashRegisterStore.openExisting(till.store.path);
      const rows = [...store.all()];
      expect(rows.map((r) => r.kind)).toEqual([
        'signing.key',
        'application.start',
        'price.change',
        'sale',
        'receipt.shown',
        'sale',
        'receipt.shown',
        'sale',
        'receipt.shown',
        'application.stop',
      ]);
      expect(rows.map((r) => r.nr)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const sale = JSON.parse(rows[3]!.data);
      expect(sale).toMatchObject({
        reference: 'kiosk-07-0000000001-1',
        receiptNumber: '0000000001',
        paymentType: 'VIPPS',
        amountIn: 6780,
        vat: [{ rate: 1500, amount: 885, basis: 5895 }],
        lines: [
          { gtin: '2000000000015', name: 'Melk 1 l', quantity: '1', amountIn: 2490, discount: 0 },
          { gtin: '2000000000022', name: 'Brød grovt', quantity: '1', amountIn: 4290, discount: 0 },
        ],
      });
      expect(rows.filter((r) => r.kind === 'sale').map((r) => [r.transNr, r.keyVersion])).toEqual([
        [1, 1],
        [2, 1],
        [3, 1],
      ]);
      // Never who bought: the customer's phone number and QR text appear nowhere in the file.
      const raw = (await readFile(till.store.path)).toString('latin1');
      expect(raw).toContain('Melk 1 l');
      expect(raw).not.toContain(kiosk.customer.msisdn);
      expect(raw).not.toContain(kiosk.customer.personalQrV2);
      expect(verifyJournal(rows, { publicKeys: new Map([[1, till.pair.publicKeyPem]]) })).toEqual({
        rows: 10,
        transactions: 3,
        breaks: [],
      });
      expect(journaledPrices(rows).get('2000000000039')).toEqual({
        name: 'Kaffe 250 g',
        unitPrice: 6990,
        memberPrice: 5990,
        vatClass: 'food',
      });
      store.close();
    });

    it('exports the day as a SAF-T file that the official schema accepts and whose signatures hold with the public key alone', async () => {
      for (let i = 0; i < 2; i++) await sell(kiosk);
      recorder.stop();
      const configDir = await configDirFor(till.stateDir, till.pair.privateKeyPem);
      const day = osloDateTime(kiosk.clock.now()).date;
      const out = till.stateDir;
      const exported = await run([
        'saft',
        'export',
        '--from',
        day,
        '--to',
        day,
        '--out',
        out,
        '--config-dir',
        configDir,
      ]);
      expect(exported.output).toMatch(/SAF-T Cash Register_974760673_\d{14}\.xml/);
      expect(exported.code).toBe(0);
      const [name] = (await readdir(out)).filter((f) => f.endsWith('.xml'));
      const file = join(out, name!);
      expect(xmllint(file)).toMatchObject({ code: 0 });

      const doc = create(await readFile(file, 'utf8')).end({ format: 'object' }) as unknown as {
        auditfile: {
          company: {
            location: {
              cashregister: { cashtransaction: SignedTransaction[]; event: Array<{ eventType: string }> };
            };
          };
        };
      };
      const register = doc.auditfile.company.location.cashregister;
      expect(register.cashtransaction).toHaveLength(2);
      expect(register.cashtransaction[0]).toMatchObject({
        nr: '1',
        transAmntIn: '67.80',
        transAmntEx: '58.95',
        keyVersion: '1',
      });
      expect(register.event.map((e) => e.eventType)).toEqual([
        'SIGNKEY',
        'POSSTART',
        'PRICECHANGE',
        'NOPRINT',
        'NOPRINT',
        'POSEND',
      ]);
      // The public key as `cash-register public-key` prints it for the declaration, and nothing else.
      const printed = await run(['cash-register', 'public-key', '--config-dir', configDir]);
      expect(printed.code).toBe(0);
      const pem = printed.output.slice(printed.output.indexOf('-----BEGIN PUBLIC KEY-----'));
      expect(printed.output).toMatch(/^Key version 1 /);
      expect(checkChain(pem, register.cashtransaction)).toEqual([]);

      // The export itself is journaled, and the journal still verifies after it.
      const verified = await run(['cash-register', 'verify', '--config-dir', configDir]);
      expect(verified.output).toContain('9 rows, 2 signed sales: the chain and every signature hold');
      expect(verified.code).toBe(0);
      // Three command processes, each compiling on start, on cores shared with other work.
    }, 90_000);
  },
);
