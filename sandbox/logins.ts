// Merchant-initiated Vipps Login requests (CIBA, API.md §6) and the access tokens they end in, on the sandbox
// clock: a request waits for the customer until it expires; the token endpoint hands out its tokens once.

import { randomBytes } from 'node:crypto';
import type { SandboxClock } from './clock.js';
import { CustomerActionRefused } from './payments.js';

/** The merchant consents `delegatedConsents` collects; all optional in the sandbox. */
export const CONSENT_IDS = ['email', 'sms', 'digital', 'personal'] as const;
export type ConsentId = (typeof CONSENT_IDS)[number];

/** What the app shows for each consent (its `textDisplayedToUser`). */
export const CONSENT_TEXT: Record<ConsentId, string> = {
  email: 'Offers and news by e-mail',
  sms: 'Offers and news by text message',
  digital: 'Offers in digital channels',
  personal: 'Offers tailored to what I buy',
};

/** How Vipps Login wants the client to authenticate, as set per sales unit in the portal. */
export type LoginClientAuth = 'client_secret_basic' | 'client_secret_post';

export type LoginState = 'PENDING' | 'APPROVED' | 'DENIED' | 'EXPIRED' | 'COMPLETED';

export interface LoginRecord {
  readonly authReqId: string;
  readonly clientId: string;
  readonly msisdn: string;
  readonly scopes: readonly string[];
  readonly bindingMessage: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** Least seconds between polls; grows by 5 with every `slow_down`. */
  intervalSeconds: number;
  /** The last poll, or the start: the first poll too must wait one interval. */
  lastPolledAt: number;
  decision: 'pending' | 'approved' | 'denied';
  decidedAt: number | null;
  acceptedConsents: readonly ConsentId[];
  tokenIssued: boolean;
}

export interface LoginGrant {
  readonly msisdn: string;
  readonly scopes: readonly string[];
  readonly acceptedConsents: readonly ConsentId[];
  readonly consentedAt: number;
  readonly expiresAt: number;
}

/**
 * What a switched login start answers for one customer: `old_app` (the app is too old), `invalid_user`
 * (no account, inactive, too young) or `429` (a login already waiting, with `Retry-After`).
 */
export const LOGIN_REFUSALS = ['old_app', 'invalid_user', '429'] as const;
export type LoginRefusalAnswer = (typeof LOGIN_REFUSALS)[number];

export interface LoginRefusal {
  readonly answer: LoginRefusalAnswer;
  /** Seconds for the 429's Retry-After. */
  readonly retryAfterSeconds: number;
  /** Starts left. */
  count: number;
}

export const POLL_INTERVAL_SECONDS = 5;
export const ACCESS_TOKEN_SECONDS = 300;

export class LoginBook {
  private readonly logins = new Map<string, LoginRecord>();
  private readonly grants = new Map<string, LoginGrant>();
  private readonly refusals = new Map<string, LoginRefusal[]>();

  constructor(private readonly clock: SandboxClock) {}

  start(request: {
    clientId: string;
    msisdn: string;
    scopes: readonly string[];
    bindingMessage: string | null;
    expirySeconds: number;
  }): LoginRecord {
    const now = this.clock.now();
    const record: LoginRecord = {
      ...request,
      authReqId: randomBytes(20).toString('base64url'),
      createdAt: now,
      expiresAt: now + request.expirySeconds * 1000,
      intervalSeconds: POLL_INTERVAL_SECONDS,
      lastPolledAt: now,
      decision: 'pending',
      decidedAt: null,
      acceptedConsents: [],
      tokenIssued: false,
    };
    this.logins.set(record.authReqId, record);
    return record;
  }

  get(authReqId: string): LoginRecord | undefined {
    return this.logins.get(authReqId);
  }

  list(): readonly LoginRecord[] {
    return [...this.logins.values()];
  }

  stateOf(login: LoginRecord): LoginState {
    if (login.tokenIssued) return 'COMPLETED';
    if (this.clock.now() >= login.expiresAt) return 'EXPIRED';
    if (login.decision === 'approved') return 'APPROVED';
    return login.decision === 'denied' ? 'DENIED' : 'PENDING';
  }

  /** The customer's request still waiting in the app, if any: Vipps allows one at a time per user. */
  waitingFor(msisdn: string): LoginRecord | undefined {
    return this.list().find((login) => login.msisdn === msisdn && this.stateOf(login) === 'PENDING');
  }

  approve(authReqId: string, acceptedConsents: readonly ConsentId[]): LoginRecord {
    const login = this.pending(authReqId, 'approved');
    login.decision = 'approved';
    login.decidedAt = this.clock.now();
    login.acceptedConsents = login.scopes.includes('delegatedConsents') ? acceptedConsents : [];
    return login;
  }

  reject(authReqId: string): LoginRecord {
    const login = this.pending(authReqId, 'rejected');
    login.decision = 'denied';
    login.decidedAt = this.clock.now();
    return login;
  }

  /** The approved login's access token, once; the request is used up. */
  grant(login: LoginRecord): string {
    login.tokenIssued = true;
    const token = `ciba.${randomBytes(32).toString('base64url')}`;
    this.grants.set(token, {
      msisdn: login.msisdn,
      scopes: login.scopes,
      acceptedConsents: login.acceptedConsents,
      consentedAt: login.decidedAt ?? this.clock.now(),
      expiresAt: this.clock.now() + ACCESS_TOKEN_SECONDS * 1000,
    });
    return token;
  }

  grantFor(token: string): LoginGrant | undefined {
    const grant = this.grants.get(token);
    return grant !== undefined && this.clock.now() < grant.expiresAt ? grant : undefined;
  }

  /** Switches the next `count` login starts towards `msisdn` to a refusal. */
  refuse(msisdn: string, refusal: LoginRefusal): void {
    this.refusals.set(msisdn, [...this.refusalsFor(msisdn), refusal]);
  }

  refusalsFor(msisdn: string): readonly LoginRefusal[] {
    return this.refusals.get(msisdn) ?? [];
  }

  /** The switched answer for this start, if any; using it counts against its `count`. */
  takeRefusal(msisdn: string): LoginRefusal | undefined {
    const [first, ...rest] = this.refusalsFor(msisdn);
    if (first === undefined) return undefined;
    first.count -= 1;
    this.refusals.set(msisdn, first.count > 0 ? [first, ...rest] : rest);
    return first;
  }

  clear(): void {
    this.logins.clear();
    this.grants.clear();
    this.refusals.clear();
  }

  private pending(authReqId: string, action: string): LoginRecord {
    const login = this.logins.get(authReqId);
    if (login === undefined) throw new CustomerActionRefused(`No login request ${authReqId}.`);
    const state = this.stateOf(login);
    if (state !== 'PENDING') {
      throw new CustomerActionRefused(
        `Login request ${authReqId} is ${state}; only a PENDING request can be ${action}.`,
      );
    }
    return login;
  }
}
