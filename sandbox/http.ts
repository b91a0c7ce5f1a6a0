// HTTP plumbing shared by every route: what a handler answers (a Reply), reading the request, writing it out.

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export interface Reply {
  readonly status: number;
  /** Serialized as JSON unless it is already a string (the phone page) or bytes (a QR picture). */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface SandboxRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
}

/** Thrown to answer with a reply that is already complete (gateway errors with their own body shape). */
export class ReplyError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

export const JSON_TYPE = 'application/json; charset=utf-8';

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, body, contentType: JSON_TYPE, headers };
}

/** One header as a single string; Node joins repeated custom headers with ", ". */
export function header(request: SandboxRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A malformed %-escape is left as it is, for the route's own checks to refuse. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new ReplyError(json(413, { error: 'request body larger than 1 MiB' }));
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export type JsonBody =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'invalid'; reason: string };

/** Parses the body as JSON when it is declared as JSON; the caller decides which outcomes it accepts. */
export function parseJsonBody(request: SandboxRequest): JsonBody {
  if (request.rawBody.length === 0) return { kind: 'empty' };
  const mediaType = (header(request, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return { kind: 'invalid', reason: 'Content-Type must be application/json' };
  }
  try {
    return { kind: 'json', value: JSON.parse(request.rawBody.toString('utf8')) };
  } catch {
    return { kind: 'invalid', reason: 'the body is not valid JSON' };
  }
}

export function send(response: ServerResponse, reply: Reply): void {
  const payload =
    reply.body === undefined
      ? ''
      : typeof reply.body === 'string' || Buffer.isBuffer(reply.body)
        ? reply.body
        : JSON.stringify(reply.body);
  const headers: Record<string, string | number> = {
    ...reply.headers,
    'content-length': Buffer.byteLength(payload),
  };
  if (payload.length > 0) headers['content-type'] = reply.contentType ?? JSON_TYPE;
  response.writeHead(reply.status, headers);
  response.end(payload);
}
