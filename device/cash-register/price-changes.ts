import type { Product } from '../checkout/domain/product.js';
import type { JournalRow } from './journal-store.js';

// Price changes (kassasystemforskrifta § 2-7 (3)): the journal holds every price in force as a chain of
// changes, starting from nothing, so the first start journals the whole catalog and each later start or
// catalog reload journals only what differs from the prices the journal last knew.

export interface PriceTerms {
  name: string;
  unitPrice: number;
  memberPrice: number | null;
  vatClass: string;
}

export interface PriceChange {
  gtin: string;
  before: PriceTerms | null;
  after: PriceTerms | null;
}

const termsOf = (p: Product): PriceTerms => ({
  name: p.name,
  unitPrice: p.unitPrice,
  memberPrice: p.memberPrice ?? null,
  vatClass: p.vatClass,
});

/** The prices the journal knows, by GTIN, from its `price.change` rows in order. */
export function journaledPrices(rows: Iterable<JournalRow>): Map<string, PriceTerms> {
  const prices = new Map<string, PriceTerms>();
  for (const row of rows) {
    if (row.kind !== 'price.change') continue;
    for (const change of (JSON.parse(row.data) as { changes: PriceChange[] }).changes) {
      if (change.after) prices.set(change.gtin, change.after);
      else prices.delete(change.gtin);
    }
  }
  return prices;
}

/** What differs between the journaled prices and the catalog: new, changed and removed products. */
export function priceChanges(
  known: ReadonlyMap<string, PriceTerms>,
  products: readonly Product[],
): PriceChange[] {
  const changes: PriceChange[] = [];
  const seen = new Set<string>();
  for (const product of products) {
    seen.add(product.gtin);
    const before = known.get(product.gtin) ?? null;
    const after = termsOf(product);
    if (before === null || !sameTerms(before, after)) {
      changes.push({ gtin: product.gtin, before, after });
    }
  }
  for (const [gtin, before] of known) if (!seen.has(gtin)) changes.push({ gtin, before, after: null });
  return changes;
}

function sameTerms(a: PriceTerms, b: PriceTerms): boolean {
  return (
    a.name === b.name &&
    a.unitPrice === b.unitPrice &&
    a.memberPrice === b.memberPrice &&
    a.vatClass === b.vatClass
  );
}
