import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { VippsApiError, type VippsOperation, VippsUnavailableError } from './errors.js';
import type { VippsHttp } from './http.js';
import { headerValue } from './http.js';
import { VERIFIABLE_ALGORITHMS } from './id-token.js';
import { LoginDiscoveryError } from './login-errors.js';

/** The only Vipps Login path the kiosk knows; every other endpoint is read from this document. */
export const DISCOVERY_PATH = '/access-management-1.0/access/.well-known/openid-configuration';

export type ClientAuth = 'client_secret_basic' | 'client_secret_post';

/** What the kiosk uses from the OpenID configuration. */
export interface LoginEndpoints {
  readonly issuer: string;
  readonly backchannelAuthentication: string;
  readonly token: string;
  readonly userinfo: string;
  readonly jwks: string;
  /** The ID token algorithms Vipps offers that the kiosk can verify; never `none` or HMAC. */
  readonly idTokenAlgorithms: readonly string[];
}

const DEFAULT_MAX_AGE_SECONDS = 3600;
/**
 * An unknown key id fetches the key set again at most this often: enough for a key rotation, while
 * tokens with made-up key ids cannot make the kiosk call Vipps for each of them.
 */
export const KEY_REFETCH_MIN_INTERVAL_MS = 60_000;

const discoveryShape = z.looseObject({
  issuer: z.string().min(1),
  backchannel_authentication_endpoint: z.url(),
  token_endpoint: z.url(),
  userinfo_endpoint: z.url(),
  jwks_uri: z.url(),
  id_token_signing_alg_values_supported: z.array(z.string()),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
});

const keySetShape = z.looseObject({
  keys: z.array(
    z.looseObject({
      kty: z.string(),
      kid: z.string().optional(),
      use: z.string().optional(),
      alg: z.string().optional(),
    }),
  ),
});

export interface LoginDiscoveryOptions {
  baseUrl: string;
  clientAuth: ClientAuth;
  timeoutMs: number;
  now: () => number;
}

interface PublishedKey {
  readonly key: KeyObject;
  /** The algorithm the key set restricts the key to, if it says. */
  readonly alg: string | undefined;
}

interface Cached<T> {
  readonly value: T;
  readonly expiresAt: number;
}

/**
 * The OpenID configuration and its signing keys, cached: the document as long as its Cache-Control
 * says (an hour if it says nothing), the keys until a token names a key id we do not hold.
 */
export class LoginDiscovery {
  private document: Cached<LoginEndpoints> | undefined;
  private documentInFlight: Promise<LoginEndpoints> | undefined;
  private keys: Map<string | undefined, PublishedKey> | undefined;
  private keysFetchedAt = 0;
  private readonly http: VippsHttp;
  private readonly options: LoginDiscoveryOptions;

  constructor(http: VippsHttp, options: LoginDiscoveryOptions) {
    this.http = http;
    this.options = options;
  }

  async endpoints(): Promise<LoginEndpoints> {
    if (this.document && this.options.now() < this.document.expiresAt) return this.document.value;
    this.documentInFlight ??= this.fetchDocument().finally(() => {
      this.documentInFlight = undefined;
    });
    return this.documentInFlight;
  }

  /**
   * The verification key with this id for this algorithm. An id we do not hold means Vipps may have
   * rotated its keys, so the set is fetched again, at most once a KEY_REFETCH_MIN_INTERVAL_MS; a token
   * without a kid is accepted only against a set of one key.
   */
  async signingKey(kid: string | undefined, alg: string): Promise<KeyObject | undefined> {
    const held = this.keys && pick(this.keys, kid, alg);
    if (held) return held;
    if (this.keys && this.options.now() - this.keysFetchedAt < KEY_REFETCH_MIN_INTERVAL_MS) return undefined;
    this.keysFetchedAt = this.options.now();
    this.keys = await this.fetchKeys();
    return pick(this.keys, kid, alg);
  }

