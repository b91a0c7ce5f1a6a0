import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VippsClient } from '../../device/vipps/client.js';
import { VippsAuthError, VippsRequestInvalidError } from '../../device/vipps/errors.js';
import { DISCOVERY_PATH } from '../../device/vipps/login-discovery.js';
import {
  IdTokenInvalidError,
  LoginDiscoveryError,
  LoginMaybeSentError,
  LoginRefusedError,
} from '../../device/vipps/login-errors.js';
import type { LoginRequest } from '../../device/vipps/login-types.js';
import {
  generateSigningKey,
  publishKeySet,
  type SigningKey,
  signingInput,
  signRs256,
} from '../../sandbox/login-keys.js';
import { type Scripted, ScriptedServer, type Seen } from '../support/scripted-server.js';
import { SHORT_TIMEOUTS, testClient } from '../support/vipps-client.js';

// Vipps Login as a hostile or broken server might answer it: a scripted server on loopback plays
// discovery, the key set and the token endpoint, and each test bends one thing.

const credentials = {
  clientId: 'kiosk-client',
  clientSecret: 'kiosk-secret-not-real',
  subscriptionKey: 'sub-key-not-for-login',
  merchantSerialNumber: '123456',
};
const request: LoginRequest = {
  msisdn: '4791234567',
  scope: 'openid name phoneNumber',
  bindingMessage: 'KIOSK-07',
  requestedExpirySeconds: 180,
};
const [keyA, keyB] = await Promise.all([generateSigningKey(), generateSigningKey()]);

