import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { WebSocketServer } from 'ws';
import type { Logger } from '../../common/log/logger.js';
import type { DemoPrinterView } from '../../contracts/demo-paper.js';
import { SCREEN_PROTOCOL } from '../../contracts/screen-auth.js';
import type { ScreenModel } from '../../contracts/screen-model.js';
import {
  demoKeyPressSchema,
  type ScreenKeyPress,
  type SpeechRequest,
  type SpeechState,
  speechRequestSchema,
  type TactileKey,
} from '../../contracts/speech.js';
import { PRINTER_CONDITIONS, type PrinterCondition } from '../../contracts/telemetry.js';
import { PAYMENT_EVENT_NAMES, type PaymentEventName } from '../../contracts/vipps-types.js';
import type { Catalog } from '../catalog/catalog.js';
import type { CheckoutService, IntentOutcome } from '../checkout/checkout-service.js';
import { screenOf } from '../checkout/screen-projection.js';
import type { PrinterStatus } from '../printer/printer-port.js';
import type { HqBrokerState } from '../system/running-kiosk.js';
import type { ActiveAlert } from '../telemetry/alerts.js';
import { type Refusal, ScreenGuard } from './screen-guard.js';

export interface DemoInfo {
  phoneUrl: string;
  sandboxUrl: string;
  customers: ReadonlyArray<{ name: string; msisdn: string; personalQr: string }>;
}

export interface KioskServerOptions {
  port: number;
  uiDir: string;
  /** The per-boot secret the screen presents on its socket and API calls (see screen-guard.ts). */
  screenToken: string;
  catalog: Catalog;
  logger: Logger;
  /** Present in demo mode only: enables POST /api/scan and GET /api/demo. */
  demo: DemoInfo | null;
  startedAt: number;
  /**
   * The active alerts (`Alerts.active`), so `/healthz` says why the kiosk will not sell. Only reported:
   * a restart does not fix a sales unit Vipps refuses, so alerts are no watchdog check.
   */
  alerts?: () => readonly ActiveAlert[];
  /**
   * Whether the kiosk's connection to HQ's broker is up, null without a broker: `selftest` beside the
   * running daemon reads it here instead of logging in as the kiosk (which would knock the kiosk off).
   */
  hqBroker?: () => boolean | null;
  /** The receipt printer's last status, when the kiosk has one: `/healthz` shows it to the field tech. */
  printer?: () => PrinterStatus;
  /** Demo mode: the simulated printer's paper and its buttons (GET and POST /api/demo/printer). */
  demoPrinter?: { view(): DemoPrinterView; set(condition: PrinterCondition): void };
  /** Demo mode with speech on (`demo --speech`): the fake tactile keys the panel presses (POST /api/demo/key). */
  demoKeys?: { keys(): readonly TactileKey[]; press(key: TactileKey, long?: boolean): void };
  /** Speech mode (device/speech/speech-mode.ts): in the model, keys out to the page, words in from it. */
  speech?: {
    state(): SpeechState;
    request(request: SpeechRequest): void;
    onKey(listener: (press: ScreenKeyPress) => void): () => void;
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const MAX_BODY = 16 * 1024;

const STATUS_TEXT: Record<Refusal['status'], string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  415: 'Unsupported Media Type',
  421: 'Misdirected Request',
};

const PAYMENT_EVENTS = new Set<string>(PAYMENT_EVENT_NAMES);

const REFUSAL_LOG_INTERVAL_MS = 60_000;

/**
 * The kiosk screen's server, on 127.0.0.1 only: the UI bundle, the screen model as JSON and over a
 * WebSocket, intents back in, and a health check for systemd and the field tech. Only the screen gets
 * past `/healthz` and the static files: its own name and origin, and the per-boot token (ScreenGuard).
 */
export class KioskServer {
  private server: Server | undefined;
  private sockets: WebSocketServer | undefined;
  private unsubscribe: (() => void) | undefined;
  private unsubscribeKeys: (() => void) | undefined;
  private readonly options: KioskServerOptions;
  private readonly checkout: CheckoutService;
  private readonly guard: ScreenGuard;

