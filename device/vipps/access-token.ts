import type { AccessTokenResponse } from '../../contracts/vipps-types.js';
import { VippsApiError, VippsAuthError } from './errors.js';
import type { BearerTokenSource, VippsHttp } from './http.js';

export interface AccessTokenOptions {
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  /** Refresh this long before the stated expiry, so no call goes out with a token about to lapse. */
  refreshMarginMs: number;
  now?: () => number;
}

interface CachedToken {
  value: string;
  expiresAt: number;
}

/**
 * The merchant access token from `POST /accesstoken/get`: cached, refreshed ahead of expiry, and
 * fetched once for all callers that need it at the same moment.
 */
export class AccessTokenCache implements BearerTokenSource {
  private cached: CachedToken | undefined;
  private inFlight: Promise<CachedToken> | undefined;
  private readonly http: VippsHttp;
  private readonly options: AccessTokenOptions;

  constructor(http: VippsHttp, options: AccessTokenOptions) {
    this.http = http;
    this.options = options;
  }

  async get(): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached && now < this.cached.expiresAt - this.options.refreshMarginMs) return this.cached.value;
    this.inFlight ??= this.fetch().finally(() => {
      this.inFlight = undefined;
    });
    return (await this.inFlight).value;
  }

  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  private async fetch(): Promise<CachedToken> {
    const requestedAt = (this.options.now ?? Date.now)();
    let answer: AccessTokenResponse;
    try {
      answer = await this.http.send<AccessTokenResponse>({
        operation: { name: 'access token' },
        method: 'POST',
        path: '/accesstoken/get',
        timeoutMs: this.options.timeoutMs,
        mutating: false,
        extraHeaders: { client_id: this.options.clientId, client_secret: this.options.clientSecret },
      });
    } catch (error) {
      // The token service answers 400 for unknown clients; to a field tech that is a credentials problem.
      if (error instanceof VippsApiError && error.status === 400) {
        throw new VippsAuthError(
          error.operation,
          400,
          'the client id or client secret is not known to Vipps',
        );
      }
      throw error;
    }
    const lifetimeSeconds = Number(answer?.expires_in);
    if (
      typeof answer?.access_token !== 'string' ||
      !answer.access_token ||
      !Number.isFinite(lifetimeSeconds)
    ) {
      throw new VippsAuthError(
        { name: 'access token' },
        200,
        'the token service answered without a usable token',
      );
    }
    // Counted from when we asked, not when the answer arrived, so a slow answer cannot stretch it.
    this.cached = { value: answer.access_token, expiresAt: requestedAt + lifetimeSeconds * 1000 };
    return this.cached;
  }
}
