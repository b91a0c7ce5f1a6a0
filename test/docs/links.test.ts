import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The README is a front door to docs/ and to the READMEs beside the code: every relative link in them
// must lead to a file that exists, and every #anchor to a heading of that file, so moving a file or
// renaming a heading cannot leave a reader at a dead end.

const ROOT = normalize(join(import.meta.dirname, '../..'));
const SKIP = new Set(['node_modules', 'dist', 'test-artifacts']);

function markdownFiles(dir = ''): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name.startsWith('.') || SKIP.has(entry.name) ? [] : markdownFiles(path);
    return entry.isFile() && entry.name.endsWith('.md') ? [path] : [];
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(text: string): Set<string> {
  const headings = withoutCode(text).matchAll(/^#{1,6}\s+(.+)$/gm);
  return new Set([...headings].map((match) => slug(match[1]!)));
}

/** Fenced blocks and inline code can hold `[x](y)` that is not a link. */
function withoutCode(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Each relative link of `file` (a path from the root) that leads nowhere, as `file: target`. */
function brokenLinks(file: string, text: string, read: (path: string) => string | undefined): string[] {
  const broken: string[] = [];
  for (const match of withoutCode(text).matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1]!;
    if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:, file:
    const [path, anchor] = target.split('#') as [string, string | undefined];
    const resolved = path === '' ? file : normalize(join(dirname(file), path));
    const content = read(resolved);
    if (content === undefined) broken.push(`${file}: ${target} (no such file)`);
    else if (anchor && resolved.endsWith('.md') && !anchorsOf(content).has(anchor))
      broken.push(`${file}: ${target} (no such heading)`);
  }
  return broken;
}

function readFromTree(path: string): string | undefined {
  const full = join(ROOT, path);
  if (relative(ROOT, full).startsWith('..') || !existsSync(full)) return undefined;
  return statSync(full).isDirectory() ? '' : readFileSync(full, 'utf8');
}

describe('the documentation links', () => {
  const files = markdownFiles();

  it('finds the README, docs/ and the READMEs beside the code', () => {
    for (const expected of ['README.md', 'docs/developer.md', 'sandbox/README.md', 'device/club/README.md'])
      expect(files).toContain(expected);
  });

  it('lead to files and headings that exist', () => {
    const broken = files.flatMap((file) =>
      brokenLinks(file, readFileSync(join(ROOT, file), 'utf8'), readFromTree),
    );
    expect(broken).toEqual([]);
  });

  it('would notice a missing file, a missing heading, and let code and web links be', () => {
    const pages: Record<string, string> = {
      'docs/a.md': '# A page\n## Webhooks: HQ’s relay\n',
      'README.md': '',
    };
    const text = [
      '[ok](docs/a.md#webhooks-hqs-relay) [gone](docs/b.md) [typo](docs/a.md#webhook)',
      '[web](https://example.com/x) `[code](nowhere.md)`',
      '```\n[fenced](nowhere.md)\n```',
    ].join('\n');
    expect(brokenLinks('README.md', text, (path) => pages[path])).toEqual([
      'README.md: docs/b.md (no such file)',
      'README.md: docs/a.md#webhook (no such heading)',
    ]);
  });
});
