// Webhooks API v1 (API.md §5.1): register, list and delete the sales unit's webhooks; and the control
// routes under `/_sandbox/webhooks` that tests use to point a registered host at a local receiver and to
// compress the retry schedule.

import { isIP } from 'node:net';
import { authorizeCall, MSN_PATTERN } from './auth.js';
import type { SandboxContext } from './context.js';
import {
  decodePathSegment,
  header,
  json,
  parseJsonBody,
  type Reply,
  ReplyError,
  type SandboxRequest,
} from './http.js';
import { type Issue, integer, list, object, oneOf, optional, refine, required, text } from './json-shape.js';
import { invalidRequest, ProblemError, renderProblem } from './problem.js';
import { systemHeaderIssues } from './vipps-headers.js';
import { EPAYMENT_EVENT_TYPES, MAX_REGISTRATIONS_PER_EVENT } from './webhooks.js';

const WEBHOOKS_PATH = '/webhooks/v1/webhooks';
const ONE_WEBHOOK = /^\/webhooks\/v1\/webhooks\/([^/]+)$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const registerShape = object({
  url: required(refine(text({ minLength: 1 }), (value, field) => urlIssue(value, field))),
  events: required(list(oneOf(Object.values(EPAYMENT_EVENT_TYPES)), { minItems: 1 })),
});

/** Vipps delivers only over HTTPS to a world-reachable host, and never follows a redirect there. */
function urlIssue(value: string, field: string): Issue | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { field, reason: 'must be an absolute URL' };
  }
  if (url.protocol !== 'https:') return { field, reason: 'must use HTTPS' };
  if (url.username !== '' || url.password !== '') return { field, reason: 'must not carry credentials' };
  if (url.hash !== '') return { field, reason: 'must not have a #fragment' };
  if (!worldReachable(url.hostname)) return { field, reason: 'must be a world-reachable host' };
  return undefined;
}

function worldReachable(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || (!host.includes('.') && isIP(host) === 0))
    return false;
  if (isIP(host) === 4)
    return !/^(127\.|10\.|0\.|169\.254\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(host);
  if (isIP(host) === 6) return !/^(::1?$|f[cd]|fe80)/.test(host);
  return true;
}

/** Answers a Webhooks API call, or undefined when the path is not one. */
export function serveWebhooksApi(context: SandboxContext, request: SandboxRequest): Reply | undefined {
  const one = ONE_WEBHOOK.exec(request.path);
  const known =
    (request.path.toLowerCase() === WEBHOOKS_PATH &&
      (request.method === 'GET' || request.method === 'POST')) ||
    (one !== null && request.method === 'DELETE');
  if (!known) return undefined;
  authorizeCall(context, request);
  try {
    checkHeaders(context, request);
    if (one !== null) return deleteWebhook(context, decodePathSegment(one[1] ?? ''));
    if (request.method === 'GET') return json(200, { webhooks: context.webhooks.list().map(publicView) });
    return register(context, request);
  } catch (error) {
    if (error instanceof ProblemError) return renderProblem(error, request.path);
    throw error;
  }
}

/** Merchant-Serial-Number is optional here (partners leave it out); when sent it must be ours. */
function checkHeaders(context: SandboxContext, request: SandboxRequest): void {
  const issues = systemHeaderIssues(request);
  const msn = header(request, 'Merchant-Serial-Number');
  if (msn !== undefined && !MSN_PATTERN.test(msn))
    issues.push({ field: 'Merchant-Serial-Number', reason: `must match ${MSN_PATTERN.source}` });
  if (issues.length > 0) throw invalidRequest(issues);
  if (msn !== undefined && context.salesUnits.get(msn) === undefined)
    throw new ProblemError(403, 'Forbidden', `These API keys may not act for Merchant-Serial-Number ${msn}.`);
}

function register(context: SandboxContext, request: SandboxRequest): Reply {
  const body = parseJsonBody(request);
  if (body.kind !== 'json')
    throw invalidRequest([{ field: 'body', reason: body.kind === 'empty' ? 'is required' : body.reason }]);
  const issues: Issue[] = [];
  const accepted = registerShape.read(body.value, '', issues);
  if (accepted === undefined) throw invalidRequest(issues);
  const events = [...new Set(accepted.events)];
  const full = events.filter((event) => context.webhooks.countFor(event) >= MAX_REGISTRATIONS_PER_EVENT);
  if (full.length > 0)
    throw invalidRequest(
      full.map((event) => ({
        field: 'events',
        reason: `${event} has ${MAX_REGISTRATIONS_PER_EVENT} webhooks already`,
      })),
    );
  const { id, secret } = context.webhooks.register(accepted.url, events);
  return json(201, { id, secret });
}

function deleteWebhook(context: SandboxContext, id: string): Reply {
  if (!UUID.test(id)) throw invalidRequest([{ field: 'id', reason: 'must be a UUID' }]);
  if (!context.webhooks.delete(id)) throw new ProblemError(404, 'Not Found', `No webhook with id ${id}.`);
  return { status: 204 };
}

function publicView({ id, url, events }: { id: string; url: string; events: readonly string[] }) {
  return { id, url, events };
}

const controlShape = object({
  routes: optional(
    list(
      object({
        host: required(text({ minLength: 1 })),
        origin: required(text({ pattern: /^https?:\/\/[^/]+\/?$/ })),
      }),
    ),
  ),
  retryMs: optional(list(integer({ min: 0 }))),
  retryDate: optional(oneOf(['attempt', 'original'])),
});

/**
 * `GET /_sandbox/webhooks`: registrations (without secrets), routes, the retry schedule and every
 * delivery attempt. `POST /_sandbox/webhooks {routes?: [{host, origin}], retryMs?: [..], retryDate?}`:
 * where a registered host is reached (the stand-in for DNS and the TLS proxy in front of a receiver), the
 * delays between attempts, and whether a retry is signed with its own time or the first attempt's
 * x-ms-date. Undefined for any other path.
 */
export function serveWebhookControl(context: SandboxContext, request: SandboxRequest): Reply | undefined {
  if (request.path !== '/_sandbox/webhooks') return undefined;
  if (request.method === 'GET') return json(200, context.webhooks.describe());
  if (request.method !== 'POST') throw new ReplyError(json(405, { error: 'GET or POST' }));
  const body = parseJsonBody(request);
  if (body.kind === 'invalid') throw new ReplyError(json(400, { error: body.reason }));
  const issues: Issue[] = [];
  const change = controlShape.read(body.kind === 'json' ? body.value : {}, '', issues);
  if (change === undefined) throw new ReplyError(json(400, { error: 'invalid request body', issues }));
  for (const { host, origin } of change.routes ?? []) context.webhooks.route(host, origin);
  if (change.retryMs !== undefined) context.webhooks.setRetrySchedule(change.retryMs);
  if (change.retryDate !== undefined) context.webhooks.setRetryDate(change.retryDate);
  return json(200, context.webhooks.describe());
}