  constructor(options: KioskServerOptions, checkout: CheckoutService) {
    this.options = options;
    this.checkout = checkout;
    this.guard = new ScreenGuard(options.screenToken);
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        this.options.logger.error('request failed', { path: req.url, error: String(error) });
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.destroy();
      });
    });
    const sockets = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_BODY,
      handleProtocols: () => SCREEN_PROTOCOL,
    });
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      const refused =
        new URL(req.url ?? '/', 'http://kiosk').pathname === '/api/ws'
          ? this.guard.socket(req)
          : ({ status: 403, reason: 'no socket here' } as const);
      if (refused) return this.refuseUpgrade(req, socket, refused);
      sockets.handleUpgrade(req, socket, head, (client) => sockets.emit('connection', client, req));
    });
    sockets.on('connection', (socket) => {
      socket.send(JSON.stringify({ type: 'screen', model: this.model() }));
      socket.on('message', (data) => {
        let message: unknown;
        try {
          message = JSON.parse(String(data));
        } catch {
          socket.send(JSON.stringify({ type: 'error', message: 'not JSON' }));
          return;
        }
        const type = (message as { type?: unknown })?.type;
        if (type === 'speak' || type === 'speech-mode') {
          const refused = this.speechRequest(message);
          if (refused) socket.send(JSON.stringify({ type: 'error', message: refused }));
          return;
        }
        const intent = (message as { type?: unknown; intent?: unknown })?.intent;
        const outcome: IntentOutcome =
          (message as { type?: unknown })?.type === 'intent'
            ? this.checkout.dispatch(intent)
            : { accepted: false, reason: 'expected {"type":"intent","intent":…}' };
        if (outcome.accepted) return;
        const wait = outcome.retryAfterMs
          ? { retryAfterSeconds: Math.ceil(outcome.retryAfterMs / 1000) }
          : {};
        socket.send(JSON.stringify({ type: 'error', message: outcome.reason, ...wait }));
      });
    });
    this.unsubscribe = this.checkout.subscribe((model) => this.broadcast(model));
    this.unsubscribeKeys = this.options.speech?.onKey((press) => this.sendAll({ type: 'key', press }));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.sockets = sockets;
    const { port } = server.address() as AddressInfo;
    this.guard.listeningOn(port);
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribeKeys?.();
    for (const client of this.sockets?.clients ?? []) client.terminate();
    this.sockets?.close();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private lastSent = '';

  /** The checkout's model, with speech mode where the kiosk has it. */
  private model(model = this.checkout.model()): ScreenModel {
    return this.options.speech ? { ...model, speech: this.options.speech.state() } : model;
  }

  private broadcast(checkoutModel: ScreenModel): void {
    const model = this.model(checkoutModel);
    // Snapshots that change nothing the screen shows (an internal poll step) are not re-sent.
    const { now: _now, ...visible } = model;
    const fingerprint = JSON.stringify(visible);
    if (fingerprint === this.lastSent) return;
    this.lastSent = fingerprint;
    this.sendAll({ type: 'screen', model });
  }

  private sendAll(message: unknown): void {
    const text = JSON.stringify(message);
    for (const client of this.sockets?.clients ?? [])
      if (client.readyState === client.OPEN) client.send(text);
  }

  /** The refusal's reason, or null when the request was passed on. */
  private speechRequest(message: unknown): string | null {
    if (!this.options.speech) return 'this kiosk has no speech';
    const parsed = speechRequestSchema.safeParse(message);
    if (!parsed.success) return `not a speech request: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
    this.options.speech.request(parsed.data);
    return null;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://kiosk');
    const route = `${req.method} ${url.pathname}`;
    const refused =
      this.guard.host(req) ??
      (url.pathname.startsWith('/api/')
        ? req.method === 'GET' || req.method === 'HEAD'
          ? this.guard.api(req)
          : this.guard.change(req)
        : null);
    if (refused) {
      this.logRefusal(req, refused);
      res.writeHead(refused.status, {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(`${refused.reason}\n`);
      return;
    }
    switch (route) {
      case 'GET /healthz':
        return this.health(res);
      case 'GET /api/state':
        return sendJson(res, 200, { model: this.model() });
      case 'GET /api/catalog':
        return sendJson(res, 200, {
          currency: this.options.catalog.market.currency,
          products: this.options.catalog
            .all()
            .map(({ gtin, name, unitPrice }) => ({ gtin, name, unitPrice })),
        });
      case 'GET /api/demo':
        if (!this.options.demo) break;
        // `printer`: the panel shows the simulated printer's paper strip; `keys`: the tactile keys it presses.
        return sendJson(res, 200, {
          ...this.options.demo,
          printer: this.options.demoPrinter !== undefined,
          keys: this.options.demoKeys?.keys() ?? [],
        });
      case 'POST /api/scan':
        if (!this.options.demo) break;
        return this.demoScan(req, res);
      case 'POST /api/payment-event':
        if (!this.options.demo) break;
        return this.demoPaymentEvent(req, res);
      case 'GET /api/demo/printer':
        if (!this.options.demo || !this.options.demoPrinter) break;
        return sendJson(res, 200, this.options.demoPrinter.view());
      case 'POST /api/demo/printer':
        if (!this.options.demo || !this.options.demoPrinter) break;
        return this.demoPrinter(req, res, this.options.demoPrinter);
      case 'POST /api/demo/key':
        if (!this.options.demo || !this.options.demoKeys) break;
        return this.demoKey(req, res, this.options.demoKeys);
    }
    if (req.method === 'GET' && !url.pathname.startsWith('/api/')) return this.serveUi(url.pathname, res);
    sendJson(res, 404, { error: `no ${route}` });
  }

  private refuseUpgrade(req: IncomingMessage, socket: Socket, refused: Refusal): void {
    this.logRefusal(req, refused);
    // Node takes its own error handler off a socket it hands to 'upgrade': a reset must not crash us.
    socket.on('error', () => socket.destroy());
    const text = `${refused.reason}\n`;
    socket.end(
      `HTTP/1.1 ${refused.status} ${STATUS_TEXT[refused.status]}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }

  private refusedUnlogged = 0;
  private lastRefusalLogged = Number.NEGATIVE_INFINITY;

  // What was refused and who seemed to ask, never a header that could carry the token; at most a line a
  // minute, with the count of those not logged, so a local process hammering the server cannot fill the journal.
  private logRefusal(req: IncomingMessage, refused: Refusal): void {
    this.refusedUnlogged += 1;
    const now = Date.now();
    if (now - this.lastRefusalLogged < REFUSAL_LOG_INTERVAL_MS) return;
    this.lastRefusalLogged = now;
    const refusedSinceLastLine = this.refusedUnlogged;
    this.refusedUnlogged = 0;
    this.options.logger.warn('screen server refused a request', {
      refusedSinceLastLine,
      status: refused.status,
      reason: refused.reason,
      method: req.method,
      path: new URL(req.url ?? '/', 'http://kiosk').pathname,
      host: req.headers.host,
      origin: req.headers.origin,
    });
  }

  private health(res: ServerResponse): void {
    const snapshot = this.checkout.snapshot();
    sendJson(res, 200, {
      status: snapshot.status === 'active' ? 'ok' : 'stopped',
      screen: screenOf(snapshot),
      vippsReachable: snapshot.context.vippsReachable,
      recovery: this.checkout.model().recovery,
      alerts: this.options.alerts?.() ?? [],
      hqBroker: hqBrokerState(this.options.hqBroker?.() ?? null),
      ...(this.options.printer ? { printer: this.options.printer() } : {}),
      uptimeSeconds: Math.round((Date.now() - this.options.startedAt) / 1000),
    });
  }

  private async demoScan(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    let text: unknown;
    try {
      text = (JSON.parse(body) as { text?: unknown }).text;
    } catch {
      return sendJson(res, 400, { error: 'expected JSON {"text": "..."}' });
    }
    if (typeof text !== 'string') return sendJson(res, 400, { error: 'expected JSON {"text": "..."}' });
    const outcome = this.checkout.dispatch({ type: 'scan', text });
    if (!outcome.accepted) return sendJson(res, 400, { error: outcome.reason });
    sendJson(res, 202, { model: this.checkout.model() });
  }

  /** Demo mode: the panel's printer buttons (paper out, near end, cover open, cable out, ready). */
  private async demoPrinter(
    req: IncomingMessage,
    res: ServerResponse,
    printer: NonNullable<KioskServerOptions['demoPrinter']>,
  ): Promise<void> {
    const usage = `expected JSON {"condition": one of ${PRINTER_CONDITIONS.join(', ')}}`;
    let condition: unknown;
    try {
      condition = (JSON.parse(await readBody(req)) as { condition?: unknown }).condition;
    } catch {
      return sendJson(res, 400, { error: usage });
    }
    if (!PRINTER_CONDITIONS.includes(condition as PrinterCondition))
      return sendJson(res, 400, { error: usage });
    printer.set(condition as PrinterCondition);
    sendJson(res, 202, printer.view());
  }

  /** Demo mode: a tactile key pressed by the panel, as the key itself would (speech mode hears it). */
  private async demoKey(
    req: IncomingMessage,
    res: ServerResponse,
    keys: NonNullable<KioskServerOptions['demoKeys']>,
  ): Promise<void> {
    const body = await readBody(req);
    const press = demoKeyPressSchema.safeParse(tryJson(body));
    if (!press.success || !keys.keys().includes(press.data.key))
      return sendJson(res, 400, {
        error: `expected JSON {"key": one of ${keys.keys().join(', ')}, "long": false}`,
      });
    keys.press(press.data.key, press.data.long);
    sendJson(res, 202, { model: this.model() });
  }

  /** Demo mode: a payment event as the HQ webhook relay would deliver it, so the kiosk looks at once. */
  private async demoPaymentEvent(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let event: { reference?: unknown; name?: unknown };
    try {
      event = JSON.parse(await readBody(req)) as typeof event;
    } catch {
      return sendJson(res, 400, { error: 'expected JSON {"reference": "...", "name": "AUTHORIZED"}' });
    }
    if (
      typeof event.reference !== 'string' ||
      typeof event.name !== 'string' ||
      !PAYMENT_EVENTS.has(event.name)
    ) {
      return sendJson(res, 400, { error: 'expected JSON {"reference": "...", "name": "AUTHORIZED"}' });
    }
    this.checkout.paymentEvent(event.reference, event.name as PaymentEventName);
    sendJson(res, 202, { accepted: true });
  }

  private async serveUi(pathname: string, res: ServerResponse): Promise<void> {
    const relative = normalize(pathname === '/' ? '/index.html' : pathname).replace(/^(\.\.[/\\])+/, '');
    const file = join(this.options.uiDir, relative);
    if (!file.startsWith(this.options.uiDir)) return sendJson(res, 404, { error: 'not found' });
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch {
      return sendJson(res, 404, { error: `no ${pathname}` });
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'content-security-policy':
        "default-src 'self'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
      'x-content-type-options': 'nosniff',
    });
    res.end(content);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function hqBrokerState(connected: boolean | null): HqBrokerState {
  if (connected === null) return 'none';
  return connected ? 'connected' : 'disconnected';
}
