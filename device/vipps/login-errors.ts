import { VippsError, type VippsOperation } from './errors.js';

// Vipps Login failures, each with a message a field tech can act on. None of them carries a token, a
// secret or a phone number: messages name what was wrong, never the value.

/** The discovery document (or its key set) is missing, unreadable or names something we cannot use. */
export class LoginDiscoveryError extends VippsError {
  readonly kind = 'login';
  override readonly name = 'LoginDiscoveryError';

  constructor(operation: VippsOperation, problem: string) {
    super(operation, `Vipps Login is not usable: the ${operation.name} ${problem}`);
  }
}

/**
 * The ID token failed a check: bad signature, wrong issuer or audience, expired or issued in the future,
 * or signed with an algorithm discovery does not offer.
 */
export class IdTokenInvalidError extends VippsError {
  readonly kind = 'login';
  override readonly name = 'IdTokenInvalidError';
  readonly check: string;

  constructor(check: string, problem: string) {
    super(
      { name: 'Vipps Login ID token check' },
      `Vipps Login returned an ID token we cannot trust (${check}): ${problem}`,
    );
    this.check = check;
  }
}

export type LoginRefusal =
  /** Another login towards the same customer is running; try again after `retryAfterSeconds`. */
  | 'busy'
  /** No Vipps user that can log in here (no account, inactive, too young). */
  | 'invalid-user'
  /** The customer's app is too old for merchant-initiated login. */
  | 'old-app'
  /** The sales unit may not use merchant-initiated login (CIBA) at all. */
  | 'not-enabled'
  /** Anything else Vipps Login said no to, with its OAuth error code. */
  | 'other';

const EXPLAIN: Record<LoginRefusal, string> = {
  busy: 'a login request to this customer is already waiting in their app',
  'invalid-user':
    'this phone number has no Vipps user who can log in here (no account, inactive or too young)',
  'old-app': "the customer's Vipps app is too old for login requests from a shop; they must update it",
  'not-enabled':
    'this sales unit may not send login requests (merchant-initiated login, CIBA, is not enabled for it): ' +
    'ask Vipps MobilePay to enable it (accessuserinfo@vippsmobilepay.com), or set club.enabled to false',
  other: 'the request was refused',
};

/** Vipps Login answered and said no (OAuth `{error, error_description}`). */
export class LoginRefusedError extends VippsError {
  readonly kind = 'login';
  override readonly name = 'LoginRefusedError';
  readonly refusal: LoginRefusal;
  readonly status: number;
  /** The OAuth `error` (or Vipps' `error_code`) as sent, e.g. "invalid_user". */
  readonly error: string;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    operation: VippsOperation,
    details: {
      refusal: LoginRefusal;
      status: number;
      error: string;
      description?: string;
      retryAfterSeconds?: number;
    },
  ) {
    const said = details.description ? `: ${details.description}` : '';
    const retry =
      details.retryAfterSeconds === undefined ? '' : `; retry after ${details.retryAfterSeconds} s`;
    super(
      operation,
      `Vipps Login refused the ${operation.name}: ${EXPLAIN[details.refusal]} (HTTP ${details.status}, ${details.error}${said})${retry}`,
    );
    this.refusal = details.refusal;
    this.status = details.status;
    this.error = details.error;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/**
 * The login start got no answer (a timeout, a dropped connection, a 5xx): the request may be waiting in
 * the customer's app. It is not sent again on its own, since a second start would buzz the phone again
 * or meet Vipps' 429 "one waiting login per user". The kiosk can show the binding code; a later start
 * for the same customer either goes through (the first never arrived) or is refused as `busy` (it did).
 */
export class LoginMaybeSentError extends VippsError {
  readonly kind = 'login';
  override readonly name = 'LoginMaybeSentError';
  /** The code the customer sees in the app beside the request, if it arrived. */
  readonly bindingMessage: string;

  constructor(operation: VippsOperation, bindingMessage: string, reason: string, cause: unknown) {
    super(
      operation,
      `The Vipps Login request may have reached the customer's app (${reason}); it shows the code ${bindingMessage} there if so. It is not sent again: a second request would reach the phone twice`,
      { cause },
    );
    this.bindingMessage = bindingMessage;
  }
}

/**
 * The customer approved, but the answer carrying the tokens was lost, and Vipps hands tokens out once:
 * the approval cannot be collected. The enrolment did not happen; the customer must be told so.
 */
export class LoginTokensLostError extends VippsError {
  readonly kind = 'login';
  override readonly name = 'LoginTokensLostError';

  constructor(operation: VippsOperation) {
    super(
      operation,
      "The customer's Vipps Login approval was lost on the way back (the tokens were issued with an answer that never arrived, and Vipps issues them once); they are not a member yet and must join again",
    );
  }
}
