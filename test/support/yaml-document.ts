import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

// A contract document (contracts/terminal-api.yaml, contracts/asyncapi.yaml) as the tests read it: parsed
// and with every $ref replaced by what it points to, so a checker can hand a schema straight to ajv.

export type Json = Record<string, unknown>;

/** The value at a local `$ref` (`#/components/schemas/Status`), with `~1` and `~0` unescaped. */
function pointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are used in the document: ${ref}`);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node))
      throw new Error(`$ref ${ref} does not resolve`);
    node = (node as Json)[key];
  }
  return node;
}

/** A copy of `node` with every `$ref` resolved against `doc`; a cycle throws instead of recursing forever. */
function deref(doc: unknown, node: unknown, depth = 0): unknown {
  if (depth > 40) throw new Error('$ref cycle in the document');
  if (Array.isArray(node)) return node.map((item) => deref(doc, item, depth + 1));
  if (node === null || typeof node !== 'object') return node;
  const object = node as Json;
  if (typeof object.$ref === 'string') return deref(doc, pointer(doc, object.$ref), depth + 1);
  return Object.fromEntries(
    Object.entries(object).map(([key, value]) => [key, deref(doc, value, depth + 1)]),
  );
}

/** The YAML document at `url` with every local `$ref` resolved; throws on a dangling ref or a cycle. */
export function readResolvedDocument(url: URL): unknown {
  const doc = parse(readFileSync(url, 'utf8')) as unknown;
  return deref(doc, doc);
}
