import { z } from 'zod';
import type { Logger } from '../../common/log/logger.js';
import { maskMsisdn } from '../../common/log/mask.js';
import { checkAnswer } from './answer-shapes.js';
import {
  VippsAuthError,
  type VippsOperation,
  VippsRequestInvalidError,
  VippsUnavailableError,
} from './errors.js';
import type { VippsAnswer, VippsCall, VippsHttp } from './http.js';
import { headerValue } from './http.js';
import { verifyIdToken } from './id-token.js';
import { type ClientAuth, LoginDiscovery } from './login-discovery.js';
import {
  LoginMaybeSentError,
  type LoginRefusal,
  LoginRefusedError,
  LoginTokensLostError,
} from './login-errors.js';
import type { LoginPoll, LoginRequest, LoginStart, UserInfo, VippsLogin } from './login-types.js';
import { parseRetryAfterMs } from './retry.js';

export interface VippsLoginOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Must match the sales unit's setting in the business portal (config `club.clientAuth`). */
  clientAuth: ClientAuth;
  /** One discovery, token poll or userinfo request. */
  timeoutMs: number;
  /**
   * One login start: it is sent once (a second would reach the phone again), so it gets long enough for
   * a slow answer rather than a retry (config `vipps.timeouts.loginStartMs`, at least 15 s).
   */
  startTimeoutMs: number;
  /** Whether userinfo gets the sales unit's Ocp-Apim-Subscription-Key too; default no. */
  userinfoSubscriptionKey?: boolean;
  logger: Logger;
  now?: () => number;
  /** Tolerated clock difference when checking the ID token's expiry and issue time; default 60 s. */
  clockSkewSeconds?: number;
}

const CIBA_GRANT = 'urn:openid:params:grant-type:ciba';
const MSISDN = /^\d{10,15}$/;
const BINDING_MESSAGE = /^[A-Z0-9-]{5,8}$/;
/** Vipps' bounds on `requested_expiry`. */
const MIN_EXPIRY_SECONDS = 60;
const MAX_EXPIRY_SECONDS = 900;
/** Enough for the logins of one kiosk's customers at a time; more would only mean a leak. */
const MAX_UNANSWERED_POLLS = 16;
/** CIBA's default when the answer names no polling interval. */
const DEFAULT_INTERVAL_SECONDS = 5;

const startShape = z.looseObject({
  auth_req_id: z.string().min(1),
  expires_in: z.number().int().positive(),
  interval: z.number().int().positive().optional(),
});
const tokenShape = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  id_token: z.string().min(1),
});
const userinfoShape = z.looseObject({ sub: z.string().min(1) });

/** An OAuth error body; Vipps adds its own `error_code` to some (invalid_user, old_app). */
interface OAuthError {
  error?: unknown;
  error_code?: unknown;
  error_description?: unknown;
  title?: unknown;
}

/**
 * Vipps Login, merchant-initiated (CIBA): the customer gets a login request in the app, the kiosk polls
 * the token endpoint, and the approved login's ID token is verified before its `sub` is believed.
 */
export class VippsLoginApi implements VippsLogin {
  private readonly http: VippsHttp;
  private readonly options: VippsLoginOptions;
  private readonly discovery: LoginDiscovery;
  private readonly now: () => number;
  /**
   * Logins whose last token poll got no answer: the customer may have approved and the tokens gone with
   * it. Bounded; an entry leaves at the next answer for its login.
   */
  private readonly unansweredPolls = new Set<string>();

  constructor(http: VippsHttp, options: VippsLoginOptions) {
    this.http = http;
    this.options = options;
    this.now = options.now ?? Date.now;
    this.discovery = new LoginDiscovery(http, {
      baseUrl: options.baseUrl,
      clientAuth: options.clientAuth,
      timeoutMs: options.timeoutMs,
      now: this.now,
    });
  }

