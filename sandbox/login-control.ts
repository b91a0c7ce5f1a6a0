// `/_sandbox/logins...`: the customer's side of a Vipps Login request, for tests and the phone page.

import type { SandboxContext } from './context.js';
import { iso, readControlBody, refuse } from './control-body.js';
import { decodePathSegment, json, type Reply, type SandboxRequest } from './http.js';
import { integer, list, object, oneOf, optional, required, text } from './json-shape.js';
import { CONSENT_IDS, CONSENT_TEXT, LOGIN_REFUSALS, type LoginRecord } from './logins.js';
import { CustomerActionRefused } from './payments.js';

const LOGIN_ACTION = /^\/_sandbox\/logins\/([^/]+)\/(approve|reject)$/;
const approveShape = object({ acceptedConsents: optional(list(oneOf(CONSENT_IDS))) });
const emptyShape = object({});

function loginView(context: SandboxContext, login: LoginRecord) {
  return {
    authReqId: login.authReqId,
    merchant: `Sales unit ${context.credentials.merchantSerialNumber}`,
    customer: login.msisdn,
    state: context.logins.stateOf(login),
    scopes: login.scopes,
    bindingMessage: login.bindingMessage,
    /** The merchant consents the app asks about (delegatedConsents), and which were accepted. */
    consentsOffered: login.scopes.includes('delegatedConsents')
      ? CONSENT_IDS.map((id) => ({ id, text: CONSENT_TEXT[id] }))
      : [],
    acceptedConsents: login.acceptedConsents,
    intervalSeconds: login.intervalSeconds,
    createdAt: iso(login.createdAt),
    expiresAt: iso(login.expiresAt),
    decidedAt: login.decidedAt === null ? null : iso(login.decidedAt),
  };
}

const refuseShape = object({
  msisdn: required(text({ pattern: /^\d{10,15}$/ })),
  answer: required(oneOf(LOGIN_REFUSALS)),
  count: optional(integer({ min: 1, max: 1000 })),
  retryAfter: optional(integer({ min: 0, max: 3600 })),
});

export function serveLoginControl(context: SandboxContext, request: SandboxRequest): Reply | undefined {
  if (request.method === 'POST' && request.path === '/_sandbox/logins/refuse') {
    const { msisdn, answer, count = 1, retryAfter = 30 } = readControlBody(request, refuseShape);
    context.logins.refuse(msisdn, { answer, count, retryAfterSeconds: retryAfter });
    return json(200, { msisdn, refusals: context.logins.refusalsFor(msisdn) });
  }
  if (request.method === 'GET' && request.path === '/_sandbox/logins') {
    const msisdn = request.query.get('msisdn');
    const logins = context.logins.list().filter((login) => msisdn === null || login.msisdn === msisdn);
    return json(
      200,
      logins.map((login) => loginView(context, login)),
    );
  }
  const action = request.method === 'POST' ? LOGIN_ACTION.exec(request.path) : null;
  if (action?.[1] === undefined) return undefined;
  const authReqId = decodePathSegment(action[1]);
  if (context.logins.get(authReqId) === undefined) throw refuse(404, `no login request ${authReqId}`);
  const perform = (): LoginRecord => {
    if (action[2] === 'approve') {
      const accepted = readControlBody(request, approveShape).acceptedConsents ?? [];
      return context.logins.approve(authReqId, accepted);
    }
    readControlBody(request, emptyShape);
    return context.logins.reject(authReqId);
  };
  try {
    return json(200, loginView(context, perform()));
  } catch (error) {
    if (error instanceof CustomerActionRefused) throw refuse(409, error.message);
    throw error;
  }
}
