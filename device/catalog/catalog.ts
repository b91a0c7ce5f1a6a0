import type { Market } from '../checkout/domain/market.js';
import type { Product } from '../checkout/domain/product.js';

/** Products by barcode, all priced in one market's currency and taxed by its VAT rules. */
export interface Catalog {
  readonly market: Market;
  /** `gtin` as `classifyScan` returns it; anything not in the catalog is `undefined`. */
  lookup(gtin: string): Product | undefined;
  all(): readonly Product[];
}

/**
 * A catalog over products already checked by whoever built the list (`loadCatalogFile` for the real
 * kiosk, the test itself for a fake): unique GTINs, valid check digits, prices in range.
 */
export function catalogOf(market: Market, products: readonly Product[]): Catalog {
  const frozen = Object.freeze(products.map((p) => Object.freeze({ ...p })));
  const byGtin = new Map(frozen.map((p) => [p.gtin, p]));
  return {
    market: Object.freeze({ ...market }),
    lookup: (gtin) => byGtin.get(gtin),
    all: () => frozen,
  };
}
