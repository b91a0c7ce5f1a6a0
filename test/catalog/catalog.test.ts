import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { catalogOf } from '../../device/catalog/catalog.js';
import { loadCatalogFile } from '../../device/catalog/catalog-file.js';
import { catalogContract } from './catalog-contract.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'vk-catalog-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

catalogContract('in memory', async (market, products) => catalogOf(market, products));

catalogContract('JSON file', async (market, products) => {
  const path = join(directory, `catalog-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify({ ...market, products }));
  return loadCatalogFile(path);
});
