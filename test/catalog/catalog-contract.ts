import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../device/catalog/catalog.js';
import type { Market } from '../../device/checkout/domain/market.js';
import type { Product } from '../../device/checkout/domain/product.js';

/** Builds a catalog holding exactly these products, the way a given adapter would. */
export type MakeCatalog = (market: Market, products: readonly Product[]) => Promise<Catalog>;

const market: Market = { country: 'NO', currency: 'NOK' };
const products: readonly Product[] = [
  { gtin: '2000000000015', name: 'Melk 1 l', unitPrice: 2490, vatClass: 'food' },
  { gtin: '96385074', name: 'Tannkrem 75 ml', unitPrice: 3990, vatClass: 'standard' },
  { gtin: '0036000291452', name: 'Dagens avis', unitPrice: 4500, vatClass: 'zero' },
];

/** What every Catalog adapter promises the checkout. */
export function catalogContract(adapter: string, make: MakeCatalog): void {
  describe(`Catalog contract: ${adapter}`, () => {
    it('finds a product by its GTIN', async () => {
      const catalog = await make(market, products);
      expect(catalog.lookup('2000000000015')).toEqual(products[0]);
      expect(catalog.lookup('96385074')).toEqual(products[1]);
    });

    it('finds a UPC-A product by the EAN-13 form a scan gives', async () => {
      expect((await make(market, products)).lookup('0036000291452')?.name).toBe('Dagens avis');
    });

    it('answers undefined for an unknown GTIN', async () => {
      const catalog = await make(market, products);
      expect(catalog.lookup('4006381333931')).toBeUndefined();
      expect(catalog.lookup('')).toBeUndefined();
      expect(catalog.lookup('__proto__')).toBeUndefined();
    });

    it('lists every product in order', async () => {
      expect((await make(market, products)).all()).toEqual(products);
    });

    it('knows its market', async () => {
      expect((await make(market, products)).market).toEqual(market);
    });

    it('cannot be changed through what it hands out', async () => {
      const catalog = await make(market, products);
      const all = catalog.all() as Product[];
      expect(() => all.push(products[0]!)).toThrow(TypeError);
      expect(() => {
        (catalog.lookup('2000000000015') as { unitPrice: number }).unitPrice = 1;
      }).toThrow(TypeError);
      expect(catalog.lookup('2000000000015')?.unitPrice).toBe(2490);
    });
  });
}
