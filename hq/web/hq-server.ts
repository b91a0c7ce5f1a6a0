import { randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import type { Logger } from '../../common/log/logger.js';
import { type CommandArgs, commandArgsShape } from '../../contracts/hq-command.js';
import type { DayReconciliation } from '../reconcile/reconcile-day.js';
import { loadKiosk, openAlerts } from './fleet-queries.js';
import { cookies, HttpError, readBody, redirect, SECURITY_HEADERS, sendHtml, sendJson } from './http-io.js';
import type { LiveChange, LiveFleet } from './live-fleet.js';
import { LoginLimiter } from './login-limiter.js';
import { loginPage } from './login-page.js';
import { type Bucket, salesSeries } from './sales-series.js';
import { isPageFile, sendPageFile } from './static-files.js';
import { type Session, UserStore } from './users.js';

// HQ's page server (`vipps-kiosk hq serve`): the sign-in, the page's files and its JSON and
// server-sent-events API over the collector's database. Sessions are HttpOnly SameSite=Strict cookies
// (Secure over TLS); every POST carries the session's synchronizer token; commands are for operators.

export const SESSION_COOKIE = 'vk_hq_session';
const LOGIN_COOKIE = 'vk_hq_login';
const DEFAULT_SESSION_MS = 8 * 3_600_000;

/** The commands the page's buttons send, with the arguments each may carry. */
const PAGE_COMMANDS: Record<string, (args: CommandArgs) => boolean> = {
  identify: (args) =>
    Object.keys(args).every((k) => k === 'seconds') &&
    (args.seconds === undefined || typeof args.seconds === 'number'),
  maintenance: (args) => args.state === 'on' || args.state === 'off',
  'reload-catalog': (args) => Object.keys(args).length === 0,
  reboot: (args) => Object.keys(args).length === 0,
  report: (args) => args.kind === 'x' || args.kind === 'z',
};

export type SendCommand = (
  site: string,
  device: string,
  name: string,
  args: CommandArgs,
) => Promise<Record<string, unknown>>;

export interface HqServerOptions {
  pool: Pool;
  live: LiveFleet;
  /** The built page (dist/hq). */
  pageDir: string;
  logger: Logger;
  port: number;
  host?: string;
  /** Serve HTTPS with these PEM files. */
  tls?: { cert: Buffer; key: Buffer };
  /** Secure cookies behind a TLS-terminating proxy too (always on with `tls`). */
  secureCookies?: boolean;
  sessionLifetimeMs?: number;
  /** Without it the buttons answer that HQ's command key or broker was not given. */
  sendCommand?: SendCommand;
  /** Without it the reconciliation page says `--vipps-keys` is needed. */
  reconcile?: (date: string) => Promise<DayReconciliation[]>;
  timeZone?: string;
  now?: () => number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class HqServer {
  private server: Server | undefined;
  private readonly users: UserStore;
  private readonly limiter = new LoginLimiter();
  private readonly now: () => number;
  private readonly sessionMs: number;
  private readonly secure: boolean;
  private readonly streams = new Set<ServerResponse>();

  constructor(private readonly options: HqServerOptions) {
    this.users = new UserStore(options.pool);
    this.now = options.now ?? Date.now;
    this.sessionMs = options.sessionLifetimeMs ?? DEFAULT_SESSION_MS;
    this.secure = options.tls !== undefined || options.secureCookies === true;
  }

  /** Listens; resolves with the page's address. */
  async start(): Promise<string> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    const { tls } = this.options;
    this.server = tls
      ? createHttpsServer({ cert: tls.cert, key: tls.key }, handler)
      : createHttpServer(handler);
    this.server.listen(this.options.port, this.options.host ?? '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    const host = this.options.host ?? '127.0.0.1';
    return `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  async stop(): Promise<void> {
    for (const stream of this.streams) stream.end();
    if (!this.server) return;
    const closed = once(this.server, 'close');
    this.server.close();
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.route(req, res);
    } catch (error) {
      if (error instanceof HttpError) return sendJson(res, error.status, { error: error.message });
      this.options.logger.error('HQ page request failed', {
        path: req.url?.split('?')[0],
        error: (error as Error).message,
      });
      if (!res.headersSent) sendJson(res, 500, { error: 'HQ could not answer: see its log' });
      else res.end();
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://hq');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/login') return method === 'POST' ? this.login(req, res) : this.showLogin(res);
    const name = path.slice(1);
    if (method === 'GET' && isPageFile(name) && name !== 'index.html')
      return sendPageFile(res, this.options.pageDir, name);

    const session = await this.session(req);
    if (path === '/' && method === 'GET') {
      if (!session) return redirect(res, '/login');
      return sendPageFile(res, this.options.pageDir, 'index.html');
    }
    if (!session) throw new HttpError(401, 'sign in first');
    if (method === 'POST') {
      const token = req.headers['x-csrf-token'];
      if (typeof token !== 'string' || !sameText(token, session.csrfToken))
        throw new HttpError(403, 'the form is out of date (no valid CSRF token): reload the page');
      if (path === '/logout') return this.logout(req, res);
      const command = /^\/api\/kiosks\/([^/]+)\/([^/]+)\/commands$/.exec(path);
      if (command) return this.command(req, res, session, command[1] ?? '', command[2] ?? '');
      throw new HttpError(404, 'no such action');
    }
    if (method !== 'GET') throw new HttpError(405, 'not allowed');
    if (path === '/api/session')
      return sendJson(res, 200, { user: session.user, role: session.role, csrfToken: session.csrfToken });
    if (path === '/api/fleet') return this.fleet(res);
    if (path === '/api/live') return this.stream(req, res);
    if (path === '/api/sales') return this.sales(res, url.searchParams);
    if (path === '/api/reconcile') return this.reconciliation(res, url.searchParams.get('date'));
    const kiosk = /^\/api\/kiosks\/([^/]+)\/([^/]+)$/.exec(path);
    if (kiosk) return this.kiosk(res, kiosk[1] ?? '', kiosk[2] ?? '');
    throw new HttpError(404, 'no such page');
  }

  private async session(req: IncomingMessage): Promise<Session | undefined> {
    const token = cookies(req).get(SESSION_COOKIE);
    return token ? this.users.session(token, this.now()) : undefined;
  }

  private cookie(name: string, value: string, maxAgeSeconds: number, path = '/'): string {
    return `${name}=${value}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${this.secure ? '; Secure' : ''}`;
  }

  private showLogin(
    res: ServerResponse,
    status = 200,
    problem?: string,
    headers: Record<string, string> = {},
  ): void {
    const csrf = randomBytes(24).toString('base64url');
    sendHtml(res, status, loginPage(csrf, problem), {
      ...headers,
      'set-cookie': this.cookie(LOGIN_COOKIE, csrf, 3_600, '/login'),
    });
  }

  private async login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const expected = cookies(req).get(LOGIN_COOKIE);
    const csrf = form.get('csrf') ?? '';
    if (!expected || !sameText(csrf, expected))
      return this.showLogin(res, 403, 'The sign-in form was out of date. Please try again.');
    const name = form.get('name') ?? '';
    const password = form.get('password') ?? '';
    const address = req.socket.remoteAddress ?? 'unknown';
    const now = this.now();
    const wait = this.limiter.retryAfter(name, address, now);
    if (wait > 0) {
      const minutes = Math.ceil(wait / 60_000);
      return this.showLogin(res, 429, `Too many failed sign-ins. Try again in ${minutes} minute(s).`, {
        'retry-after': String(Math.ceil(wait / 1000)),
      });
    }
    const role = await this.users.check(name, password);
    if (!role) {
      this.limiter.failed(name, address, now);
      this.options.logger.warn('HQ page sign-in refused', { user: name, address });
      return this.showLogin(res, 401, 'Wrong user name or password.');
    }
    this.limiter.succeeded(name);
    const token = await this.users.openSession(name, this.sessionMs, now);
    this.options.logger.info('HQ page sign-in', { user: name, role });
    redirect(res, '/', {
      'set-cookie': [
        this.cookie(SESSION_COOKIE, token, Math.floor(this.sessionMs / 1000)),
        this.cookie(LOGIN_COOKIE, '', 0, '/login'),
      ],
    });
  }

  private async logout(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = cookies(req).get(SESSION_COOKIE);
    if (token) await this.users.closeSession(token);
    res.setHeader('set-cookie', this.cookie(SESSION_COOKIE, '', 0));
    sendJson(res, 200, { signedOut: true });
  }

  private async fleet(res: ServerResponse): Promise<void> {
    const { live, pool } = this.options;
    sendJson(res, 200, { status: live.status(), rows: live.fleet(), alerts: await openAlerts(pool) });
  }

  private stream(req: IncomingMessage, res: ServerResponse): void {
    const { live } = this.options;
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const send = (change: LiveChange) => {
      const data = change.kind === 'kiosk' ? change.row : change.status;
      res.write(`event: ${change.kind}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    send({ kind: 'status', status: live.status() });
    res.write(`event: fleet\ndata: ${JSON.stringify(live.fleet())}\n\n`);
    const unsubscribe = live.subscribe(send);
    // A comment now and then keeps proxies from closing a quiet stream.
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    this.streams.add(res);
    req.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
      this.streams.delete(res);
    });
  }

  private async kiosk(res: ServerResponse, site: string, device: string): Promise<void> {
    if (!SEGMENT.test(site) || !SEGMENT.test(device)) throw new HttpError(404, 'no such kiosk');
    const detail = await loadKiosk(this.options.pool, site, device, this.now());
    if (!detail) throw new HttpError(404, `HQ has never heard of ${site}/${device}`);
    sendJson(res, 200, detail);
  }

  private async sales(res: ServerResponse, query: URLSearchParams): Promise<void> {
    const by = query.get('by') ?? 'day';
    const from = query.get('from') ?? '';
    const to = query.get('to') ?? from;
    if (by !== 'hour' && by !== 'day') throw new HttpError(400, 'by must be hour or day');
    if (!DATE.test(from) || !DATE.test(to) || from > to)
      throw new HttpError(400, 'from and to must be dates YYYY-MM-DD, from not after to');
    const timeZone = this.options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    sendJson(res, 200, await salesSeries(this.options.pool, by as Bucket, from, to, timeZone));
  }

  private async reconciliation(res: ServerResponse, date: string | null): Promise<void> {
    const { reconcile } = this.options;
    if (!reconcile)
      throw new HttpError(
        404,
        'reconciliation needs the sales unit keys: start hq serve with --vipps-keys FILE',
      );
    if (date === null || !DATE.test(date)) throw new HttpError(400, 'date must be YYYY-MM-DD');
    try {
      sendJson(res, 200, await reconcile(date));
    } catch (error) {
      throw new HttpError(502, `Vipps' Report API: ${(error as Error).message}`);
    }
  }

  private async command(
    req: IncomingMessage,
    res: ServerResponse,
    session: Session,
    site: string,
    device: string,
  ): Promise<void> {
    if (session.role !== 'operator') throw new HttpError(403, 'only an operator may send commands to kiosks');
    if (!SEGMENT.test(site) || !SEGMENT.test(device)) throw new HttpError(404, 'no such kiosk');
    let body: { name?: unknown; args?: unknown };
    try {
      body = JSON.parse(await readBody(req)) as typeof body;
    } catch {
      throw new HttpError(400, 'expected JSON {"name", "args"}');
    }
    const name = typeof body.name === 'string' ? body.name : '';
    const args = commandArgsShape.safeParse(body.args ?? {});
    const allowed = Object.hasOwn(PAGE_COMMANDS, name) ? PAGE_COMMANDS[name] : undefined;
    if (!allowed || !args.success || !allowed(args.data))
      throw new HttpError(400, `not a command the page sends: ${name || '(none)'}`);
    const { sendCommand } = this.options;
    if (!sendCommand)
      throw new HttpError(503, 'HQ was started without --broker and --command-key: it cannot send commands');
    this.options.logger.info('HQ page command', {
      user: session.user,
      kiosk: `${site}/${device}`,
      command: name,
    });
    try {
      sendJson(res, 200, await sendCommand(site, device, name, args.data));
    } catch (error) {
      throw new HttpError(504, (error as Error).message);
    }
  }
}
