import { createPublicKey, type JsonWebKey, verify } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, SandboxClock, startSandbox } from '../../sandbox/index.js';
import { type Answer, asArray, asObject, type JsonObject, request } from './helpers.js';

// The sandbox's Vipps Login, one strictness rule at a time, over raw HTTP (no kiosk client in between).

const ACCESS = '/access-management-1.0/access';
const BACKCHANNEL = '/vipps-login-ciba/api/backchannel/authentication';
const TOKEN = `${ACCESS}/oauth2/token`;
const USERINFO = '/vipps-userinfo-api/userinfo';
const KARI = '4791234567';

describe('sandbox Vipps Login', () => {
  let sandbox: RunningSandbox;
  let clock: SandboxClock;

  beforeAll(async () => {
    clock = new SandboxClock();
    clock.setSpeed(0);
    sandbox = await startSandbox({ clock });
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    expect((await request(`${sandbox.url}/_sandbox/reset`, 'POST')).status).toBe(204);
  });

  const basic = () =>
    `Basic ${Buffer.from(`${sandbox.credentials.clientId}:${sandbox.credentials.clientSecret}`).toString('base64')}`;
  const post = (path: string, form: Record<string, string>, headers: Record<string, string | null> = {}) =>
    request(`${sandbox.url}${path}`, 'POST', {
      body: new URLSearchParams(form).toString(),
      headers: { Authorization: basic(), 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    });
  const startForm = (overrides: Record<string, string> = {}) => ({
    scope: 'openid name',
    login_hint: `urn:msisdn:${KARI}`,
    binding_message: 'KIOSK-07',
    requested_expiry: '120',
    ...overrides,
  });
  const start = (overrides: Record<string, string> = {}, headers: Record<string, string | null> = {}) =>
    post(BACKCHANNEL, startForm(overrides), headers);
  const started = async (overrides: Record<string, string> = {}): Promise<string> => {
    const answer = await start(overrides);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return String(asObject(answer.body)['auth_req_id']);
  };
  const poll = (authReqId: string) =>
    post(TOKEN, { grant_type: 'urn:openid:params:grant-type:ciba', auth_req_id: authReqId });
  const control = (path: string, body?: unknown) =>
    request(`${sandbox.url}/_sandbox${path}`, 'POST', {
      body,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    });
  const oauthError = (answer: Answer, status: number, error: string): JsonObject => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    const body = asObject(answer.body);
    expect(body['error']).toBe(error);
    expect(body['error_description']).toBeTypeOf('string');
    return body;
  };
  const wait = (seconds: number) => clock.advance(seconds * 1000);

  it('publishes discovery, cacheable for an hour, with every endpoint on its own host', async () => {
    const answer = await request(`${sandbox.url}${ACCESS}/.well-known/openid-configuration`, 'GET');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toMatch(/max-age=3600/);
    expect(answer.body).toMatchObject({
      issuer: `${sandbox.url}${ACCESS}/`,
      backchannel_authentication_endpoint: `${sandbox.url}${BACKCHANNEL}`,
      token_endpoint: `${sandbox.url}${TOKEN}`,
      userinfo_endpoint: `${sandbox.url}${USERINFO}`,
      jwks_uri: `${sandbox.url}${ACCESS}/.well-known/jwks.json`,
      backchannel_token_delivery_modes_supported: ['poll'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  it('signs the ID token with RS256 under the published key, with iss, aud, sub, iat and exp', async () => {
    const id = await started();
    expect((await control(`/logins/${id}/approve`)).status).toBe(200);
    wait(5);
    const tokens = asObject((await poll(id)).body);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    const [head, payload, signature] = String(tokens['id_token']).split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as JsonObject;
    expect(header['alg']).toBe('RS256');
    const jwks = asObject((await request(`${sandbox.url}${ACCESS}/.well-known/jwks.json`, 'GET')).body);
    const jwk = asArray(jwks['keys'])
      .map(asObject)
      .find((key) => key['kid'] === header['kid']);
    expect(jwk).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256' });
    expect(jwk).not.toHaveProperty('d');
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    expect(
      verify('RSA-SHA256', Buffer.from(`${head}.${payload}`), key, Buffer.from(signature, 'base64url')),
    ).toBe(true);
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as JsonObject;
    const now = Math.floor(clock.now() / 1000);
    expect(claims).toMatchObject({
      iss: `${sandbox.url}${ACCESS}/`,
      aud: sandbox.credentials.clientId,
      sub: sandbox.customers[0]!.sub,
      iat: now,
      exp: now + 300,
    });
  });

  describe('backchannel authentication refuses', () => {
    it('a missing or wrong client authentication', async () => {
      oauthError(await start({}, { Authorization: null }), 401, 'invalid_client');
      oauthError(await start({}, { Authorization: 'Basic d3Jvbmc6d3Jvbmc=' }), 401, 'invalid_client');
      const both = await start({ client_id: sandbox.credentials.clientId });
      oauthError(both, 400, 'invalid_request');
    });

    it('a subscription key, which Login does not take', async () => {
      const answer = await start({}, { 'Ocp-Apim-Subscription-Key': sandbox.credentials.subscriptionKey });
      oauthError(answer, 400, 'invalid_request');
    });

    it('a JSON body, an unknown parameter and a repeated one', async () => {
      oauthError(await start({}, { 'Content-Type': 'application/json' }), 400, 'invalid_request');
      oauthError(await start({ requested_flow: 'login_to_webpage' }), 400, 'invalid_request');
      const repeated = await request(`${sandbox.url}${BACKCHANNEL}`, 'POST', {
        body: `${new URLSearchParams(startForm())}&scope=openid`,
        headers: { Authorization: basic(), 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      oauthError(repeated, 400, 'invalid_request');
    });

    it.each([
      ['a scope without openid', { scope: 'name phoneNumber' }, 'invalid_scope'],
      ['the old urn:mobilenumber hint', { login_hint: 'urn:mobilenumber:91234567' }, 'invalid_request'],
      ['a lower-case binding message', { binding_message: 'kiosk-7' }, 'invalid_binding_message'],
      ['a binding message over 8 characters', { binding_message: 'KIOSK-007' }, 'invalid_binding_message'],
      ['a binding message under 5 characters', { binding_message: 'K-07' }, 'invalid_binding_message'],
      ['requested_expiry under 60', { requested_expiry: '59' }, 'invalid_request'],
      ['requested_expiry over 900', { requested_expiry: '901' }, 'invalid_request'],
      ['requested_expiry that is not whole seconds', { requested_expiry: '90.5' }, 'invalid_request'],
    ])('%s', async (_, overrides, error) => {
      oauthError(await start(overrides), 400, error);
    });

    it('an unknown phone number as invalid_user', async () => {
      const body = oauthError(await start({ login_hint: 'urn:msisdn:4799999999' }), 400, 'unknown_user_id');
      expect(body['error_code']).toBe('invalid_user');
    });

    it('a second login to the same user while one waits, until that one expires', async () => {
      await started({ requested_expiry: '120' });
      wait(20);
      const busy = await start();
      expect(busy.status).toBe(429);
      expect(busy.headers.get('retry-after')).toBe('100');
      expect(await started({ login_hint: 'urn:msisdn:4798765432' })).toBeTruthy();
      wait(100);
      expect(await started()).toBeTruthy();
    });
  });

  describe('token polling', () => {
    it('refuses another grant type and an unknown auth_req_id', async () => {
      const id = await started();
      wait(5);
      const wrong = await post(TOKEN, { grant_type: 'authorization_code', auth_req_id: id });
      oauthError(wrong, 400, 'unsupported_grant_type');
      oauthError(await poll('not-a-request'), 400, 'invalid_grant');
    });

    it('asks to slow down when polled faster than interval, and adds 5 s each time', async () => {
      const id = await started();
      wait(4);
      oauthError(await poll(id), 400, 'slow_down');
      wait(9);
      oauthError(await poll(id), 400, 'slow_down');
      wait(15);
      oauthError(await poll(id), 400, 'authorization_pending');
      wait(15);
      oauthError(await poll(id), 400, 'authorization_pending');
      const listed = asArray((await request(`${sandbox.url}/_sandbox/logins`, 'GET')).body).map(asObject);
      expect(listed[0]).toMatchObject({ intervalSeconds: 15, state: 'PENDING' });
    });

    it('answers access_denied after a reject and expired_token after expiry', async () => {
      const denied = await started();
      expect((await control(`/logins/${denied}/reject`)).status).toBe(200);
      wait(5);
      oauthError(await poll(denied), 400, 'access_denied');

      const expiring = await started({ login_hint: 'urn:msisdn:4798765432', requested_expiry: '60' });
      wait(60);
      oauthError(await poll(expiring), 400, 'expired_token');
      expect((await control(`/logins/${expiring}/approve`)).status).toBe(409);
    });

    it('hands out the tokens once, checking client authentication on every poll', async () => {
      const id = await started();
      await control(`/logins/${id}/approve`);
      wait(5);
      const unauthenticated = await post(
        TOKEN,
        { grant_type: 'urn:openid:params:grant-type:ciba', auth_req_id: id },
        { Authorization: null },
      );
      oauthError(unauthenticated, 401, 'invalid_client');
      wait(5);
      expect((await poll(id)).status).toBe(200);
      wait(5);
      oauthError(await poll(id), 400, 'invalid_grant');
    });
  });

  describe('userinfo', () => {
    const accessToken = async (scope: string): Promise<string> => {
      const id = await started({ scope });
      await control(`/logins/${id}/approve`);
      wait(5);
      return String(asObject((await poll(id)).body)['access_token']);
    };
    const userinfo = (token: string, headers: Record<string, string> = {}) =>
      request(`${sandbox.url}${USERINFO}`, 'GET', {
        headers: { Authorization: `Bearer ${token}`, ...headers },
      });

    it('gives only sub for openid alone', async () => {
      const answer = await userinfo(await accessToken('openid'));
      expect(answer.body).toEqual({ sub: sandbox.customers[0]!.sub });
    });

    it('refuses a lower-case bearer, a wrong subscription key and an expired token', async () => {
      const token = await accessToken('openid phoneNumber');
      const lower = await request(`${sandbox.url}${USERINFO}`, 'GET', {
        headers: { Authorization: `bearer ${token}` },
      });
      expect(lower.status).toBe(401);
      const wrongKey = await userinfo(token, { 'Ocp-Apim-Subscription-Key': 'not-the-key' });
      expect(wrongKey.status).toBe(401);
      expect((await userinfo(token)).body).toEqual({ sub: sandbox.customers[0]!.sub, phone_number: KARI });
      wait(300);
      expect(asObject((await userinfo(token)).body)).toMatchObject({ status: 401, title: 'Unauthorized' });
    });
  });

  describe('control API', () => {
    it('lists logins per customer, with binding message and offered consents', async () => {
      const id = await started({ scope: 'openid delegatedConsents' });
      await started({ login_hint: 'urn:msisdn:4798765432' });
      const listed = asArray((await request(`${sandbox.url}/_sandbox/logins?msisdn=${KARI}`, 'GET')).body);
      expect(listed).toEqual([
        expect.objectContaining({
          authReqId: id,
          customer: KARI,
          state: 'PENDING',
          bindingMessage: 'KIOSK-07',
          scopes: ['openid', 'delegatedConsents'],
          consentsOffered: ['email', 'sms', 'digital', 'personal'].map((id) => ({
            id,
            text: expect.any(String),
          })),
        }),
      ]);
    });

    it('refuses an unknown request, a second decision and an unknown consent', async () => {
      expect((await control('/logins/nope/approve')).status).toBe(404);
      const id = await started({ scope: 'openid delegatedConsents' });
      expect((await control(`/logins/${id}/approve`, { acceptedConsents: ['fax'] })).status).toBe(400);
      expect((await control(`/logins/${id}/approve`, { acceptedConsents: ['sms'] })).status).toBe(200);
      expect((await control(`/logins/${id}/reject`)).status).toBe(409);
    });

    it('forgets logins on reset', async () => {
      await started();
      expect((await request(`${sandbox.url}/_sandbox/reset`, 'POST')).status).toBe(204);
      expect((await request(`${sandbox.url}/_sandbox/logins`, 'GET')).body).toEqual([]);
    });
  });

  it('injects faults into Login calls like any other Vipps call', async () => {
    await request(`${sandbox.url}/_sandbox/faults`, 'POST', {
      body: { rules: [{ path: BACKCHANNEL, status: 503, count: 1 }] },
      headers: { 'Content-Type': 'application/json' },
    });
    expect((await start()).status).toBe(503);
    expect((await start()).status).toBe(200);
  });
});
