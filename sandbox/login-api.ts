// Vipps Login, merchant-initiated (CIBA) as the kiosk uses it (API.md §6): discovery, the key set, the
// backchannel authentication request, token polling and userinfo. Errors are OAuth `{error, error_description}`
// (userinfo: `{type, title, status, detail}`), the Login shapes, not ePayment's problem+json.
// No subscription key on Login: it takes the client's credentials; userinfo takes the customer's token and
// accepts the subscription key its spec requires.

import { sameSecret } from './auth.js';
import type { SandboxContext } from './context.js';
import { header, json, type Reply, ReplyError, type SandboxRequest } from './http.js';
import { signRs256 } from './login-keys.js';
import {
  ACCESS_TOKEN_SECONDS,
  CONSENT_IDS,
  CONSENT_TEXT,
  type LoginGrant,
  type LoginRecord,
} from './logins.js';

const ACCESS = '/access-management-1.0/access';
export const LOGIN_PATHS = {
  discovery: `${ACCESS}/.well-known/openid-configuration`,
  jwks: `${ACCESS}/.well-known/jwks.json`,
  token: `${ACCESS}/oauth2/token`,
  backchannel: '/vipps-login-ciba/api/backchannel/authentication',
  userinfo: '/vipps-userinfo-api/userinfo',
} as const;

const CIBA_GRANT = 'urn:openid:params:grant-type:ciba';
const SCOPES = ['openid', 'name', 'phoneNumber', 'email', 'address', 'birthDate', 'delegatedConsents'];
const BINDING_MESSAGE = /^[A-Z0-9-]{5,8}$/;
const LOGIN_HINT = /^urn:msisdn:(\d{10,15})$/;
const ID_TOKEN_SECONDS = 300;

function oauthError(status: number, error: string, description: string, extra: object = {}): ReplyError {
  return new ReplyError(json(status, { error, error_description: description, ...extra }));
}

export function serveLogin(context: SandboxContext, request: SandboxRequest): Reply | undefined {
  // The gateway matches paths regardless of case; every path here is lower case.
  const route = `${request.method} ${request.path.toLowerCase()}`;
  switch (route) {
    case `GET ${LOGIN_PATHS.discovery}`:
      return json(200, discoveryDocument(request), { 'cache-control': 'public, max-age=3600' });
    case `GET ${LOGIN_PATHS.jwks}`:
      return json(200, context.loginKeySet);
    case `POST ${LOGIN_PATHS.backchannel}`:
      return startLogin(context, request);
    case `POST ${LOGIN_PATHS.token}`:
      return pollToken(context, request);
    case `GET ${LOGIN_PATHS.userinfo}`:
      return userinfo(context, request);
  }
  return undefined;
}

/** Endpoints on the host the client used, so the issuer is what the client reached. */
function originOf(request: SandboxRequest): string {
  const host = header(request, 'host');
  if (host === undefined) throw oauthError(400, 'invalid_request', 'The Host header is required.');
  return `http://${host}`;
}

function issuerOf(request: SandboxRequest): string {
  return `${originOf(request)}${ACCESS}/`;
}

