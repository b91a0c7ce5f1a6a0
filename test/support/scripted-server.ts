import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Scripted {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Destroy the socket instead of answering. */
  reset?: boolean;
  /** Never answer. */
  hang?: boolean;
}

/**
 * A real HTTP server on loopback that answers from a script, one entry per request, and records
 * what it was sent. For client behaviour the sandbox cannot be steered into exactly (odd bodies,
 * precise Retry-After values, counting token requests).
 */
export class ScriptedServer {
  readonly seen: Seen[] = [];
  private server: Server | undefined;
  private readonly script: Array<Scripted | ((req: Seen) => Scripted)> = [];
  private fallback: (req: Seen) => Scripted = () => ({ status: 599, body: { title: 'script ran out' } });

  enqueue(...steps: Array<Scripted | ((req: Seen) => Scripted)>): this {
    this.script.push(...steps);
    return this;
  }

  otherwise(answer: (req: Seen) => Scripted): this {
    this.fallback = answer;
    return this;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const seen: Seen = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.seen.push(seen);
        const step = this.script.shift() ?? this.fallback;
        const answer = typeof step === 'function' ? step(seen) : step;
        if (answer.reset) return req.socket.destroy();
        if (answer.hang) return;
        const body =
          answer.body === undefined
            ? ''
            : typeof answer.body === 'string'
              ? answer.body
              : JSON.stringify(answer.body);
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(body);
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

export function tokenAnswer(token: string, expiresIn = 3600): Scripted {
  return {
    status: 200,
    body: {
      token_type: 'Bearer',
      expires_in: String(expiresIn),
      ext_expires_in: String(expiresIn),
      access_token: token,
    },
  };
}
