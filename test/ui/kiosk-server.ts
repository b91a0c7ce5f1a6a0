import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { type WebSocket, WebSocketServer } from 'ws';
import { screenPageUrl } from '../../contracts/screen-auth.js';
import type { Intent, ScreenModel } from '../../contracts/screen-model.js';
import { newScreenToken, ScreenGuard } from '../../device/server/screen-guard.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

/** What /api/catalog and /api/demo answer, shaped as the daemon's will be. */
export const DEMO_API: Record<string, unknown> = {
  '/api/catalog': {
    products: [
      { gtin: '2000000000015', name: 'Melk 1 l', unitPrice: 2490 },
      { gtin: '2000000000022', name: 'Brød grovt', unitPrice: 4290 },
    ],
  },
  '/api/demo': {
    customers: [
      {
        name: 'Kari Nordmann',
        msisdn: '4791234567',
        personalQr: 'https://qr.vipps.no/p/UKW7tX4psZtwVUayqIydBmIh',
      },
    ],
    phoneUrl: 'http://127.0.0.1:1/phone',
    // `demo --speech`: the panel shows the tactile keys as buttons.
    keys: ['speech', 'next', 'previous', 'select', 'back', 'volume-up', 'volume-down'],
  },
};

/**
 * The daemon as the screen sees it: the built files over HTTP and the screen socket on /api/ws, behind
 * the daemon's own ScreenGuard, so the screen must present the token from its page's fragment. Tests
 * set the model, read back the intents the screen sent, and drop or refuse connections.
 */
export class KioskServer {
  readonly intents: Intent[] = [];
  /** Anything the screen sent that is not `{type:'intent', intent}`. */
  readonly strayMessages: string[] = [];
  connections = 0;
  refuse = false;
  /** Whether a new connection is sent the current model straight away. */
  greet = true;

  private model: ScreenModel;
  private readonly http: Server;
  private readonly sockets = new WebSocketServer({ noServer: true });
  private readonly staticDir: string;
  private readonly token = newScreenToken();
  private readonly guard = new ScreenGuard(this.token);
  /** Socket handshakes and API calls the guard turned away. */
  refusals = 0;

  constructor(staticDir: string, model: ScreenModel) {
    this.staticDir = staticDir;
    this.model = model;
    this.http = createServer((req, res) => {
      const path = req.url ?? '/';
      if (path.startsWith('/api/') && this.guard.api(req)) {
        this.refusals += 1;
        res.writeHead(401).end();
        return;
      }
      void this.serve(path).then(({ status, type, body }) => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
      });
    });
    this.http.on('upgrade', (req, socket, head) => {
      const refused = this.guard.socket(req) !== null;
      if (refused) this.refusals += 1;
      if (req.url !== '/api/ws' || this.refuse || refused) {
        socket.destroy();
        return;
      }
      this.sockets.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  /** The page address as the screen unit opens it: the token in the fragment. */
  async start(): Promise<string> {
    await new Promise<void>((ready) => this.http.listen(0, '127.0.0.1', ready));
    const { port } = this.http.address() as AddressInfo;
    this.guard.listeningOn(port);
    return screenPageUrl(`http://127.0.0.1:${port}`, this.token);
  }

  async stop(): Promise<void> {
    for (const client of this.sockets.clients) client.terminate();
    this.sockets.close();
    await new Promise((done) => this.http.close(done));
  }

  show(model: ScreenModel): void {
    this.model = model;
    this.broadcast({ type: 'screen', model });
  }

  /** Changes the model without telling anyone: only /api/state and new connections see it. */
  set(model: ScreenModel): void {
    this.model = model;
  }

  sendError(message: string, retryAfterSeconds?: number): void {
    this.broadcast({ type: 'error', message, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) });
  }

  /** Kills every connection without a close handshake, as a crashing daemon would. */
  dropClients(): void {
    for (const client of this.sockets.clients) client.terminate();
  }

  get openClients(): number {
    return this.sockets.clients.size;
  }

  private broadcast(message: unknown): void {
    const text = JSON.stringify(message);
    for (const client of this.sockets.clients) client.send(text);
  }

  private accept(ws: WebSocket): void {
    this.connections += 1;
    if (this.greet) ws.send(JSON.stringify({ type: 'screen', model: this.model }));
    ws.on('message', (data) => {
      const text = String(data);
      const message = JSON.parse(text) as { type?: string; intent?: Intent };
      if (message.type === 'intent' && message.intent && Object.keys(message).length === 2) {
        this.intents.push(message.intent);
      } else {
        this.strayMessages.push(text);
      }
    });
  }

  private async serve(url: string): Promise<{ status: number; type: string; body: string | Buffer }> {
    const path = url.split('?')[0] ?? '/';
    if (path === '/api/state') return json({ model: this.model });
    if (path in DEMO_API) return json(DEMO_API[path]);
    const file = path === '/' ? 'index.html' : path.slice(1);
    const type = TYPES[extname(file)];
    if (!type || file.includes('..') || file.includes('/'))
      return { status: 404, type: 'text/plain', body: '' };
    try {
      return { status: 200, type, body: await readFile(join(this.staticDir, file)) };
    } catch {
      return { status: 404, type: 'text/plain', body: '' };
    }
  }
}

function json(body: unknown) {
  return { status: 200, type: 'application/json', body: JSON.stringify(body) };
}
