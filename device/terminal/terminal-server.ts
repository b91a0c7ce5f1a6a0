import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { z } from 'zod';
import type { Logger } from '../../common/log/logger.js';
import { isLoopbackHost } from '../../contracts/secure-url.js';
import {
  ENROLMENT_STATUSES,
  type Enrolment,
  type EnrolmentStatus,
  enrolmentRequestShape,
  isFinalEnrolmentStatus,
  isFinalStatus,
  MAX_WAIT_SECONDS,
  type Problem,
  paymentRequestShape,
  refundRequestShape,
  TERMINAL_BASE_PATH,
  TRANSACTION_STATUSES,
  type Transaction,
  type TransactionStatus,
} from '../../contracts/terminal-api.js';
import { type EnrolmentDesk, enrolmentNotFound } from './enrolment-desk.js';
import type { Pairing, PosPairings } from './pos-pairings.js';
import type { PosRefunds } from './pos-refunds.js';
import { problem } from './problems.js';
import { notFound, type TerminalBridge } from './terminal-bridge.js';
import type { TerminalClub } from './terminal-club.js';

// The terminal API on the store's LAN (contracts/terminal-api.yaml): HTTPS with the kiosk's own
// certificate, or plain HTTP on 127.0.0.1 only. Every call carries a paired POS's token; one without
// it, or with a wrong one, is refused and logged without the token. Its own listener: the screen's API
// stays on 127.0.0.1 and knows nothing of the POS.

export interface TerminalServerOptions {
  host: string;
  port: number;
  /** The kiosk's certificate; required unless `host` is a loopback address. */
  tls?: { key: string; cert: string };
  pairings: PosPairings;
  bridge: TerminalBridge;
  refunds: PosRefunds;
  club: TerminalClub;
  enrolments: EnrolmentDesk;
  logger: Logger;
}

/** What a long-poll follows: a payment (the bridge) or a club enrolment (the desk). */
interface Followed<T extends { status: S }, S extends string> {
  get(): T | undefined;
  watch(listener: (changed: T) => void): () => void;
  final(status: S): boolean;
}

const MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_WAIT_SECONDS = 30;
/** A comment on an idle event stream, so a proxy or a POS's socket timeout does not close it. */
const KEEP_ALIVE_MS = 15_000;

class Refused extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

