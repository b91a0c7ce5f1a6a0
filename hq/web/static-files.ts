import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { SECURITY_HEADERS } from './http-io.js';

// The page's built files (dist/hq, made by ui/build.mjs), by their exact names: nothing else in the
// folder, and no path from the request ever reaches the file system.

const TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.js.map': 'application/json; charset=utf-8',
  'styles.css': 'text/css; charset=utf-8',
  'uPlot.min.css': 'text/css; charset=utf-8',
};

export function isPageFile(name: string): boolean {
  return Object.hasOwn(TYPES, name);
}

export async function sendPageFile(res: ServerResponse, dir: string, name: string): Promise<void> {
  let body: Buffer;
  try {
    body = await readFile(join(dir, name));
  } catch {
    res.writeHead(503, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
    res.end(`the HQ page is not built (${name} missing in ${dir}): run npm run build`);
    return;
  }
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': TYPES[name] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
  });
  res.end(body);
}
