import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const pageDir = dirname(fileURLToPath(import.meta.url));

/** Bundles the cashier page into `outDir` (default dist/pos): app.js with its source map, and the page. */
export async function buildPosPage({ outDir = join(pageDir, '..', '..', 'dist', 'pos') } = {}) {
  const out = resolve(outDir);
  await mkdir(out, { recursive: true });
  const result = await build({
    entryPoints: [join(pageDir, 'main.ts')],
    outfile: join(out, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    sourcemap: true,
    legalComments: 'linked',
    tsconfig: join(pageDir, '..', '..', 'tsconfig.json'),
    logLevel: 'warning',
  });
  await copyFile(join(pageDir, 'index.html'), join(out, 'index.html'));
  return { outDir: out, warnings: result.warnings };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { outDir } = await buildPosPage();
  console.log(`cashier page built in ${outDir}`);
}
