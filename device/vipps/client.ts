import type { Logger } from '../../common/log/logger.js';
import { AccessTokenCache } from './access-token.js';
import { EPaymentApi, type EPaymentTimeouts } from './epayment.js';
import { type CallSample, type SystemHeaders, VippsHttp } from './http.js';
import { VippsLoginApi } from './login.js';
import type { ClientAuth } from './login-discovery.js';
import { QrExchangeApi } from './qr-exchange.js';
import type { RetryPolicy } from './retry.js';
import { WebhooksApi } from './webhooks.js';

export interface VippsCredentials {
  clientId: string;
  clientSecret: string;
  subscriptionKey: string;
  merchantSerialNumber: string;
}

export interface VippsClientOptions {
  baseUrl: string;
  credentials: VippsCredentials;
  system: SystemHeaders;
  retry: RetryPolicy;
  /**
   * Vipps Login calls use readMs unless loginMs is given; a login start has its own, longer budget
   * (loginStartMs, default 20 s), being sent once.
   */
  timeouts: EPaymentTimeouts & {
    connectMs: number;
    tokenMs: number;
    qrMs: number;
    loginMs?: number;
    loginStartMs?: number;
  };
  /** How Vipps Login authenticates the kiosk (config `club.clientAuth`); default client_secret_basic. */
  clientAuth?: ClientAuth;
  /** Send the subscription key to Vipps Login's userinfo (config `club.userinfoSubscriptionKey`). */
  userinfoSubscriptionKey?: boolean;
  tokenRefreshMarginMs: number;
  logger: Logger;
  observe?: (sample: CallSample) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

const DEFAULT_LOGIN_START_MS = 20_000;

/** The kiosk's Vipps MobilePay client: one HTTP door, one token cache, the APIs built on them. */
export class VippsClient {
  readonly token: AccessTokenCache;
  readonly epayment: EPaymentApi;
  readonly qr: QrExchangeApi;
  readonly webhooks: WebhooksApi;
  readonly login: VippsLoginApi;
  private readonly http: VippsHttp;

  constructor(options: VippsClientOptions) {
    const { credentials, timeouts } = options;
    this.http = new VippsHttp({
      baseUrl: options.baseUrl,
      subscriptionKey: credentials.subscriptionKey,
      merchantSerialNumber: credentials.merchantSerialNumber,
      system: options.system,
      retry: options.retry,
      connectTimeoutMs: timeouts.connectMs,
      logger: options.logger,
      observe: options.observe,
      sleep: options.sleep,
      random: options.random,
      now: options.now,
    });
    this.token = new AccessTokenCache(this.http, {
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      timeoutMs: timeouts.tokenMs,
      refreshMarginMs: options.tokenRefreshMarginMs,
      now: options.now,
    });
    this.epayment = new EPaymentApi(this.http, this.token, timeouts);
    this.qr = new QrExchangeApi(this.http, this.token, timeouts.qrMs);
    this.webhooks = new WebhooksApi(this.http, this.token, timeouts.modifyMs);
    this.login = new VippsLoginApi(this.http, {
      baseUrl: options.baseUrl,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      clientAuth: options.clientAuth ?? 'client_secret_basic',
      userinfoSubscriptionKey: options.userinfoSubscriptionKey ?? false,
      timeoutMs: timeouts.loginMs ?? timeouts.readMs,
      startTimeoutMs: timeouts.loginStartMs ?? DEFAULT_LOGIN_START_MS,
      logger: options.logger,
      now: options.now,
    });
  }

  /** Closes the keep-alive connections; in-flight calls finish first. */
  stop(): Promise<void> {
    return this.http.close();
  }
}
