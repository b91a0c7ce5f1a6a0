import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../common/log/logger.js';
import type { RegisterAction } from '../sale/register-model.js';
import type { Register } from './register.js';

/** What the server needs of the register: its model, its changes, and where actions go. */
export type RegisterPort = Pick<Register, 'model' | 'subscribe' | 'handle'>;

// The cashier page's own server, on 127.0.0.1 only: it serves the bundled page and takes the page's
// actions to the register, which alone holds the terminal's token. Being on loopback is not enough on
// its own: any web page in the same browser could post to it. So a request must name this server as
// its Host (no DNS rebinding), an action must come as JSON (a cross-site form cannot send that without
// a CORS preflight, which this server never grants) and from this server's own Origin.

const STATIC: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.js.map': { file: 'app.js.map', type: 'application/json' },
};

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const MAX_ACTION_BYTES = 4096;
/** A comment line on the event stream now and then, so an idle proxy or browser keeps it open. */
const HEARTBEAT_MS = 25_000;

const actionShape: z.ZodType<RegisterAction> = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('scan'), text: z.string().max(512) }),
  z.strictObject({
    type: z.literal('set-quantity'),
    gtin: z.string().max(14),
    quantity: z.number().int().min(0),
  }),
  z.strictObject({ type: z.literal('phone'), phoneNumber: z.string().max(32) }),
  z.strictObject({ type: z.literal('clear-customer') }),
  z.strictObject({ type: z.literal('send') }),
  z.strictObject({ type: z.literal('abort') }),
  z.strictObject({ type: z.literal('next-sale') }),
  z.strictObject({ type: z.literal('request-membership') }),
  z.strictObject({ type: z.literal('enrol') }),
  z.strictObject({ type: z.literal('abort-enrolment') }),
]);

export interface PosServerOptions {
  register: RegisterPort;
  /** Where the bundled page is (dist/pos). */
  pageDir: string;
  port: number;
  logger: Logger;
}

export class PosServer {
  private server?: Server;
  private readonly streams = new Set<ServerResponse>();
  private origin = '';

  constructor(private readonly options: PosServerOptions) {}

  /** The page's address once listening. */
  get url(): string {
    return this.origin;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        this.options.logger.error('cashier page request failed', { error: String(error) });
        if (!res.headersSent) this.answer(res, 500, { message: 'internal error' });
        else res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const stream of this.streams) stream.end();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const port = new URL(this.origin).port;
    if (req.headers.host !== `127.0.0.1:${port}` && req.headers.host !== `localhost:${port}`) {
      return this.answer(res, 421, { message: 'this server answers only as 127.0.0.1 or localhost' });
    }
    const path = new URL(req.url ?? '/', this.origin).pathname;
    if (req.method === 'GET' && STATIC[path]) return this.page(res, STATIC[path]);
    if (req.method === 'GET' && path === '/api/state')
      return this.answer(res, 200, this.options.register.model());
    if (req.method === 'GET' && path === '/api/events') return this.events(req, res);
    if (req.method === 'POST' && path === '/api/actions') return this.action(req, res);
    this.answer(res, 404, { message: 'not found' });
  }

  private async page(res: ServerResponse, { file, type }: { file: string; type: string }): Promise<void> {
    const body = await readFile(join(this.options.pageDir, file)).catch(() => undefined);
    if (body === undefined) {
      return this.answer(res, 503, {
        message: `the cashier page is not built: ${join(this.options.pageDir, file)} is missing (npm run build)`,
      });
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': type });
    res.end(body);
  }

  private events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream',
      connection: 'keep-alive',
    });
    const send = (model: unknown) => res.write(`data: ${JSON.stringify(model)}\n\n`);
    send(this.options.register.model());
    const unsubscribe = this.options.register.subscribe(send);
    const heartbeat = setInterval(() => res.write(': still here\n\n'), HEARTBEAT_MS);
    this.streams.add(res);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.streams.delete(res);
    });
  }

  private async action(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return this.answer(res, 415, { message: 'actions are application/json' });
    }
    if (
      req.headers.origin !== undefined &&
      req.headers.origin !== this.origin &&
      req.headers.origin !== this.origin.replace('127.0.0.1', 'localhost')
    ) {
      return this.answer(res, 403, { message: 'actions come only from the cashier page itself' });
    }
    let text = '';
    for await (const chunk of req) {
      text += String(chunk);
      if (text.length > MAX_ACTION_BYTES) return this.answer(res, 413, { message: 'action too large' });
    }
    let parsed: ReturnType<typeof actionShape.safeParse>;
    try {
      parsed = actionShape.safeParse(JSON.parse(text));
    } catch {
      return this.answer(res, 400, { message: 'not JSON' });
    }
    if (!parsed.success) return this.answer(res, 400, { message: z.prettifyError(parsed.error) });
    this.options.register.handle(parsed.data);
    res.writeHead(204, SECURITY_HEADERS).end();
  }

  private answer(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}
