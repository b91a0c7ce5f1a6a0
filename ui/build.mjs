import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const uiDir = dirname(fileURLToPath(import.meta.url));
const rootDir = join(uiDir, '..');
const require = createRequire(import.meta.url);

/**
 * Bundles one browser page: `entry` into `out`/app.js with its source map, and the static files
 * (`[source path, name in out]`) beside it. Everything the page needs is in those files, so it works
 * with no network beyond its own server.
 */
async function bundlePage(entry, out, staticFiles) {
  await mkdir(out, { recursive: true });
  const result = await build({
    entryPoints: [entry],
    outfile: join(out, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    sourcemap: true,
    legalComments: 'linked',
    tsconfig: join(rootDir, 'tsconfig.json'),
    logLevel: 'warning',
  });
  await Promise.all(staticFiles.map(([from, name]) => copyFile(from, join(out, name))));
  return { outDir: out, warnings: result.warnings };
}

/** The kiosk screen into `outDir` (default dist/ui). */
export function buildUi({ outDir = join(rootDir, 'dist', 'ui') } = {}) {
  return bundlePage(join(uiDir, 'main.ts'), resolve(outDir), [[join(uiDir, 'index.html'), 'index.html']]);
}

/** HQ's page (hq/page) into `outDir` (default dist/hq), with uPlot's stylesheet. */
export function buildHq({ outDir = join(rootDir, 'dist', 'hq') } = {}) {
  const pageDir = join(rootDir, 'hq', 'page');
  return bundlePage(join(pageDir, 'main.ts'), resolve(outDir), [
    [join(pageDir, 'index.html'), 'index.html'],
    [join(pageDir, 'styles.css'), 'styles.css'],
    [require.resolve('uplot/dist/uPlot.min.css'), 'uPlot.min.css'],
  ]);
}

/** The reference cashier screen of attended mode (pos/page) into `outDir` (default dist/pos). */
export function buildPos({ outDir = join(rootDir, 'dist', 'pos') } = {}) {
  const pageDir = join(rootDir, 'pos', 'page');
  return bundlePage(join(pageDir, 'main.ts'), resolve(outDir), [[join(pageDir, 'index.html'), 'index.html']]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [ui, hq, pos] = await Promise.all([buildUi(), buildHq(), buildPos()]);
  console.log(`kiosk screen built in ${ui.outDir}, HQ page in ${hq.outDir}, cashier page in ${pos.outDir}`);
}