  private async fetchDocument(): Promise<LoginEndpoints> {
    const operation = { name: 'Vipps Login discovery document' };
    const requestedAt = this.options.now();
    const answer = await this.http
      .sendForAnswer<unknown>({
        operation,
        method: 'GET',
        path: DISCOVERY_PATH,
        identify: 'merchant',
        timeoutMs: this.options.timeoutMs,
        mutating: false,
      })
      .catch((error: unknown) => {
        throw discoveryFailure(operation, error);
      });
    const parsed = discoveryShape.safeParse(answer.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.length ? issue.path.join('.') : 'the body';
      throw new LoginDiscoveryError(
        operation,
        `is not an OpenID configuration (${field}: ${issue?.message})`,
      );
    }
    const doc = parsed.data;
    const offered = doc.id_token_signing_alg_values_supported;
    const idTokenAlgorithms = offered.filter((alg) => Object.hasOwn(VERIFIABLE_ALGORITHMS, alg));
    if (idTokenAlgorithms.length === 0) {
      throw new LoginDiscoveryError(
        operation,
        `offers no ID token algorithm the kiosk can verify (it offers ${offered.join(', ') || 'none'}; the kiosk verifies ${Object.keys(VERIFIABLE_ALGORITHMS).join(', ')})`,
      );
    }
    const methods = doc.token_endpoint_auth_methods_supported;
    if (methods !== undefined && !methods.includes(this.options.clientAuth)) {
      throw new LoginDiscoveryError(
        operation,
        `does not accept ${this.options.clientAuth} (it offers ${methods.join(', ') || 'none'}); check club.clientAuth`,
      );
    }
    const endpoints: LoginEndpoints = {
      issuer: doc.issuer,
      backchannelAuthentication: doc.backchannel_authentication_endpoint,
      token: doc.token_endpoint,
      userinfo: doc.userinfo_endpoint,
      jwks: doc.jwks_uri,
      idTokenAlgorithms,
    };
    // The client secret goes to these endpoints: a document naming another host is not followed.
    const origin = new URL(this.options.baseUrl).origin;
    const urls = { ...endpoints, issuer: undefined, idTokenAlgorithms: undefined };
    for (const [name, url] of Object.entries(urls)) {
      if (url !== undefined && new URL(url).origin !== origin) {
        throw new LoginDiscoveryError(operation, `points ${name} at another host than ${origin}`);
      }
    }
    const maxAge = maxAgeSeconds(headerValue(answer.headers['cache-control']));
    this.document = { value: endpoints, expiresAt: requestedAt + maxAge * 1000 };
    return endpoints;
  }

  private async fetchKeys(): Promise<Map<string | undefined, PublishedKey>> {
    const operation = { name: 'Vipps Login key set' };
    const { jwks } = await this.endpoints();
    const body = await this.http.send<unknown>({
      operation,
      method: 'GET',
      path: jwks,
      identify: 'merchant',
      timeoutMs: this.options.timeoutMs,
      mutating: false,
    });
    const parsed = keySetShape.safeParse(body);
    if (!parsed.success) throw new LoginDiscoveryError(operation, 'is not a JSON Web Key Set');
    const keys = new Map<string | undefined, PublishedKey>();
    const kinds = new Set(Object.values(VERIFIABLE_ALGORITHMS).map((a) => a.kty));
    for (const jwk of parsed.data.keys) {
      if ((jwk.use ?? 'sig') !== 'sig' || !kinds.has(jwk.kty as never)) continue;
      if (jwk.alg !== undefined && !Object.hasOwn(VERIFIABLE_ALGORITHMS, jwk.alg)) continue;
      try {
        keys.set(jwk.kid, { key: createPublicKey({ key: jwk, format: 'jwk' }), alg: jwk.alg });
      } catch {
        // A malformed key cannot verify anything; the others still may.
      }
    }
    if (keys.size === 0) throw new LoginDiscoveryError(operation, 'holds no usable signing key');
    return keys;
  }
}

/** A refusal or a 2xx that is not JSON says the base URL or the sales unit's Login setup is wrong. */
function discoveryFailure(operation: VippsOperation, error: unknown): unknown {
  if (error instanceof VippsApiError) {
    return new LoginDiscoveryError(
      operation,
      `was refused (HTTP ${error.status}); check vipps.environment and that Vipps Login is enabled for the sales unit`,
    );
  }
  const status = error instanceof VippsUnavailableError ? error.lastStatus : undefined;
  if (status !== undefined && status >= 200 && status < 300) {
    return new LoginDiscoveryError(operation, `is not JSON (HTTP ${status})`);
  }
  return error;
}

function pick(
  keys: Map<string | undefined, PublishedKey>,
  kid: string | undefined,
  alg: string,
): KeyObject | undefined {
  const found = kid !== undefined ? keys.get(kid) : keys.size === 1 ? [...keys.values()][0] : undefined;
  // A key the set restricts to one algorithm is not used for another.
  return found && (found.alg === undefined || found.alg === alg) ? found.key : undefined;
}

function maxAgeSeconds(cacheControl: string | undefined): number {
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl ?? '');
  return match?.[1] === undefined ? DEFAULT_MAX_AGE_SECONDS : Number(match[1]);
}
