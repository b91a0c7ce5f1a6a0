import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogFileError, catalogFromJson, loadCatalogFile } from '../../device/catalog/catalog-file.js';
import { hasValidCheckDigit } from '../../device/checkout/domain/gtin.js';
import { classifyScan } from '../../device/checkout/domain/scan.js';
import { vatRate } from '../../device/checkout/domain/vat.js';

const DEMO = fileURLToPath(new URL('../../device/catalog/demo-catalog.json', import.meta.url));

const milk = { gtin: '2000000000015', name: 'Melk 1 l', unitPrice: 2490, vatClass: 'food' };
const bread = { gtin: '2000000000022', name: 'Brød grovt', unitPrice: 4290, vatClass: 'food' };

function problemsOf(data: unknown): readonly string[] {
  try {
    catalogFromJson(data, 'test.json');
  } catch (error) {
    if (error instanceof CatalogFileError) return error.problems;
    throw error;
  }
  throw new Error('the catalog was accepted');
}

describe('the demo catalog', () => {
  it('loads: about 20 Norwegian products priced in NOK', async () => {
    const catalog = await loadCatalogFile(DEMO);
    expect(catalog.market).toEqual({ country: 'NO', currency: 'NOK' });
    expect(catalog.all().length).toBeGreaterThanOrEqual(18);
    expect(catalog.lookup('2000000000015')).toEqual(milk);
  });

  it('has only valid EAN-13s from the in-store 200–299 range, each scannable as a product', async () => {
    for (const { gtin } of (await loadCatalogFile(DEMO)).all()) {
      expect(gtin, gtin).toMatch(/^2\d{12}$/);
      expect(hasValidCheckDigit(gtin), gtin).toBe(true);
      expect(classifyScan(`${gtin}\r\n`), gtin).toEqual({ kind: 'product', gtin });
    }
  });

  it('has food, non-food and zero-rated items', async () => {
    const rates = new Set((await loadCatalogFile(DEMO)).all().map((p) => vatRate('NO', p.vatClass)));
    expect([...rates].sort()).toEqual([0, 1500, 2500]);
  });
});

