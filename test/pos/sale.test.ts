import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPosCatalog, PosCatalogError, posCatalogFrom } from '../../pos/catalog/pos-catalog.js';
import {
  addItem,
  type BasketItem,
  MAX_QUANTITY,
  priceBasket,
  setQuantity,
  vatIncluded,
} from '../../pos/sale/basket.js';
import { msisdnOf } from '../../pos/sale/phone.js';
import { newTransactionId } from '../../pos/sale/transaction-id.js';
import { COFFEE, MILK } from './register-fixtures.js';

const DEMO_CATALOG = join(import.meta.dirname, '..', '..', 'device', 'catalog', 'demo-catalog.json');

describe("the cashier's basket", () => {
  it('adds a scanned ware to its own line, and prices lines, VAT and total in øre', () => {
    const items = [MILK, COFFEE, MILK].reduce<readonly BasketItem[]>(addItem, []);
    const basket = priceBasket(items, false);
    expect(basket.lines.map((l) => [l.name, l.quantity, l.total])).toEqual([
      ['Melk 1 l', 2, 4980],
      ['Kaffe 250 g', 1, 6990],
    ]);
    expect(basket.total).toBe(11_970);
    expect(basket.itemCount).toBe(3);
    // 15 % inside 49,80: excluding VAT 43,30 (rounded half up), VAT the rest.
    expect(basket.lines[0]!.vat).toBe(650);
    expect(basket.vat).toBe(650 + vatIncluded(6990, 1500));
    expect(basket.savings).toBe(0);
  });

  it('gives a member the member price as a discount on the line, and nobody else', () => {
    const items = [COFFEE, COFFEE].reduce<readonly BasketItem[]>(addItem, []);
    expect(priceBasket(items, true).lines[0]).toMatchObject({
      unitPrice: 6990,
      discount: 2000,
      total: 11_980,
    });
    expect(priceBasket(items, true).savings).toBe(2000);
    expect(priceBasket(items, false).total).toBe(13_980);
  });

  it('holds a quantity to 1..99 and takes the line away at 0', () => {
    const items = addItem([], MILK);
    expect(setQuantity(items, MILK.gtin, 1000)[0]!.quantity).toBe(MAX_QUANTITY);
    expect(setQuantity(items, MILK.gtin, 0)).toEqual([]);
    expect(setQuantity(items, MILK.gtin, 2.5)).toEqual([]);
  });

  it('splits VAT so that the amount excluding VAT and the VAT add up to the total', () => {
    for (const [total, rate] of [
      [1, 2500],
      [13_560, 1500],
      [99_999, 2550],
      [500, 0],
    ] as const) {
      const vat = vatIncluded(total, rate);
      expect(vat).toBeGreaterThanOrEqual(0);
      expect(Math.abs((total - vat) * (10_000 + rate) - total * 10_000)).toBeLessThanOrEqual(
        (10_000 + rate) / 2,
      );
    }
  });
});

describe('transaction ids', () => {
  it('are 26 characters of Crockford base 32, sorting by time', () => {
    const random = new Uint8Array(10).fill(255);
    const early = newTransactionId(1_700_000_000_000, random);
    const late = newTransactionId(1_700_000_000_001, new Uint8Array(10));
    expect(early).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(early < late).toBe(true);
    expect(early.slice(10)).toBe('ZZZZZZZZZZZZZZZZ');
    expect(newTransactionId(0, new Uint8Array(10))).toBe('0'.repeat(26));
    expect(newTransactionId()).not.toBe(newTransactionId());
  });
});

describe("the customer's number as the cashier types it", () => {
  it('becomes the MSISDN the terminal takes, in the store’s own country unless it says another', () => {
    expect(msisdnOf('912 34 567', 'NOK')).toBe('4791234567');
    expect(msisdnOf('+47 912 34 567', 'NOK')).toBe('4791234567');
    expect(msisdnOf('4791234567', 'NOK')).toBe('4791234567');
    expect(msisdnOf('0045 20 12 34 56', 'NOK')).toBe('4520123456');
    expect(msisdnOf('040 123 4567', 'EUR')).toBe('358401234567');
    for (const wrong of ['12345678', '9123', 'nine one two', '+47 912 34 567 8'])
      expect(msisdnOf(wrong, 'NOK')).toBeUndefined();
  });
});

describe("the cashier's price list", () => {
  it("reads the kiosk's catalog file: prices, member prices and each VAT class's rate", async () => {
    const catalog = await loadPosCatalog(DEMO_CATALOG);
    expect(catalog.currency).toBe('NOK');
    expect(catalog.lookup('2000000000039')).toEqual({ ...COFFEE });
    expect(catalog.lookup('2000000000992')).toBeUndefined();
  });

  it('finds a UPC-A ware however it is written, and names what is wrong with a bad file', async () => {
    const upc = { gtin: '036000291452', name: 'Import', unitPrice: 1000, vatClass: 'standard' };
    const catalog = posCatalogFrom({ country: 'NO', currency: 'NOK', products: [upc] }, 'test');
    expect(catalog.lookup('0036000291452')?.vatRate).toBe(2500);
    expect(catalog.lookup('036000291452')?.name).toBe('Import');
    expect(() =>
      posCatalogFrom({ country: 'DK', currency: 'DKK', products: [{ ...upc, vatClass: 'food' }] }, 'x'),
    ).toThrow(/Import has VAT class "food", which DK does not have/);
    expect(() => posCatalogFrom({ country: 'NO', currency: 'EUR', products: [upc] }, 'x')).toThrow(
      PosCatalogError,
    );
    const dir = await mkdtemp(join(tmpdir(), 'pos-catalog-'));
    await writeFile(join(dir, 'broken.json'), '{"country":');
    await expect(loadPosCatalog(join(dir, 'broken.json'))).rejects.toThrow(/cannot be read as JSON/);
  });
});