function discoveryDocument(request: SandboxRequest) {
  const origin = originOf(request);
  return {
    issuer: issuerOf(request),
    authorization_endpoint: `${origin}${ACCESS}/oauth2/auth`,
    token_endpoint: `${origin}${LOGIN_PATHS.token}`,
    userinfo_endpoint: `${origin}${LOGIN_PATHS.userinfo}`,
    jwks_uri: `${origin}${LOGIN_PATHS.jwks}`,
    backchannel_authentication_endpoint: `${origin}${LOGIN_PATHS.backchannel}`,
    backchannel_token_delivery_modes_supported: ['poll'],
    backchannel_user_code_parameter_supported: false,
    grant_types_supported: ['authorization_code', CIBA_GRANT],
    response_types_supported: ['code'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: SCOPES,
    claims_supported: ['sub', 'name', 'given_name', 'family_name', 'phone_number', 'email', 'email_verified'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  };
}

/** A form body read strictly: the right media type, each parameter at most once, none we do not know. */
function readForm(request: SandboxRequest, known: readonly string[]): Map<string, string> {
  const mediaType = (header(request, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/x-www-form-urlencoded') {
    throw oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded.');
  }
  const form = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(request.rawBody.toString('utf8'))) {
    if (form.has(name)) throw oauthError(400, 'invalid_request', `Parameter ${name} is repeated.`);
    if (!known.includes(name))
      throw oauthError(400, 'invalid_request', `Parameter ${name} is not supported.`);
    form.set(name, value);
  }
  return form;
}

/**
 * Client authentication exactly as the sales unit is set up (API.md §6.2): the other method fails like
 * wrong credentials would, and both at once is a malformed request (RFC 6749 §2.3).
 */
function authenticateClient(
  context: SandboxContext,
  request: SandboxRequest,
  form: Map<string, string>,
): void {
  if (header(request, 'ocp-apim-subscription-key') !== undefined) {
    throw oauthError(400, 'invalid_request', 'Vipps Login takes no Ocp-Apim-Subscription-Key.');
  }
  const authorization = header(request, 'authorization');
  const inForm = form.has('client_id') || form.has('client_secret');
  if (authorization !== undefined && inForm) {
    throw oauthError(400, 'invalid_request', 'Use one client authentication method, not two.');
  }
  const method = context.loginClientAuth;
  const given =
    method === 'client_secret_post'
      ? { id: form.get('client_id'), secret: form.get('client_secret') }
      : fromBasic(authorization);
  const { clientId, clientSecret } = context.credentials;
  if (given.id !== clientId || !sameSecret(given.secret, clientSecret)) {
    const challenge =
      method === 'client_secret_basic' ? { 'www-authenticate': 'Basic realm="vipps-login"' } : undefined;
    const body = { error: 'invalid_client', error_description: `Client authentication failed (${method}).` };
    throw new ReplyError(json(401, body, challenge));
  }
}

function fromBasic(authorization: string | undefined): { id?: string; secret?: string } {
  const encoded = /^Basic ([A-Za-z0-9+/=]+)$/.exec(authorization ?? '')?.[1];
  const decoded = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? {} : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

const CLIENT_PARAMS = ['client_id', 'client_secret'];

function startLogin(context: SandboxContext, request: SandboxRequest): Reply {
  const form = readForm(request, [
    'scope',
    'login_hint',
    'binding_message',
    'requested_expiry',
    'state',
    'nonce',
    ...CLIENT_PARAMS,
  ]);
  authenticateClient(context, request, form);
  const asked = (form.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
  if (!asked.includes('openid')) throw oauthError(400, 'invalid_scope', 'The scope must include openid.');
  // Scopes outside the sales unit's plan are dropped silently, as Vipps does (API.md §6.3).
  const scopes = [...new Set(asked.filter((scope) => SCOPES.includes(scope)))];
  const msisdn = LOGIN_HINT.exec(form.get('login_hint') ?? '')?.[1];
  if (msisdn === undefined) {
    throw oauthError(400, 'invalid_request', 'login_hint must be urn:msisdn: followed by the MSISDN.');
  }
  const bindingMessage = form.get('binding_message') ?? null;
  if (bindingMessage !== null && !BINDING_MESSAGE.test(bindingMessage)) {
    throw oauthError(400, 'invalid_binding_message', `binding_message must match ${BINDING_MESSAGE.source}.`);
  }
  const expiryText = form.get('requested_expiry');
  const expirySeconds = expiryText === undefined ? 600 : Number(expiryText);
  if (!/^\d+$/.test(expiryText ?? '600') || expirySeconds < 60 || expirySeconds > 900) {
    throw oauthError(400, 'invalid_request', 'requested_expiry must be whole seconds from 60 to 900.');
  }
  const switched = context.logins.takeRefusal(msisdn);
  if (switched?.answer === 'old_app') {
    throw oauthError(
      400,
      'invalid_request',
      "The user's app is too old for this login; ask them to update it.",
      {
        error_code: 'old_app',
      },
    );
  }
  if (switched?.answer === 'invalid_user' || context.customers.byMsisdn(msisdn) === undefined) {
    throw oauthError(400, 'unknown_user_id', 'No user can log in with this phone number.', {
      error_code: 'invalid_user',
    });
  }
  const waiting = context.logins.waitingFor(msisdn);
  if (switched !== undefined || waiting !== undefined) {
    const retryAfter =
      switched?.retryAfterSeconds ??
      Math.max(1, Math.ceil(((waiting?.expiresAt ?? 0) - context.clock.now()) / 1000));
    return json(
      429,
      { error: 'too_many_requests', error_description: 'A login request to this user is already waiting.' },
      { 'retry-after': String(retryAfter) },
    );
  }
  const login = context.logins.start({
    clientId: context.credentials.clientId,
    msisdn,
    scopes,
    bindingMessage,
    expirySeconds,
  });
  return json(200, {
    auth_req_id: login.authReqId,
    expires_in: expirySeconds,
    interval: login.intervalSeconds,
  });
}

function pollToken(context: SandboxContext, request: SandboxRequest): Reply {
  const form = readForm(request, ['grant_type', 'auth_req_id', ...CLIENT_PARAMS]);
  authenticateClient(context, request, form);
  if (form.get('grant_type') !== CIBA_GRANT) {
    throw oauthError(400, 'unsupported_grant_type', `grant_type must be ${CIBA_GRANT}.`);
  }
  const login = context.logins.get(form.get('auth_req_id') ?? '');
  if (login === undefined || login.clientId !== context.credentials.clientId) {
    throw oauthError(400, 'invalid_grant', 'Unknown auth_req_id.');
  }
  const now = context.clock.now();
  if (now - login.lastPolledAt < login.intervalSeconds * 1000) {
    login.lastPolledAt = now;
    login.intervalSeconds += 5;
    throw oauthError(400, 'slow_down', `Polled faster than every ${login.intervalSeconds - 5} s.`);
  }
  login.lastPolledAt = now;
  switch (context.logins.stateOf(login)) {
    case 'COMPLETED':
      throw oauthError(400, 'invalid_grant', 'The tokens for this auth_req_id were already issued.');
    case 'EXPIRED':
      throw oauthError(400, 'expired_token', 'The login request expired before it was completed.');
    case 'DENIED':
      throw oauthError(400, 'access_denied', 'The user declined the login request.');
    case 'PENDING':
      throw oauthError(400, 'authorization_pending', 'The user has not answered yet.');
    case 'APPROVED':
      return json(200, issueTokens(context, request, login));
  }
}

function issueTokens(context: SandboxContext, request: SandboxRequest, login: LoginRecord) {
  const customer = context.customers.byMsisdn(login.msisdn);
  if (customer === undefined) throw oauthError(400, 'invalid_grant', 'The user no longer exists.');
  const iat = Math.floor(context.clock.now() / 1000);
  const idToken = signRs256(context.loginKey, {
    iss: issuerOf(request),
    aud: login.clientId,
    sub: customer.sub,
    iat,
    exp: iat + ID_TOKEN_SECONDS,
    auth_time: Math.floor((login.decidedAt ?? context.clock.now()) / 1000),
    msn: context.credentials.merchantSerialNumber,
  });
  return {
    access_token: context.logins.grant(login),
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_SECONDS,
    scope: login.scopes.join(' '),
    id_token: idToken,
  };
}

function userinfoError(status: number, detail: string): ReplyError {
  const title = status === 401 ? 'Unauthorized' : 'Bad Request';
  return new ReplyError(json(status, { type: `https://httpstatuses.io/${status}`, title, status, detail }));
}

function userinfo(context: SandboxContext, request: SandboxRequest): Reply {
  // The Login docs send no subscription key, the userinfo spec requires one: both are accepted, and a key
  // that is sent must be the sales unit's.
  const subscriptionKey = header(request, 'ocp-apim-subscription-key');
  if (subscriptionKey !== undefined && !sameSecret(subscriptionKey, context.credentials.subscriptionKey)) {
    throw userinfoError(401, 'The Ocp-Apim-Subscription-Key is not valid.');
  }
  const token = /^Bearer (\S+)$/.exec(header(request, 'authorization') ?? '')?.[1];
  const grant = token === undefined ? undefined : context.logins.grantFor(token);
  if (grant === undefined) throw userinfoError(401, 'The access token is missing, invalid or expired.');
  return json(200, claimsOf(context, grant));
}

/** Only what the granted scopes release (API.md §6.5). */
function claimsOf(context: SandboxContext, grant: LoginGrant): Record<string, unknown> {
  const customer = context.customers.byMsisdn(grant.msisdn);
  if (customer === undefined) throw userinfoError(401, 'The user no longer exists.');
  const has = (scope: string) => grant.scopes.includes(scope);
  const [givenName = '', ...family] = customer.name.split(' ');
  const address = customer.address;
  return {
    sub: customer.sub,
    ...(has('name') && { name: customer.name, given_name: givenName, family_name: family.join(' ') }),
    ...(has('phoneNumber') && { phone_number: customer.msisdn }),
    ...(has('email') && { email: customer.email, email_verified: true }),
    ...(has('address') && {
      address: {
        ...address,
        formatted: `${address.street_address}\n${address.postal_code} ${address.region}`,
        address_type: 'home',
      },
      other_addresses: [],
    }),
    ...(has('birthDate') && { birthdate: customer.birthdate }),
    ...(has('delegatedConsents') && { delegatedConsents: delegatedConsents(grant) }),
  };
}

function delegatedConsents(grant: LoginGrant) {
  return {
    language: 'en',
    heading: 'Join the customer club',
    text: 'Choose what the store may send you.',
    termsDescription: 'By joining you accept the club terms.',
    confirmConsentButtonText: 'Join',
    links: {
      termsLinkText: 'Club terms',
      termsLinkUrl: 'https://example.com/club/terms',
      privacyStatementLinkText: 'Privacy statement',
      privacyStatementLinkUrl: 'https://example.com/club/privacy',
    },
    timeOfConsent: new Date(grant.consentedAt).toISOString(),
    consents: CONSENT_IDS.map((id) => ({
      id,
      accepted: grant.acceptedConsents.includes(id),
      required: false,
      textDisplayedToUser: CONSENT_TEXT[id],
    })),
  };
}