describe('catalogFromJson', () => {
  it('accepts a minimal catalog and trims names', () => {
    const catalog = catalogFromJson(
      { currency: 'DKK', country: 'DK', products: [{ ...milk, name: '  Mælk 1 l ', vatClass: 'standard' }] },
      'dk.json',
    );
    expect(catalog.all()).toEqual([{ ...milk, name: 'Mælk 1 l', vatClass: 'standard' }]);
  });

  it('stores a UPC-A code under its EAN-13 form', () => {
    const catalog = catalogFromJson(
      { currency: 'NOK', country: 'NO', products: [{ ...milk, gtin: '036000291452' }] },
      'x.json',
    );
    expect(catalog.lookup('0036000291452')?.name).toBe('Melk 1 l');
  });

  it('names the entry, the field, the value and the expected form of each problem, all at once', () => {
    const problems = problemsOf({
      currency: 'NOK',
      country: 'NO',
      products: [
        milk,
        { ...bread, unitPrice: 42.5 },
        { ...bread, gtin: '2000000000023' },
        { gtin: 2000000000022, name: '', unitPrice: 0, vatClass: 'luxury' },
        { name: 'Uten strekkode', unitPrice: 100, vatClass: 'food', price: 100 },
      ],
    });
    expect(problems).toEqual([
      'products[1] ("Brød grovt") unitPrice: got 42.5; expected a whole number of minor units (øre/cents) VAT included, 1 to 65000000',
      'products[2] ("Brød grovt") gtin: got "2000000000023"; expected check digit 2 (GS1) as the last digit',
      'products[3] ("") gtin: got 2000000000022; expected an EAN-8, UPC-A or EAN-13 barcode as a string of digits',
      'products[3] ("") name: got ""; expected a product name of 1 to 100 characters',
      'products[3] ("") unitPrice: got 0; expected a whole number of minor units (øre/cents) VAT included, 1 to 65000000',
      'products[3] ("") vatClass: got "luxury"; expected one of "standard", "food", "reduced", "zero"',
      'products[4] ("Uten strekkode") gtin: missing; expected an EAN-8, UPC-A or EAN-13 barcode as a string of digits',
      'products[4] ("Uten strekkode"): unknown field(s) "price"; expected only the documented fields',
    ]);
  });

  it('takes a member price below the shelf price, and refuses one that is not below it', () => {
    const catalog = catalogFromJson(
      { currency: 'NOK', country: 'NO', products: [{ ...milk, memberPrice: 1990 }] },
      'x.json',
    );
    expect(catalog.lookup(milk.gtin)?.memberPrice).toBe(1990);
    expect(
      problemsOf({
        currency: 'NOK',
        country: 'NO',
        products: [
          { ...milk, memberPrice: milk.unitPrice },
          { ...bread, memberPrice: 0.5 },
        ],
      }),
    ).toEqual([
      'products[1] ("Brød grovt") memberPrice: got 0.5; expected a whole number of minor units (øre/cents) VAT included, 1 to 65000000',
    ]);
    expect(
      problemsOf({ currency: 'NOK', country: 'NO', products: [{ ...milk, memberPrice: milk.unitPrice }] }),
    ).toEqual([
      `products[0] ("Melk 1 l") memberPrice: got ${milk.unitPrice}; expected a member price below the unit price ${milk.unitPrice}, or no member price at all`,
    ]);
  });

  it('rejects duplicate GTINs, also when one is written as UPC-A and one as EAN-13', () => {
    const problems = problemsOf({
      currency: 'NOK',
      country: 'NO',
      products: [
        milk,
        { ...bread, gtin: milk.gtin },
        { ...bread, gtin: '036000291452' },
        { ...bread, gtin: '0036000291452' },
      ],
    });
    expect(problems).toEqual([
      'products[1] ("Brød grovt") gtin: got "2000000000015"; expected a barcode used once only; products[0] already has 2000000000015',
      'products[3] ("Brød grovt") gtin: got "0036000291452"; expected a barcode used once only; products[2] already has 0036000291452',
    ]);
  });

  it('rejects a currency that is not the country’s and a VAT class the country does not have', () => {
    expect(problemsOf({ currency: 'NOK', country: 'DK', products: [milk] })).toEqual([
      'currency: got "NOK"; expected "DKK", the currency of DK',
      'products[0] ("Melk 1 l") vatClass: got "food"; expected one of "standard", "zero" (the VAT classes of DK)',
    ]);
  });

  it.each<[string, unknown, string[]]>([
    [
      'not an object',
      [milk],
      [
        'the file: got [{"gtin":"2000000000015","name":"Melk 1 l","unitPrice":2490,"vatClass":"food"}]; expected an object with "currency", "country" and "products"',
      ],
    ],
    [
      'top-level fields missing or wrong',
      { currency: 'SEK', products: [] },
      [
        'currency: got "SEK"; expected one of "NOK", "DKK", "EUR"',
        'country: missing; expected one of "NO", "DK", "FI"',
        'products: got []; expected at least one product',
      ],
    ],
    [
      'a product that is not an object',
      { currency: 'NOK', country: 'NO', products: [milk, 'Melk'] },
      [
        'products[1]: got "Melk"; expected a product: an object with "gtin", "name", "unitPrice" and "vatClass" (and optionally "memberPrice")',
      ],
    ],
    [
      'a long misplaced value, shortened',
      { currency: 'NOK', country: 'NO', products: [{ ...milk, name: 'x'.repeat(101) }] },
      [
        `products[0] ("${'x'.repeat(76)}...) name: got "${'x'.repeat(76)}...; expected a product name of 1 to 100 characters`,
      ],
    ],
    [
      'products not a list',
      { currency: 'NOK', country: 'NO', products: {} },
      ['products: got {}; expected a list of products'],
    ],
    [
      'unknown top-level field',
      { currency: 'NOK', country: 'NO', products: [milk], vat: 25 },
      ['the file: unknown field(s) "vat"; expected only the documented fields'],
    ],
  ])('%s', (_, data, expected) => {
    expect(problemsOf(data)).toEqual(expected);
  });
});

describe('loadCatalogFile', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'vk-catalog-file-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('says the file cannot be read when it is missing', async () => {
    const path = join(directory, 'missing.json');
    await expect(loadCatalogFile(path)).rejects.toThrow(
      `Catalog ${path} cannot be used:\n  - cannot be read: ENOENT`,
    );
  });

  it('says the file is not JSON', async () => {
    const path = join(directory, 'broken.json');
    await writeFile(path, '{ "currency": "NOK", ');
    const failure = loadCatalogFile(path);
    await expect(failure).rejects.toBeInstanceOf(CatalogFileError);
    await expect(failure).rejects.toThrow(/cannot be used:\n {2}- is not valid JSON: /);
  });

  it('names the file in the message of a catalog with problems', async () => {
    const path = join(directory, 'bad.json');
    await writeFile(
      path,
      JSON.stringify({ currency: 'NOK', country: 'NO', products: [{ ...milk, unitPrice: -1 }] }),
    );
    await expect(loadCatalogFile(path)).rejects.toThrow(
      `Catalog ${path} cannot be used:\n  - products[0] ("Melk 1 l") unitPrice: got -1; expected a whole number`,
    );
  });
});
