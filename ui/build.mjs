import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const uiDir = dirname(fileURLToPath(import.meta.url));
const STATIC_FILES = ['index.html'];

/**
 * Bundles the kiosk screen into `outDir` (default dist/ui): app.js with its source map, and the page.
 * Everything the screen needs is in those files, so the kiosk works with no network beyond the daemon.
 */
export async function buildUi({ outDir = join(uiDir, '..', 'dist', 'ui') } = {}) {
  const out = resolve(outDir);
  await mkdir(out, { recursive: true });
  const result = await build({
    entryPoints: [join(uiDir, 'main.ts')],
    outfile: join(out, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    sourcemap: true,
    legalComments: 'linked',
    tsconfig: join(uiDir, '..', 'tsconfig.json'),
    logLevel: 'warning',
  });
  await Promise.all(STATIC_FILES.map((file) => copyFile(join(uiDir, file), join(out, file))));
  return { outDir: out, warnings: result.warnings };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { outDir } = await buildUi();
  console.log(`kiosk screen built in ${outDir}`);
}
