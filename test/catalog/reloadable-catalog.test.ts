import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogFileError, loadCatalogFile } from '../../device/catalog/catalog-file.js';
import { CatalogMarketChangedError, ReloadableCatalog } from '../../device/catalog/reloadable-catalog.js';

const DEMO = new URL('../../device/catalog/demo-catalog.json', import.meta.url).pathname;

describe('reloadable catalog', () => {
  async function fixture() {
    const path = join(await mkdtemp(join(tmpdir(), 'vk-catalog-')), 'catalog.json');
    await copyFile(DEMO, path);
    const catalog = new ReloadableCatalog(path, await loadCatalogFile(path));
    const demo = JSON.parse(await readFile(DEMO, 'utf8')) as {
      currency: string;
      country: string;
      products: unknown[];
    };
    return { path, catalog, demo };
  }

  it('takes a changed file on reload', async () => {
    const { path, catalog, demo } = await fixture();
    await writeFile(path, JSON.stringify({ ...demo, products: demo.products.slice(0, 3) }));
    expect(await catalog.reload()).toEqual({ products: 3 });
    expect(catalog.all()).toHaveLength(3);
    expect(catalog.lookup('2000000000213')).toBeUndefined();
  });

  it('keeps the old catalog when the new file is broken', async () => {
    const { path, catalog } = await fixture();
    await writeFile(path, '{ "currency": "NOK", ');
    await expect(catalog.reload()).rejects.toBeInstanceOf(CatalogFileError);
    expect(catalog.all()).toHaveLength(21);
  });

  it('refuses a file for another market', async () => {
    const { path, catalog, demo } = await fixture();
    const [first] = demo.products as Array<Record<string, unknown>>;
    const danish = { currency: 'DKK', country: 'DK', products: [{ ...first, vatClass: 'standard' }] };
    await writeFile(path, JSON.stringify(danish));
    await expect(catalog.reload()).rejects.toBeInstanceOf(CatalogMarketChangedError);
    expect(catalog.market).toEqual({ country: 'NO', currency: 'NOK' });
  });
});
