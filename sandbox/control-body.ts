// What every control route shares: `{ error }` refusals and reading an optional JSON body through a shape.

import { json, parseJsonBody, ReplyError, type SandboxRequest } from './http.js';
import type { Issue, Shape } from './json-shape.js';

export function refuse(status: number, error: string, issues?: readonly Issue[]): ReplyError {
  return new ReplyError(json(status, issues === undefined ? { error } : { error, issues }));
}

/** An empty body reads as `{}`, so `curl -X POST .../open` needs no `-d`. */
export function readControlBody<T>(request: SandboxRequest, shape: Shape<T>): T {
  const body = parseJsonBody(request);
  if (body.kind === 'invalid') throw refuse(400, body.reason);
  const issues: Issue[] = [];
  const value = shape.read(body.kind === 'json' ? body.value : {}, '', issues);
  if (value === undefined) throw refuse(400, 'invalid request body', issues);
  return value;
}

export const iso = (ms: number) => new Date(ms).toISOString();
