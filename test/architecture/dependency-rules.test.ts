import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The floor plan of the house (README, "How it fits together"), enforced: each top-level folder may import
// only the folders listed for it, and no two folders anywhere in the tree import each other, directly or
// round a longer loop. A new import that breaks either rule fails here, with the file and the line.

const ROOT = normalize(join(import.meta.dirname, '../..'));

/** Who may import whom. A folder may always import itself. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  contracts: [],
  common: ['contracts'],
  device: ['contracts', 'common'],
  ui: ['contracts'],
  hq: ['contracts', 'common'],
  sandbox: ['contracts', 'common'],
  // A store's POS side of attended mode: the terminal API's typed client and the cashier screen.
  pos: ['contracts', 'common'],
  // Provisioning runs on the kiosk: it checks the kiosk's own configuration, hardware and links.
  provisioning: ['contracts', 'common', 'device'],
  // The demo runs the kiosk, the sandbox, the embedded broker and HQ's webhook relay in one process,
  // and in attended mode the cashier screen beside them.
  demo: ['contracts', 'common', 'device', 'hq', 'sandbox', 'pos'],
  // The one binary's entry: command names mapped to the programs' commands.
  cli: ['contracts', 'common', 'device', 'hq', 'provisioning', 'sandbox', 'demo', 'pos'],
};

interface Import {
  from: string;
  to: string;
  line: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mts|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found: Import[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const to = normalize(join(dirname(file), match[1]!));
    const line = text.slice(0, match.index).split('\n').length;
    found.push({ from: file, to, line });
  }
  return found;
}

const imports = Object.keys(ALLOWED).flatMap(sourceFiles).flatMap(importsOf);
const topOf = (path: string) => path.split('/')[0]!;

describe('the dependency rules', () => {
  it('finds the tree it checks', () => {
    expect(imports.length).toBeGreaterThan(500);
    for (const top of Object.keys(ALLOWED)) expect(sourceFiles(top).length).toBeGreaterThan(0);
  });

  it('lets each folder import only the floors below it', () => {
    const broken = imports
      .filter(({ from, to }) => topOf(from) !== topOf(to) && !ALLOWED[topOf(from)]!.includes(topOf(to)))
      .map(({ from, to, line }) => `${from}:${line} imports ${to}`);
    expect(broken).toEqual([]);
  });

  it('has no import loop between folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const { from, to } of imports) {
      const [a, b] = [dirname(from), dirname(to)];
      if (a === b) continue;
      if (!edges.has(a)) edges.set(a, new Set());
      edges.get(a)!.add(b);
    }
    expect(loops(edges)).toEqual([]);
  });

  it('would notice a loop', () => {
    const edges = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(loops(edges)).toEqual([['a', 'b', 'c']]);
  });
});

/** Strongly connected components of more than one folder (Tarjan), each sorted. */
function loops(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return found;
}