describe('Vipps Login client against a scripted server', () => {
  let server: ScriptedServer;
  let base: string;
  let client: VippsClient;
  let published: SigningKey[];
  let discovery: Record<string, unknown>;
  let discoveryHeaders: Record<string, string>;
  let tokenAnswer: () => Scripted;
  let nowMs: number;

  const issuer = () => `${base}/access-management-1.0/access/`;
  const claims = (overrides: Record<string, unknown> = {}) => ({
    iss: issuer(),
    aud: credentials.clientId,
    sub: 'c06c4afe-d9e1-4c5d-939a-177d752a0944',
    iat: Math.floor(nowMs / 1000),
    exp: Math.floor(nowMs / 1000) + 300,
    ...overrides,
  });
  const tokenWith = (idToken: string): Scripted => ({
    status: 200,
    body: { access_token: 'ciba.token', token_type: 'Bearer', expires_in: 300, id_token: idToken },
  });
  const seenAt = (path: string) => server.seen.filter((s) => s.path === path);

  beforeEach(async () => {
    nowMs = Date.now();
    server = new ScriptedServer();
    base = await server.start();
    published = [keyA];
    discoveryHeaders = { 'cache-control': 'public, max-age=3600' };
    discovery = {
      issuer: issuer(),
      backchannel_authentication_endpoint: `${base}/vipps-login-ciba/api/backchannel/authentication`,
      token_endpoint: `${base}/access-management-1.0/access/oauth2/token`,
      userinfo_endpoint: `${base}/vipps-userinfo-api/userinfo`,
      jwks_uri: `${base}/access-management-1.0/access/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    };
    tokenAnswer = () => tokenWith(signRs256(keyA, claims()));
    server.otherwise((seen: Seen): Scripted => {
      const path = new URL(seen.path, base).pathname;
      if (path === DISCOVERY_PATH) return { status: 200, body: discovery, headers: discoveryHeaders };
      if (path.endsWith('/jwks.json')) return { status: 200, body: publishKeySet(published) };
      if (path.endsWith('/oauth2/token')) return tokenAnswer();
      if (path.endsWith('/backchannel/authentication')) {
        return { status: 200, body: { auth_req_id: 'req-1', expires_in: 180, interval: 5 } };
      }
      if (path.endsWith('/userinfo')) return { status: 200, body: { sub: claims().sub, name: 'Kari' } };
      return { status: 404, body: {} };
    });
    client = testClient(base, credentials, { now: () => nowMs });
  });
  afterEach(async () => {
    await client.stop();
    await server.stop();
  });

  const rejection = async (token: string): Promise<IdTokenInvalidError> => {
    tokenAnswer = () => tokenWith(token);
    const error = await client.login.pollToken('req-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdTokenInvalidError);
    return error as IdTokenInvalidError;
  };

  it('accepts a well-signed ID token and returns its sub', async () => {
    expect(await client.login.pollToken('req-1')).toEqual({
      kind: 'approved',
      accessToken: 'ciba.token',
      sub: claims().sub,
    });
  });

  it('refuses a token signed by another key under the published kid', async () => {
    const input = signingInput({ alg: 'RS256', kid: keyA.kid }, claims());
    const forged = signRs256(keyB, claims()).split('.')[2];
    expect((await rejection(`${input}.${forged}`)).check).toBe('signature');
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [head, , signature] = signRs256(keyA, claims()).split('.');
    const payload = Buffer.from(JSON.stringify(claims({ sub: 'someone-else' }))).toString('base64url');
    expect((await rejection(`${head}.${payload}.${signature}`)).check).toBe('signature');
  });

  it.each([
    ['expired', { exp: Math.floor(Date.now() / 1000) - 120 }, 'exp'],
    ['without expiry', { exp: undefined }, 'exp'],
    ['for another client', { aud: ['someone-else'] }, 'aud'],
    ['from another issuer', { iss: 'https://evil.example/access-management-1.0/access/' }, 'iss'],
    ['without a subject', { sub: '' }, 'sub'],
  ])('refuses a token %s', async (_, overrides, check) => {
    expect((await rejection(signRs256(keyA, claims(overrides)))).check).toBe(check);
  });

  it('accepts an audience list that holds the client id, and a small clock skew', async () => {
    const token = signRs256(keyA, claims({ aud: ['other', credentials.clientId], exp: nowMs / 1000 - 30 }));
    tokenAnswer = () => tokenWith(token);
    expect(await client.login.pollToken('req-1')).toMatchObject({ kind: 'approved' });
  });

  it('refuses alg none and an HS256 token keyed with the public key', async () => {
    const none = `${signingInput({ alg: 'none', kid: keyA.kid }, claims())}.`;
    expect((await rejection(`${none}AA`)).check).toBe('alg');
    const hsInput = signingInput({ alg: 'HS256', kid: keyA.kid }, claims());
    const secret = keyA.publicKey.export({ format: 'pem', type: 'spki' });
    const hs = createHmac('sha256', secret).update(hsInput).digest('base64url');
    expect((await rejection(`${hsInput}.${hs}`)).check).toBe('alg');
  });

  it('fetches the key set again when Vipps signs with a new key, at most once a minute', async () => {
    const jwks = () => seenAt('/access-management-1.0/access/.well-known/jwks.json');
    expect(await client.login.pollToken('req-1')).toMatchObject({ kind: 'approved' });
    nowMs += 61_000;
    published = [keyB];
    tokenAnswer = () => tokenWith(signRs256(keyB, claims()));
    expect(await client.login.pollToken('req-1')).toMatchObject({ kind: 'approved' });
    expect(jwks()).toHaveLength(2);

    // Unknown key ids within the minute (forged tokens, say) do not make the kiosk hammer Vipps.
    const stranger = await generateSigningKey();
    expect((await rejection(signRs256(stranger, claims()))).check).toBe('kid');
    expect((await rejection(signRs256(stranger, claims()))).check).toBe('kid');
    expect(jwks()).toHaveLength(2);
    nowMs += 61_000;
    expect((await rejection(signRs256(stranger, claims()))).check).toBe('kid');
    expect(jwks()).toHaveLength(3);
  });

  it('takes the ID token algorithm from discovery: ES256 when Vipps says so, and then not RS256', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecKid = 'ec-1';
    discovery['id_token_signing_alg_values_supported'] = ['ES256'];
    published = [];
    const ecSet = {
      keys: [{ ...ec.publicKey.export({ format: 'jwk' }), kid: ecKid, use: 'sig', alg: 'ES256' }],
    };
    server.enqueue({ status: 200, body: discovery, headers: discoveryHeaders }, tokenWith(signEs256()));
    server.otherwise((seen: Seen): Scripted => {
      const path = new URL(seen.path, base).pathname;
      if (path.endsWith('/jwks.json')) return { status: 200, body: ecSet };
      return tokenAnswer();
    });
    function signEs256(overrides: Record<string, unknown> = {}) {
      const input = signingInput({ alg: 'ES256', typ: 'JWT', kid: ecKid }, claims(overrides));
      const signature = sign('sha256', Buffer.from(input), { key: ec.privateKey, dsaEncoding: 'ieee-p1363' });
      return `${input}.${signature.toString('base64url')}`;
    }
    expect(await client.login.pollToken('req-1')).toMatchObject({ kind: 'approved', sub: claims().sub });
    // Discovery does not offer RS256 any more: a token signed so is refused, whatever its key.
    expect((await rejection(signRs256(keyA, claims()))).check).toBe('alg');
  });

  it('refuses a discovery document that offers only none or HS256', async () => {
    discovery['id_token_signing_alg_values_supported'] = ['none', 'HS256'];
    const error = await client.login.pollToken('req-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginDiscoveryError);
    expect((error as Error).message).toMatch(/no ID token algorithm the kiosk can verify/);
  });

  it('refuses an ID token issued in the future beyond the clock skew, and accepts one within it', async () => {
    const now = Math.floor(nowMs / 1000);
    expect((await rejection(signRs256(keyA, claims({ iat: now + 600 })))).check).toBe('iat');
    tokenAnswer = () => tokenWith(signRs256(keyA, claims({ iat: now + 30 })));
    expect(await client.login.pollToken('req-1')).toMatchObject({ kind: 'approved' });
  });

  it('caps the Retry-After of a busy customer at the longest a login can wait', async () => {
    server.enqueue(
      { status: 200, body: discovery, headers: discoveryHeaders },
      { status: 429, body: { error: 'too_many_requests' }, headers: { 'retry-after': '86400' } },
    );
    const error = await client.login.startLogin(request).catch((e: unknown) => e);
    expect(error).toMatchObject({ refusal: 'busy', retryAfterSeconds: 900 });
  });

  it('sends the login start once, with its own timeout, and says it may have been sent', async () => {
    server.enqueue({ status: 200, body: discovery, headers: discoveryHeaders }, { status: 200, hang: true });
    await client.stop();
    client = testClient(base, credentials, {
      now: () => nowMs,
      timeouts: { ...SHORT_TIMEOUTS, readMs: 100, loginStartMs: 400 },
    });
    const error = await client.login.startLogin(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginMaybeSentError);
    // The start's own budget, not the 100 ms of a read.
    expect(((error as Error).cause as Error).message).toMatch(/no answer within 400 ms/);
    expect(seenAt('/vipps-login-ciba/api/backchannel/authentication')).toHaveLength(1);
  });

  it('caches discovery for its max-age and then reads it again', async () => {
    discoveryHeaders = { 'cache-control': 'max-age=60' };
    await client.login.pollToken('req-1');
    await client.login.pollToken('req-1');
    expect(seenAt(DISCOVERY_PATH)).toHaveLength(1);
    nowMs += 61_000;
    tokenAnswer = () => tokenWith(signRs256(keyA, claims()));
    await client.login.pollToken('req-1');
    expect(seenAt(DISCOVERY_PATH)).toHaveLength(2);
  });

  it.each([
    [
      'lacks the token endpoint',
      (d: Record<string, unknown>) => delete d['token_endpoint'],
      /token_endpoint/,
    ],
    [
      'sends the secret to another host',
      (d: Record<string, unknown>) => {
        d['token_endpoint'] = 'https://evil.example/token';
      },
      /token at another host/,
    ],
    [
      'offers no RS256',
      (d: Record<string, unknown>) => {
        d['id_token_signing_alg_values_supported'] = ['HS256'];
      },
      /RS256/,
    ],
    [
      'does not take our client authentication',
      (d: Record<string, unknown>) => {
        d['token_endpoint_auth_methods_supported'] = ['private_key_jwt'];
      },
      /client_secret_basic.*club\.clientAuth/,
    ],
  ])('refuses a discovery document that %s', async (_, bend, message) => {
    bend(discovery);
    const error = await client.login.startLogin(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginDiscoveryError);
    expect((error as Error).message).toMatch(message);
    expect(seenAt('/vipps-login-ciba/api/backchannel/authentication')).toHaveLength(0);
    expect(server.seen.some((s) => s.path === '/token')).toBe(false);
  });

  it.each([
    [
      'answers HTML',
      { status: 200, body: '<html>portal</html>', headers: { 'content-type': 'text/html' } },
      /not JSON/,
    ],
    [
      'is not there',
      { status: 404, body: { error: 'not_found' } },
      /refused \(HTTP 404\).*vipps\.environment/,
    ],
  ])('says so clearly when the discovery document %s', async (_, answer, message) => {
    server.enqueue(answer);
    const error = await client.login.pollToken('req-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginDiscoveryError);
    expect((error as Error).message).toMatch(message);
  });

  it('retries a 429 from the token endpoint instead of calling the customer busy', async () => {
    server.enqueue(
      { status: 200, body: discovery, headers: discoveryHeaders },
      { status: 429, body: { error: 'too_many_requests' }, headers: { 'retry-after': '0' } },
    );
    expect(await client.login.pollToken('req-1')).toMatchObject({ kind: 'approved' });
    expect(seenAt('/access-management-1.0/access/oauth2/token')).toHaveLength(2);
  });

  it('maps 429, invalid_user, old_app and unauthorized_client to refusals a field tech can read', async () => {
    server.enqueue(
      { status: 200, body: discovery, headers: discoveryHeaders },
      { status: 429, body: { error: 'too_many_requests' }, headers: { 'retry-after': '30' } },
      { status: 400, body: { error: 'unknown_user_id', error_code: 'invalid_user' } },
      { status: 400, body: { error: 'invalid_request', error_code: 'old_app', error_description: 'update' } },
      { status: 400, body: { error: 'unauthorized_client' } },
    );
    const refusals = [];
    for (let i = 0; i < 4; i++)
      refusals.push(await client.login.startLogin(request).catch((e: unknown) => e));
    expect(refusals.map((e) => (e as LoginRefusedError).refusal)).toEqual([
      'busy',
      'invalid-user',
      'old-app',
      'not-enabled',
    ]);
    expect((refusals[3] as Error).message).toMatch(
      /CIBA, is not enabled for it.*accessuserinfo@vippsmobilepay.com/,
    );
    expect(refusals[0]).toBeInstanceOf(LoginRefusedError);
    expect(refusals[0]).toMatchObject({ status: 429, retryAfterSeconds: 30 });
    expect((refusals[1] as Error).message).toMatch(/no Vipps user/);
    // One attempt each: a 429 here means "a login is already waiting", not "retry at once".
    expect(seenAt('/vipps-login-ciba/api/backchannel/authentication')).toHaveLength(4);
  });

  it('says a refused client secret is a credentials problem', async () => {
    server.enqueue(
      { status: 200, body: discovery, headers: discoveryHeaders },
      { status: 401, body: { error: 'invalid_client' } },
    );
    const error = await client.login.startLogin(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsAuthError);
    expect((error as Error).message).toMatch(/club\.clientAuth/);
  });

  it('refuses to send what Vipps would refuse, before any call', async () => {
    for (const bad of [
      { msisdn: '+4791234567' },
      { scope: 'name phoneNumber' },
      { bindingMessage: 'kiosk 7' },
      { requestedExpirySeconds: 30 },
    ]) {
      await expect(client.login.startLogin({ ...request, ...bad })).rejects.toBeInstanceOf(
        VippsRequestInvalidError,
      );
    }
    expect(server.seen).toHaveLength(0);
  });

  it('sends the MSN and system headers on Login and userinfo calls, and the userinfo key only if set', async () => {
    await client.login.startLogin(request);
    await client.login.userinfo('ciba.token');
    const identity = {
      'merchant-serial-number': '123456',
      'vipps-system-name': 'vipps-kiosk',
      'vipps-system-version': 'test',
      'vipps-system-plugin-name': 'vipps-kiosk-rpi',
      'vipps-system-plugin-version': 'test',
    };
    for (const seen of [
      ...seenAt(DISCOVERY_PATH),
      ...seenAt('/vipps-login-ciba/api/backchannel/authentication'),
      ...seenAt('/vipps-userinfo-api/userinfo'),
    ]) {
      expect(seen.headers, seen.path).toMatchObject(identity);
      expect(seen.headers['ocp-apim-subscription-key'], seen.path).toBeUndefined();
    }

    await client.stop();
    client = testClient(base, credentials, { now: () => nowMs, userinfoSubscriptionKey: true });
    await client.login.userinfo('ciba.token');
    expect(seenAt('/vipps-userinfo-api/userinfo').at(-1)!.headers).toMatchObject({
      ...identity,
      'ocp-apim-subscription-key': credentials.subscriptionKey,
      authorization: 'Bearer ciba.token',
    });
  });

  it('sends the form with Basic auth, no subscription key, and userinfo with the bearer token', async () => {
    await client.login.startLogin(request);
    const [start] = seenAt('/vipps-login-ciba/api/backchannel/authentication');
    expect(start!.headers['authorization']).toBe(
      `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
    );
    expect(start!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(start!.headers['ocp-apim-subscription-key']).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(start!.body))).toEqual({
      scope: request.scope,
      login_hint: 'urn:msisdn:4791234567',
      binding_message: 'KIOSK-07',
      requested_expiry: '180',
    });

    expect(await client.login.userinfo('ciba.token')).toEqual({ sub: claims().sub, name: 'Kari' });
    const [info] = seenAt('/vipps-userinfo-api/userinfo');
    expect(info!.headers['authorization']).toBe('Bearer ciba.token');
  });
});
