import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { CashRegisterRecorder } from '../../device/cash-register/recorder.js';
import { loadCatalogFile } from '../../device/catalog/catalog-file.js';
import { ReloadableCatalog } from '../../device/catalog/reloadable-catalog.js';
import { DEMO_CATALOG } from '../support/checkout-harness.js';
import { newTill, SALE_DAY } from './till.js';

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

it('a catalog reload journals exactly what changed: a new price, a product gone, a new product', async () => {
  let now = SALE_DAY;
  const till = await newTill(() => now);
  const file = join(till.stateDir, 'catalog.json');
  const catalogJson = JSON.parse(await readFile(DEMO_CATALOG, 'utf8'));
  await writeFile(file, JSON.stringify(catalogJson));
  const catalog = new ReloadableCatalog(file, await loadCatalogFile(file));
  const recorder = new CashRegisterRecorder({
    register: till.register,
    store: till.store,
    checkout: { onDomainEvent: () => () => {} },
    catalog,
    softwareVersion: '0.1.0',
    logger: silent,
    onFault: () => {},
  });
  await recorder.start();
  const [milk, bread, ...rest] = catalogJson.products;
  const newcomer = { gtin: '2000000000404', name: 'Te 20 poser', unitPrice: 3990, vatClass: 'food' };
  await writeFile(
    file,
    JSON.stringify({ ...catalogJson, products: [{ ...milk, unitPrice: 2590 }, ...rest, newcomer] }),
  );
  now += 60_000;
  await catalog.reload();
  const changes = till.store.ofKind('price.change').map((row) => JSON.parse(row.data).changes);
  expect(changes).toHaveLength(2);
  expect(changes[0]).toHaveLength(catalogJson.products.length);
  expect(changes[1]).toEqual([
    {
      gtin: milk.gtin,
      before: { name: 'Melk 1 l', unitPrice: 2490, memberPrice: null, vatClass: 'food' },
      after: { name: 'Melk 1 l', unitPrice: 2590, memberPrice: null, vatClass: 'food' },
    },
    {
      gtin: newcomer.gtin,
      before: null,
      after: { name: 'Te 20 poser', unitPrice: 3990, memberPrice: null, vatClass: 'food' },
    },
    {
      gtin: bread.gtin,
      before: { name: 'Brød grovt', unitPrice: 4290, memberPrice: null, vatClass: 'food' },
      after: null,
    },
  ]);
  recorder.stop();
});