  async startLogin(request: LoginRequest): Promise<LoginStart> {
    const operation = { name: 'login request' };
    checkLoginRequest(operation, request);
    const { backchannelAuthentication } = await this.discovery.endpoints();
    const form = {
      scope: request.scope,
      login_hint: `urn:msisdn:${request.msisdn}`,
      binding_message: request.bindingMessage,
      requested_expiry: String(request.requestedExpirySeconds),
    };
    // A 429 here means "a login to this customer is already waiting", so it is read, not retried. The
    // start changes state at Vipps (the phone buzzes) and has no Idempotency-Key: it is sent once.
    const answer = await this.http
      .sendForAnswer<unknown>({
        ...this.clientCall(operation, backchannelAuthentication, form, [400, 401, 403, 429]),
        timeoutMs: this.options.startTimeoutMs,
      })
      .catch((error: unknown) => {
        if (error instanceof VippsUnavailableError && error.outcomeUnknown) {
          const reason = error.lastStatus === undefined ? 'no answer came back' : `HTTP ${error.lastStatus}`;
          throw new LoginMaybeSentError(operation, request.bindingMessage, reason, error);
        }
        throw error;
      });
    if (answer.status >= 300) throw this.refusal(operation, answer);
    const started = checkAnswer<z.infer<typeof startShape>>(startShape, answer.body, operation, false);
    this.options.logger.info('Vipps Login request sent to the customer', {
      customer: maskMsisdn(request.msisdn),
      expiresIn: started.expires_in,
    });
    return {
      authReqId: started.auth_req_id,
      expiresInSeconds: started.expires_in,
      intervalSeconds: started.interval ?? DEFAULT_INTERVAL_SECONDS,
    };
  }

  async pollToken(authReqId: string): Promise<LoginPoll> {
    const operation = { name: 'login token poll' };
    const endpoints = await this.discovery.endpoints();
    const answer = await this.http
      .sendForAnswer<unknown>(
        this.clientCall(
          operation,
          endpoints.token,
          { grant_type: CIBA_GRANT, auth_req_id: authReqId },
          [400, 401, 403],
        ),
      )
      .catch((error: unknown) => {
        if (error instanceof VippsUnavailableError && error.outcomeUnknown) this.noteUnanswered(authReqId);
        throw error;
      });
    const lostBefore = this.unansweredPolls.delete(authReqId);
    if (answer.status >= 300) {
      const body = answer.body as OAuthError;
      // Tokens are handed out once: "invalid grant" right after a poll that got no answer means that
      // answer carried them.
      if (body.error === 'invalid_grant' && lostBefore) throw new LoginTokensLostError(operation);
      switch (body.error) {
        case 'authorization_pending':
          return { kind: 'pending' };
        case 'slow_down':
          return { kind: 'slow-down' };
        case 'access_denied':
          return { kind: 'denied' };
        case 'expired_token':
          return { kind: 'expired' };
      }
      throw this.refusal(operation, answer);
    }
    const tokens = checkAnswer<z.infer<typeof tokenShape>>(tokenShape, answer.body, operation, false);
    const claims = await verifyIdToken(tokens.id_token, {
      issuer: endpoints.issuer,
      clientId: this.options.clientId,
      algorithms: endpoints.idTokenAlgorithms,
      nowMs: this.now(),
      skewSeconds: this.options.clockSkewSeconds ?? 60,
      keyFor: (kid, alg) => this.discovery.signingKey(kid, alg),
    });
    return { kind: 'approved', accessToken: tokens.access_token, sub: claims.sub };
  }

  async userinfo(accessToken: string): Promise<UserInfo> {
    const operation = { name: 'login userinfo' };
    const { userinfo } = await this.discovery.endpoints();
    const answer = await this.http.sendForAnswer<unknown>({
      operation,
      method: 'GET',
      path: userinfo,
      // The Login docs send no subscription key to userinfo, its spec marks it required (API.md §6.5,
      // §11): sent only where the sales unit is set up so (config `club.userinfoSubscriptionKey`).
      identify: this.options.userinfoSubscriptionKey ? 'sales-unit' : 'merchant',
      extraHeaders: { authorization: `Bearer ${accessToken}` },
      reads: [400, 401, 403],
      timeoutMs: this.options.timeoutMs,
      mutating: false,
    });
    if (answer.status >= 300) throw this.refusal(operation, answer);
    return checkAnswer<UserInfo>(userinfoShape, answer.body, operation, false);
  }

