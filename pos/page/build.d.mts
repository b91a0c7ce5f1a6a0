import type { Message } from 'esbuild';

export interface BuildPosPageOptions {
  /** Where app.js, its source map and index.html go; dist/pos when left out. */
  outDir?: string;
}

export function buildPosPage(options?: BuildPosPageOptions): Promise<{ outDir: string; warnings: Message[] }>;
