import type { Message } from 'esbuild';

export interface BuildUiOptions {
  /** Where app.js, its source map and the static files go; dist/ui (dist/hq, dist/pos) when left out. */
  outDir?: string;
}

export function buildUi(options?: BuildUiOptions): Promise<{ outDir: string; warnings: Message[] }>;
export function buildHq(options?: BuildUiOptions): Promise<{ outDir: string; warnings: Message[] }>;
export function buildPos(options?: BuildUiOptions): Promise<{ outDir: string; warnings: Message[] }>;
