import {
  Agent,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

// A loopback proxy in front of the sandbox that passes every request on and, for the requests a test
// names, garbles the answer on the way back. The request always reaches the sandbox first, so for a
// capture or a create the operation really happened: only the kiosk's view of the answer is broken.

export const GARBLES = [
  'invalid-json',
  'wrong-types',
  'html-502',
  'truncated',
  'missing-fields',
  'empty-object',
  'empty-body',
] as const;
export type Garble = (typeof GARBLES)[number];

/** The garbles the client retries itself (a 5xx, a broken connection) before the machine sees them. */
export const RETRIED_GARBLES: readonly Garble[] = ['html-502', 'truncated'];

export const HTML_502 =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>' +
  '<p>The upstream server returned an invalid response.</p><hr><address>nginx</address></body></html>';

/** What the sandbox answered, as the client would have received it. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The garbled answer, or `truncate`: send the head and part of the body, then drop the connection. */
export type Garbled = Answer | { truncate: Answer; declaredLength: number; sentBytes: number };

/** Turns a real answer into the garbled one. Bodies keep their shape otherwise, so only the garble differs. */
export function garble(kind: Garble, real: Answer): Garbled {
  const json = { 'content-type': 'application/json' };
  const parsed = (): Record<string, unknown> => {
    try {
      const value: unknown = JSON.parse(real.body);
      return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const ok = real.status >= 200 && real.status < 300 ? real.status : 200;
  switch (kind) {
    case 'invalid-json':
      return {
        status: ok,
        headers: json,
        body: real.body.slice(0, Math.max(2, Math.floor(real.body.length / 2))),
      };
    case 'wrong-types': {
      const body = parsed();
      if ('state' in body) body['state'] = 42;
      if ('reference' in body && !('state' in body)) body['reference'] = 42;
      const amount = body['amount'] as { value?: unknown } | undefined;
      if (amount && typeof amount === 'object') body['amount'] = String(amount.value);
      const aggregate = body['aggregate'] as Record<string, { value: unknown }> | undefined;
      if (aggregate && typeof aggregate === 'object') {
        for (const key of Object.keys(aggregate))
          aggregate[key] = { ...aggregate[key]!, value: String(aggregate[key]!.value) };
      }
      return { status: ok, headers: json, body: JSON.stringify(body) };
    }
    case 'html-502':
      return { status: 502, headers: { 'content-type': 'text/html; charset=utf-8' }, body: HTML_502 };
    case 'truncated': {
      const body = real.body.length > 0 ? real.body : '{"state":"AUTHORIZED"}';
      const sentBytes = Math.max(1, Math.floor(Buffer.byteLength(body) / 2));
      return {
        truncate: { status: ok, headers: json, body },
        declaredLength: Buffer.byteLength(body) + 64,
        sentBytes,
      };
    }
    case 'missing-fields': {
      const body = parsed();
      delete body['state'];
      delete body['aggregate'];
      if (!('amount' in body)) delete body['reference'];
      return { status: ok, headers: json, body: JSON.stringify(body) };
    }
    case 'empty-object':
      return { status: ok, headers: json, body: '{}' };
    case 'empty-body':
      return { status: ok, headers: {}, body: '' };
  }
}

/** Writes a garbled answer; a truncated one declares more than it sends and then drops the socket. */
export function writeGarbled(incoming: IncomingMessage, response: ServerResponse, garbled: Garbled): void {
  if ('truncate' in garbled) {
    const { truncate, declaredLength, sentBytes } = garbled;
    const head =
      `HTTP/1.1 ${truncate.status} OK\r\n` +
      Object.entries({ ...truncate.headers, 'content-length': String(declaredLength) })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('') +
      '\r\n';
    const socket = incoming.socket;
    socket.write(Buffer.concat([Buffer.from(head), Buffer.from(truncate.body).subarray(0, sentBytes)]));
    socket.end();
    setTimeout(() => socket.destroy(), 10);
    return;
  }
  response.writeHead(garbled.status, {
    ...garbled.headers,
    'content-length': Buffer.byteLength(garbled.body),
  });
  response.end(garbled.body);
}

export interface CorruptRule {
  method: 'GET' | 'POST';
  /** Matches the request path. */
  path: RegExp;
  garble: Garble;
  /** How many matching answers to garble. */
  count: number;
  /** Let this many matching answers through untouched first. */
  skip?: number;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

export class CorruptingProxy {
  /** `<METHOD> <path> -> <garble>` for every answer garbled, in order. */
  readonly garbled: string[] = [];
  private rules: Array<CorruptRule & { left: number; toSkip: number }> = [];
  private holds: Array<{ method: string; path: RegExp; left: number }> = [];
  private held: Array<() => Promise<void>> = [];
  private server: Server | undefined;
  private readonly agent = new Agent({ keepAlive: true });
  private readonly targetUrl: URL;

  constructor(target: string) {
    this.targetUrl = new URL(target);
  }

  corrupt(rule: CorruptRule): this {
    this.rules.push({ ...rule, left: rule.count, toSkip: rule.skip ?? 0 });
    return this;
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * Holds the next `count` matching requests: the client hears nothing (its timeout ends the call),
   * while the request itself stays "inside Vipps" until `releaseHeld`, which lets Vipps process it late.
   */
  hold(rule: { method: 'GET' | 'POST'; path: RegExp; count: number }): this {
    this.holds.push({ ...rule, left: rule.count });
    return this;
  }

  heldCount(): number {
    return this.held.length;
  }

  /** Vipps gets round to the held requests now; their answers go nowhere, as the client gave up on them. */
  async releaseHeld(): Promise<void> {
    for (const process of this.held.splice(0)) await process();
  }

  async start(): Promise<string> {
    this.server = createServer((incoming, response) => {
      this.handle(incoming, response).catch((error: unknown) => {
        if (!response.headersSent) {
          response.writeHead(599, { 'content-type': 'text/plain' });
          response.end(`proxy failure: ${String(error)}`);
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const requestPath = (incoming.url ?? '/').split('?')[0]!;
    const hold = this.holds.find(
      (h) => h.left > 0 && h.method === incoming.method && h.path.test(requestPath),
    );
    if (hold) {
      hold.left--;
      const { method = 'GET', url = '/', headers } = incoming;
      this.held.push(async () => {
        await this.forward(method, url, headers, body);
      });
      return;
    }
    const real = await this.forward(incoming.method ?? 'GET', incoming.url ?? '/', incoming.headers, body);
    const path = (incoming.url ?? '/').split('?')[0]!;
    let rule = this.rules.find((r) => r.left > 0 && r.method === incoming.method && r.path.test(path));
    if (rule && rule.toSkip > 0) {
      rule.toSkip--;
      rule = undefined;
    }
    if (!rule) {
      response.writeHead(real.status, { ...real.headers, 'content-length': Buffer.byteLength(real.body) });
      response.end(real.body);
      return;
    }
    rule.left--;
    this.garbled.push(`${incoming.method} ${path} -> ${rule.garble}`);
    writeGarbled(incoming, response, garble(rule.garble, real));
  }

  private forward(method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Answer> {
    const forwarded: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) forwarded[name] = value;
    }
    forwarded['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: this.targetUrl.hostname,
          port: this.targetUrl.port,
          method,
          path,
          headers: forwarded,
          agent: this.agent,
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (part: Buffer) => parts.push(part));
          answer.on('end', () => {
            const kept: Record<string, string> = {};
            for (const [name, value] of Object.entries(answer.headers)) {
              if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = String(value);
            }
            resolve({
              status: answer.statusCode ?? 502,
              headers: kept,
              body: Buffer.concat(parts).toString('utf8'),
            });
          });
          answer.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
}

/**
 * A Vipps stand-in that hands out an access token and answers every other call with one garbled
 * answer: for what ScriptedServer cannot send (a body cut short by a dropped connection).
 */
export class GarblingOrigin {
  readonly seen: string[] = [];
  private server: Server | undefined;

  constructor(private readonly answer: Garbled) {}

  async start(): Promise<string> {
    this.server = createServer((incoming, response) => {
      incoming.resume();
      incoming.on('end', () => {
        const path = (incoming.url ?? '/').split('?')[0]!;
        this.seen.push(`${incoming.method} ${path}`);
        if (path === '/accesstoken/get') {
          const token = JSON.stringify({ token_type: 'Bearer', expires_in: '3600', access_token: 'tok' });
          response.writeHead(200, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(token),
          });
          response.end(token);
          return;
        }
        writeGarbled(incoming, response, this.answer);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
