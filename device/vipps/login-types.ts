/** A merchant-initiated (CIBA) login the customer is asked to approve in the app. */
export interface LoginStart {
  readonly authReqId: string;
  readonly expiresInSeconds: number;
  /** Least number of seconds between token polls. */
  readonly intervalSeconds: number;
}

/** What one token poll found out; anything else (network, bad answer) is thrown as a typed error. */
export type LoginPoll =
  | { readonly kind: 'pending' }
  /** Polled too fast: wait 5 s more between polls from now on. */
  | { readonly kind: 'slow-down' }
  /** The customer said no in the app. */
  | { readonly kind: 'denied' }
  /** The request ran out before the customer answered. */
  | { readonly kind: 'expired' }
  /** Approved; the ID token's signature, issuer, audience and expiry have been checked. */
  | { readonly kind: 'approved'; readonly accessToken: string; readonly sub: string };

export interface LoginRequest {
  /** Digits with country code, 4712345678. */
  readonly msisdn: string;
  /** Space-separated, includes openid. */
  readonly scope: string;
  /** Shown in the app and large on the kiosk: ^[A-Z0-9-]{5,8}$. */
  readonly bindingMessage: string;
  readonly requestedExpirySeconds: number;
}

/** Userinfo: only the claims the consented scopes released. */
export interface UserInfo {
  readonly sub: string;
  readonly [claim: string]: unknown;
}

/** The Vipps Login calls the club enrolment makes. */
export interface VippsLogin {
  startLogin(request: LoginRequest): Promise<LoginStart>;
  pollToken(authReqId: string): Promise<LoginPoll>;
  userinfo(accessToken: string): Promise<UserInfo>;
}
