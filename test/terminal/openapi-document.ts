import { Ajv } from 'ajv';
import { expect } from 'vitest';
import { type Json, readResolvedDocument } from '../support/yaml-document.js';

// contracts/terminal-api.yaml as the tests read it: every $ref resolved, and a check that a real answer
// of the running terminal is what the document says that operation answers with that status.

const resolved = readResolvedDocument(new URL('../../contracts/terminal-api.yaml', import.meta.url)) as {
  paths: Record<string, Record<string, { responses: Record<string, Json> }>>;
};
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
