import type { Product } from '../checkout/domain/product.js';
import type { Catalog } from './catalog.js';
import { loadCatalogFile } from './catalog-file.js';

/** A reload that would switch the kiosk to another market: refused, the old catalog stays. */
export class CatalogMarketChangedError extends Error {
  override readonly name = 'CatalogMarketChangedError';
}

/**
 * The catalog file, reloadable while the kiosk runs (HQ's `reload-catalog`). A file that does not load
 * or that prices another market leaves the current catalog in place; scans never see a half-read file.
 */
export class ReloadableCatalog implements Catalog {
  private current: Catalog;
  private readonly path: string;
  private readonly reloadListeners = new Set<(products: readonly Product[]) => void>();

  constructor(path: string, loaded: Catalog) {
    this.path = path;
    this.current = loaded;
  }

  get market(): Catalog['market'] {
    return this.current.market;
  }

  lookup(gtin: string): Product | undefined {
    return this.current.lookup(gtin);
  }

  all(): readonly Product[] {
    return this.current.all();
  }

  /** Hears every reload that took effect, with the products now in force. */
  onReload(listener: (products: readonly Product[]) => void): () => void {
    this.reloadListeners.add(listener);
    return () => this.reloadListeners.delete(listener);
  }

  async reload(): Promise<{ products: number }> {
    const next = await loadCatalogFile(this.path);
    const { country, currency } = this.current.market;
    if (next.market.country !== country || next.market.currency !== currency) {
      throw new CatalogMarketChangedError(
        `${this.path} now prices ${next.market.currency} for ${next.market.country}; the kiosk sells in ${currency} for ${country}`,
      );
    }
    this.current = next;
    // The cash-register journal records what changed (price changes are journaled by law in Norway).
    for (const listener of this.reloadListeners) listener(next.all());
    return { products: next.all().length };
  }
}
