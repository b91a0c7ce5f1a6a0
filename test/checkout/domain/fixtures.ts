import type { Product } from '../../../device/checkout/domain/product.js';

// Shapes of the demo catalog's products, kept here so a change to the demo file cannot move these figures.
export const milk: Product = { gtin: '2000000000015', name: 'Melk 1 l', unitPrice: 2490, vatClass: 'food' };
export const bread: Product = {
  gtin: '2000000000022',
  name: 'Brød grovt',
  unitPrice: 4290,
  vatClass: 'food',
};
export const batteries: Product = {
  gtin: '2000000000183',
  name: 'Batterier AA 4 pk',
  unitPrice: 7990,
  vatClass: 'standard',
};
export const newspaper: Product = {
  gtin: '2000000000169',
  name: 'Dagens avis',
  unitPrice: 4500,
  vatClass: 'zero',
};

/** A product with a made-up GTIN, for tests that need many different lines. */
export function product(n: number, unitPrice: number, vatClass: Product['vatClass'] = 'standard'): Product {
  return { gtin: `test-${n}`, name: `Vare ${n}`, unitPrice, vatClass };
}