  private noteUnanswered(authReqId: string): void {
    if (this.unansweredPolls.size >= MAX_UNANSWERED_POLLS) {
      const oldest = this.unansweredPolls.values().next().value;
      if (oldest !== undefined) this.unansweredPolls.delete(oldest);
    }
    this.unansweredPolls.add(authReqId);
  }

  /** A form POST to a Login endpoint with the client authentication the sales unit is set up for. */
  private clientCall(
    operation: VippsOperation,
    url: string,
    form: Record<string, string>,
    reads: readonly number[],
  ): VippsCall {
    const { clientId, clientSecret, clientAuth } = this.options;
    const basic = clientAuth === 'client_secret_basic';
    return {
      operation,
      method: 'POST',
      path: url,
      identify: 'merchant',
      form: basic ? form : { ...form, client_id: clientId, client_secret: clientSecret },
      extraHeaders: basic
        ? { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` }
        : {},
      reads,
      timeoutMs: this.options.timeoutMs,
      // A start sends a request to the phone and a successful poll uses the tokens up: neither is a read.
      mutating: true,
    };
  }

  private refusal(operation: VippsOperation, answer: VippsAnswer<unknown>): Error {
    const body = answer.body as OAuthError;
    const error = [body.error_code, body.error, body.title].find((v) => typeof v === 'string') as
      | string
      | undefined;
    if (answer.status === 401 && (error === undefined || error === 'invalid_client')) {
      return new VippsAuthError(
        operation,
        401,
        'Vipps Login did not accept the client id and secret; check them, and that club.clientAuth matches the sales unit in the business portal',
      );
    }
    // No login waits longer than the longest expiry Vipps allows, so neither does a "busy".
    const asked = parseRetryAfterMs(headerValue(answer.headers['retry-after']), this.now());
    const retryAfterMs = asked === undefined ? undefined : Math.min(asked, MAX_EXPIRY_SECONDS * 1000);
    return new LoginRefusedError(operation, {
      refusal: refusalOf(answer.status, error),
      status: answer.status,
      error: error ?? `HTTP ${answer.status}`,
      description: typeof body.error_description === 'string' ? body.error_description : undefined,
      retryAfterSeconds: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
    });
  }
}

function refusalOf(status: number, error: string | undefined): LoginRefusal {
  if (status === 429) return 'busy';
  if (error === 'invalid_user' || error === 'unknown_user_id') return 'invalid-user';
  if (error === 'old_app') return 'old-app';
  if (error === 'unauthorized_client') return 'not-enabled';
  return 'other';
}

/** What Vipps would refuse is refused here, before a customer's phone buzzes. */
function checkLoginRequest(operation: VippsOperation, request: LoginRequest): void {
  const invalid = (field: string, problem: string, expected: string) =>
    new VippsRequestInvalidError(operation, field, problem, expected);
  if (!MSISDN.test(request.msisdn)) {
    throw invalid('msisdn', 'is not an MSISDN', 'digits with country code, e.g. 4712345678');
  }
  if (!request.scope.split(' ').includes('openid')) {
    throw invalid('scope', 'lacks openid', 'space-separated scopes including openid');
  }
  if (!BINDING_MESSAGE.test(request.bindingMessage)) {
    throw invalid('bindingMessage', 'has the wrong form', '5–8 of A–Z, 0–9 and -');
  }
  const expiry = request.requestedExpirySeconds;
  if (!Number.isInteger(expiry) || expiry < MIN_EXPIRY_SECONDS || expiry > MAX_EXPIRY_SECONDS) {
    throw invalid('requestedExpirySeconds', `is ${expiry}`, 'whole seconds from 60 to 900');
  }
}
