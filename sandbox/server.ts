// The HTTP server: sends `/_sandbox/...` to the control API, `/phone` to the phone page, and everything else
// to the Vipps stand-in — the only part that fault injection touches.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { issueAccessToken } from './auth.js';
import type { SandboxContext } from './context.js';
import { serveControl } from './control-api.js';
import { checkControlCaller } from './control-origin.js';
import { serveEpayment } from './epayment-api.js';
import type { FaultAction, FaultPhase } from './faults.js';
import { json, type Reply, ReplyError, readBody, type SandboxRequest, send } from './http.js';
import { serveLogin } from './login-api.js';
import { serveQrImage } from './payment-qr.js';
import { servePhonePage } from './phone-page.js';
import { codedProblem, ProblemError, renderProblem } from './problem.js';
import { serveQrExchange } from './qr-exchange.js';
import { serveReportApi } from './report-api.js';
import { serveWebhookControl, serveWebhooksApi } from './webhooks-api.js';

export interface SandboxServer {
  readonly server: Server;
  close(): Promise<void>;
}

export function createSandboxServer(context: SandboxContext): SandboxServer {
  // Aborted on close, so a request sleeping through injected latency stops instead of holding the process.
  const shutdown = new AbortController();
  const server = createServer((incoming, response) => {
    handle(context, shutdown.signal, incoming, response).catch((error: unknown) => {
      if (shutdown.signal.aborted) return;
      if (!response.headersSent) send(response, json(500, { error: `sandbox failure: ${String(error)}` }));
    });
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        shutdown.abort();
        context.webhooks.clear();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Keep-alive sockets and hung requests would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

async function handle(
  context: SandboxContext,
  shutdown: AbortSignal,
  incoming: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  let rawBody: Buffer;
  try {
    rawBody = await readBody(incoming);
  } catch (error) {
    if (!(error instanceof ReplyError)) throw error;
    send(response, error.reply);
    return;
  }
  const url = new URL(incoming.url ?? '/', 'http://sandbox.invalid');
  const request: SandboxRequest = {
    method: incoming.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: incoming.headers,
    rawBody,
  };
  if (request.path.startsWith('/_sandbox/')) {
    send(
      response,
      replyOf(() => {
        checkControlCaller(request);
        return serveWebhookControl(context, request) ?? serveControl(context, request);
      }),
    );
  } else if (request.path === '/phone' && request.method === 'GET') {
    send(response, servePhonePage());
  } else if (request.path.startsWith('/qr-image/')) {
    send(
      response,
      (await serveQrImage(context.payments, request)) ?? json(404, { error: 'no such QR picture' }),
    );
  } else {
    await serveVipps(context, shutdown, request, response);
  }
}

async function serveVipps(
  context: SandboxContext,
  shutdown: AbortSignal,
  request: SandboxRequest,
  response: ServerResponse,
): Promise<void> {
  const { faults } = context;
  if (faults.latency() > 0) await delay(faults.latency(), undefined, { signal: shutdown });
  const before = faults.take('before', request.method, request.path);
  if (before !== undefined) return enact(before, 'before', request, response);
  const reply = replyOf(() => answerVipps(context, request));
  const after = faults.take('after', request.method, request.path);
  if (after !== undefined) return enact(after, 'after', request, response);
  send(response, reply);
}

function answerVipps(context: SandboxContext, request: SandboxRequest): Reply {
  if (request.path.toLowerCase() === '/accesstoken/get' && request.method === 'POST') {
    return issueAccessToken(context, request);
  }
  const reply =
    serveLogin(context, request) ??
    serveQrExchange(context, request) ??
    serveEpayment(context, request) ??
    serveReportApi(context, request) ??
    serveWebhooksApi(context, request);
  // An unknown operation is turned away by the gateway before any API sees it.
  return reply ?? json(404, { statusCode: 404, message: 'Resource not found' });
}

function replyOf(produce: () => Reply): Reply {
  try {
    return produce();
  } catch (error) {
    if (error instanceof ReplyError) return error.reply;
    throw error;
  }
}

function enact(
  fault: FaultAction,
  phase: FaultPhase,
  request: SandboxRequest,
  response: ServerResponse,
): void {
  switch (fault.kind) {
    case 'reset':
      response.destroy();
      return;
    case 'hang':
      // Never answered: the client's timeout, or closing the sandbox, ends it.
      return;
    case 'status': {
      const detail =
        fault.detail ??
        (phase === 'before'
          ? 'Injected by a sandbox fault rule; the request was not processed.'
          : 'Injected by a sandbox fault rule after the request was processed; only the answer was lost.');
      const headers = fault.status === 429 ? { 'retry-after': String(fault.retryAfterSeconds) } : undefined;
      const problem =
        fault.code === undefined
          ? new ProblemError(fault.status, 'Injected fault', detail, [], { headers })
          : codedProblem(fault.code, fault.status, detail, headers);
      send(response, renderProblem(problem, request.path));
    }
  }
}