export class TerminalServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly options: TerminalServerOptions) {}

  /** Listens; the URL a POS is given. */
  async start(): Promise<string> {
    const { host, port, tls } = this.options;
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => {
        this.options.logger.error('terminal API call failed', { error: String(error) });
        if (!res.headersSent)
          send(res, 500, problem(500, 'invalid-request', 'the terminal failed on this call'));
        else res.destroy();
      });
    };
    if (tls === undefined && !isLoopbackHost(host)) {
      throw new Error(`the terminal API on ${host} needs TLS: plain HTTP only on 127.0.0.1`);
    }
    const server = tls
      ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler)
      : createHttpServer(handler);
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    // A long-poll or an event stream outlives the default request timeouts.
    server.requestTimeout = 0;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    return `${tls ? 'https' : 'http'}://${shown.includes(':') ? `[${shown}]` : shown}:${address.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://terminal');
    if (!url.pathname.startsWith(`${TERMINAL_BASE_PATH}/`)) {
      send(res, 404, problem(404, 'not-found', `the terminal API is under ${TERMINAL_BASE_PATH}/`));
      return;
    }
    const pairing = this.paired(req, url.pathname);
    if (pairing === undefined) {
      res.setHeader('www-authenticate', 'Bearer realm="vipps-kiosk terminal"');
      send(
        res,
        401,
        problem(
          401,
          'unauthorized',
          'this POS is not paired with the terminal: pair it with `vipps-kiosk pos pair`',
        ),
      );
      return;
    }
    const path = url.pathname.slice(TERMINAL_BASE_PATH.length).split('/').map(decodeURIComponent);
    try {
      await this.route(req, res, path, url.searchParams, pairing.posId);
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      send(res, error.problem.status, error.problem);
    }
  }

  private paired(req: IncomingMessage, path: string): Pairing | undefined {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer ([0-9a-f]{64})$/i.exec(header)?.[1];
    const pairing = token === undefined ? undefined : this.options.pairings.verify(token.toLowerCase());
    if (pairing !== undefined) return pairing;
    this.options.logger.warn('terminal API call refused: not a paired POS', {
      method: req.method ?? '',
      path,
      from: req.socket.remoteAddress ?? '',
      token: header === '' ? 'none' : 'not a paired one',
    });
    return undefined;
  }

  // path is ['', 'payments', id, ...]
  private async route(
    req: IncomingMessage,
    res: ServerResponse,
    path: string[],
    query: URLSearchParams,
    posId: string,
  ) {
    const { bridge, refunds, club, enrolments } = this.options;
    const [, collection, id, action, item, ...rest] = path;
    const method = req.method ?? 'GET';
    // club/enrolments[/{enrolmentId}[/abort]]
    if (collection === 'club' && id === 'enrolments') {
      await this.enrolment(req, res, method, action, path.slice(4), query);
      return;
    }
    if (rest.length > 0) throw new Refused(problem(404, 'not-found', 'no such path in the terminal API'));
    if (collection === 'payments' && id !== undefined && action === 'refunds' && item !== undefined) {
      if (method !== 'GET') throw new Refused(problem(404, 'not-found', `no ${method} of a refund`));
      const refund = refunds.get(id, item);
      if (refund === undefined) {
        throw new Refused(problem(404, 'not-found', `no refund ${item} of transaction ${id} was asked for`));
      }
      send(res, 200, refund);
      return;
    }
    if (item !== undefined) throw new Refused(problem(404, 'not-found', 'no such path in the terminal API'));
    if (collection === 'payments' && id === undefined && method === 'POST') {
      const request = await parsed(req, paymentRequestShape);
      // A club enrolment on the customer display: no payment until it ends (a repeat is answered as ever).
      const enrolling = enrolments.running();
      if (enrolling !== undefined && bridge.get(request.posTransactionId) === undefined) {
        throw new Refused(enrolments.busy()!);
      }
      const result = bridge.pay(request);
      if ('problem' in result) throw new Refused(result.problem);
      send(res, result.created ? 201 : 200, result.transaction);
      return;
    }
    if (collection === 'payments' && id !== undefined && action === undefined && method === 'GET') {
      const transaction = bridge.get(id);
      if (transaction === undefined) throw new Refused(notFound(id));
      const from = query.get('waitForChangeFrom');
      if (from === null) send(res, 200, transaction);
      else {
        const followed: Followed<Transaction, TransactionStatus> = {
          get: () => bridge.get(id),
          watch: (listener) => bridge.watch(id, listener),
          final: isFinalStatus,
        };
        const status = statusParam(from, TRANSACTION_STATUSES);
        send(res, 200, await this.waitForChange(req, transaction, status, waitSeconds(query), followed));
      }
      return;
    }
    if (collection === 'payments' && id !== undefined && action === 'events' && method === 'GET') {
      this.stream(req, res, id);
      return;
    }
    if (collection === 'payments' && id !== undefined && action === 'abort' && method === 'POST') {
      const result = bridge.abort(id);
      if ('problem' in result) throw new Refused(result.problem);
      send(res, 202, result.transaction);
      return;
    }
    if (collection === 'payments' && id !== undefined && action === 'refunds' && method === 'POST') {
      const result = await refunds.refund(id, await parsed(req, refundRequestShape), posId);
      if ('problem' in result) throw new Refused(result.problem);
      send(res, result.created ? 201 : 200, result.refund);
      return;
    }
    if (collection === 'club' && id === 'members' && action !== undefined && method === 'GET') {
      const result = await club.member(action);
      if ('problem' in result) throw new Refused(result.problem);
      send(res, 200, result.answer);
      return;
    }
    throw new Refused(problem(404, 'not-found', `no ${method} ${path.join('/')} in the terminal API`));
  }

  private async enrolment(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    id: string | undefined,
    rest: string[],
    query: URLSearchParams,
  ): Promise<void> {
    const { enrolments } = this.options;
    const [action, ...more] = rest;
    if (id === undefined && method === 'POST') {
      const result = await enrolments.enrol(await parsed(req, enrolmentRequestShape));
      if ('problem' in result) throw new Refused(result.problem);
      send(res, result.created ? 201 : 200, result.enrolment);
      return;
    }
    if (id !== undefined && action === undefined && method === 'GET') {
      const enrolment = enrolments.get(id);
      if (enrolment === undefined) throw new Refused(enrolmentNotFound(id));
      const from = query.get('waitForChangeFrom');
      if (from === null) {
        send(res, 200, enrolment);
        return;
      }
      const followed: Followed<Enrolment, EnrolmentStatus> = {
        get: () => enrolments.get(id),
        watch: (listener) => enrolments.watch(id, listener),
        final: isFinalEnrolmentStatus,
      };
      const status = statusParam(from, ENROLMENT_STATUSES);
      send(res, 200, await this.waitForChange(req, enrolment, status, waitSeconds(query), followed));
      return;
    }
    if (id !== undefined && action === 'abort' && more.length === 0 && method === 'POST') {
      const result = enrolments.abort(id);
      if ('problem' in result) throw new Refused(result.problem);
      send(res, 202, result.enrolment);
      return;
    }
    throw new Refused(
      problem(404, 'not-found', `no ${method} club/enrolments call like this in the terminal API`),
    );
  }

  /** Answers once the status is another than `from`, or when the wait is over (the snapshot either way). */
  private waitForChange<T extends { status: S }, S extends string>(
    req: IncomingMessage,
    current: T,
    from: S,
    seconds: number,
    followed: Followed<T, S>,
  ): Promise<T> {
    if (current.status !== from || followed.final(current.status)) return Promise.resolve(current);
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        stopWatching();
        req.socket.off('close', finish);
        resolve(followed.get() ?? current);
      };
      const timer = setTimeout(finish, seconds * 1000);
      const stopWatching = followed.watch((changed) => {
        if (changed.status !== from) finish();
      });
      req.socket.once('close', finish);
    });
  }

  private stream(req: IncomingMessage, res: ServerResponse, id: string): void {
    const { bridge } = this.options;
    const transaction = bridge.get(id);
    if (transaction === undefined) throw new Refused(notFound(id));
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const write = (snapshot: Transaction) => {
      res.write(`event: transaction\ndata: ${JSON.stringify(snapshot)}\n\n`);
      if (isFinalStatus(snapshot.status)) close();
    };
    const keepAlive = setInterval(() => res.write(': still here\n\n'), KEEP_ALIVE_MS);
    const stopWatching = bridge.watch(id, write);
    const close = () => {
      clearInterval(keepAlive);
      stopWatching();
      res.end();
    };
    req.socket.once('close', close);
    write(transaction);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** The body as the schema takes it; 400 for what is not JSON, 422 naming the first field at fault. */
async function parsed<T extends z.ZodType>(req: IncomingMessage, shape: T): Promise<z.infer<T>> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > MAX_BODY_BYTES) {
      throw new Refused(problem(413, 'invalid-request', `the body is over ${MAX_BODY_BYTES} bytes`));
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Refused(problem(400, 'invalid-request', 'the body is not JSON'));
  }
  const result = shape.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.');
  throw new Refused(
    problem(422, 'invalid-request', `${field === '' ? 'the body' : field}: ${issue.message}`, { field }),
  );
}

function statusParam<S extends string>(text: string, statuses: readonly S[]): S {
  if ((statuses as readonly string[]).includes(text)) return text as S;
  throw new Refused(
    problem(422, 'invalid-request', `waitForChangeFrom: expected one of ${statuses.join(', ')}`, {
      field: 'waitForChangeFrom',
    }),
  );
}

function waitSeconds(query: URLSearchParams): number {
  const text = query.get('timeoutSeconds');
  if (text === null) return DEFAULT_WAIT_SECONDS;
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_WAIT_SECONDS) {
    throw new Refused(
      problem(422, 'invalid-request', `timeoutSeconds: expected a whole number 1–${MAX_WAIT_SECONDS}`, {
        field: 'timeoutSeconds',
      }),
    );
  }
  return seconds;
}
