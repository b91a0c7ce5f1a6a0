import type { Message } from 'esbuild';

export interface BuildUiOptions {
  /** Where app.js, its source map and index.html go; dist/ui when left out. */
  outDir?: string;
}

export function buildUi(options?: BuildUiOptions): Promise<{ outDir: string; warnings: Message[] }>;
