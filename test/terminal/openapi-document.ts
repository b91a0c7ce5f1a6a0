import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { expect } from 'vitest';
import { parse } from 'yaml';

// contracts/terminal-api.yaml as the tests read it: every $ref resolved, and a check that a real answer
// of the running terminal is what the document says that operation answers with that status.

type Json = Record<string, unknown>;

const doc = parse(
  readFileSync(new URL('../../contracts/terminal-api.yaml', import.meta.url), 'utf8'),
) as Json;

function pointer(ref: string): unknown {
  let node: unknown = doc;
  for (const key of ref.slice(2).split('/')) {
    if (node === null || typeof node !== 'object' || !(key in node))
      throw new Error(`$ref ${ref} does not resolve`);
    node = (node as Json)[key];
  }
  return node;
}

function deref(node: unknown, depth = 0): unknown {
  if (depth > 40) throw new Error('$ref cycle in the document');
  if (Array.isArray(node)) return node.map((item) => deref(item, depth + 1));
  if (node === null || typeof node !== 'object') return node;
  const object = node as Json;
  if (typeof object.$ref === 'string') return deref(pointer(object.$ref), depth + 1);
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, deref(value, depth + 1)]));
}

const resolved = deref(doc) as { paths: Record<string, Record<string, { responses: Record<string, Json> }>> };
// The document's `format`s are for readers; what is checked is shape, types and enums.
const ajv = new Ajv({ strict: false, validateFormats: false });

/**
 * Fails unless `body` is what `METHOD path` answers with `status` by the document, and under the content
 * type it names (application/json, or application/problem+json for refusals).
 */
export function expectDocumented(
  operation: string,
  answer: { status: number; contentType: string | null; body: unknown },
): void {
  const [method, path] = operation.split(' ') as [string, string];
  const responses = resolved.paths[path]?.[method.toLowerCase()]?.responses;
  expect(responses, `${operation} is in the document`).toBeDefined();
  const response = responses![String(answer.status)] as { content?: Record<string, { schema: Json }> };
  expect(response, `${operation} documents status ${answer.status}`).toBeDefined();
  const type = (answer.contentType ?? '').split(';')[0]!.trim();
  const content = response.content?.[type];
  expect(content, `${operation} ${answer.status} documents ${type}`).toBeDefined();
  const validate = ajv.compile(content!.schema);
  expect(validate(answer.body), JSON.stringify(validate.errors)).toBe(true);
}

/** Every operation of the document, as `METHOD path`. */
export function documentedOperations(): string[] {
  return Object.entries(resolved.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
  );
}
