// Vipps Login answers the sandbox gives only when switched (old_app, invalid_user, a per-user 429 with
// Retry-After), and what it accepts as Vipps does: scopes outside the plan dropped, the subscription key the
// userinfo spec requires.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, SandboxClock, startSandbox } from '../../sandbox/index.js';
import { type Answer, asArray, asObject, type JsonObject, request } from './helpers.js';

const BACKCHANNEL = '/vipps-login-ciba/api/backchannel/authentication';
const TOKEN = '/access-management-1.0/access/oauth2/token';
const USERINFO = '/vipps-userinfo-api/userinfo';
const KARI = '4791234567';

describe('sandbox Vipps Login switches', () => {
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
  const post = (path: string, form: Record<string, string>) =>
    request(`${sandbox.url}${path}`, 'POST', {
      body: new URLSearchParams(form).toString(),
      headers: { Authorization: basic(), 'Content-Type': 'application/x-www-form-urlencoded' },
    });
  const start = (overrides: Record<string, string> = {}) =>
    post(BACKCHANNEL, { scope: 'openid name', login_hint: `urn:msisdn:${KARI}`, ...overrides });
  const switchLogin = async (body: JsonObject): Promise<Answer> =>
    request(`${sandbox.url}/_sandbox/logins/refuse`, 'POST', {
      body,
      headers: { 'Content-Type': 'application/json' },
    });
  const errorOf = (answer: Answer) => asObject(answer.body);

  it('answers old_app for the switched number of starts, then starts the login', async () => {
    expect((await switchLogin({ msisdn: KARI, answer: 'old_app', count: 2 })).status).toBe(200);
    for (let call = 0; call < 2; call += 1) {
      const answer = await start();
      expect(answer.status).toBe(400);
      expect(errorOf(answer)).toMatchObject({ error: 'invalid_request', error_code: 'old_app' });
    }
    expect((await start()).status).toBe(200);
  });

  it('answers invalid_user for a test customer when switched', async () => {
    await switchLogin({ msisdn: KARI, answer: 'invalid_user' });
    const answer = await start();
    expect(answer.status).toBe(400);
    expect(errorOf(answer)).toMatchObject({ error: 'unknown_user_id', error_code: 'invalid_user' });
  });

  it('answers 429 with the switched Retry-After though no login is waiting', async () => {
    await switchLogin({ msisdn: KARI, answer: '429', retryAfter: 42 });
    const busy = await start();
    expect(busy.status).toBe(429);
    expect(busy.headers.get('retry-after')).toBe('42');
    expect(errorOf(busy)['error']).toBe('too_many_requests');
    expect(asArray((await request(`${sandbox.url}/_sandbox/logins`, 'GET')).body)).toEqual([]);
    expect((await start()).status).toBe(200);
  });

  it('touches only the switched customer, and refuses a malformed switch', async () => {
    await switchLogin({ msisdn: KARI, answer: 'old_app' });
    expect((await start({ login_hint: 'urn:msisdn:4798765432' })).status).toBe(200);
    expect((await switchLogin({ msisdn: KARI, answer: 'busy' })).status).toBe(400);
    expect((await switchLogin({ answer: 'old_app' })).status).toBe(400);
  });

  it('drops scopes outside the plan instead of refusing them', async () => {
    const answer = await start({ scope: 'openid nnin name nin' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const [login] = asArray((await request(`${sandbox.url}/_sandbox/logins`, 'GET')).body).map(asObject);
    expect(login?.['scopes']).toEqual(['openid', 'name']);
  });

  it('accepts the subscription key on userinfo, as its spec requires', async () => {
    const id = String(asObject((await start({ scope: 'openid phoneNumber' })).body)['auth_req_id']);
    await request(`${sandbox.url}/_sandbox/logins/${id}/approve`, 'POST');
    clock.advance(5_000);
    const tokens = await post(TOKEN, { grant_type: 'urn:openid:params:grant-type:ciba', auth_req_id: id });
    const token = String(asObject(tokens.body)['access_token']);
    const answer = await request(`${sandbox.url}${USERINFO}`, 'GET', {
      headers: {
        Authorization: `Bearer ${token}`,
        'Ocp-Apim-Subscription-Key': sandbox.credentials.subscriptionKey,
      },
    });
    expect(answer.status).toBe(200);
    expect(asObject(answer.body)['phone_number']).toBe(KARI);
  });

  it('forgets the switches on reset', async () => {
    await switchLogin({ msisdn: KARI, answer: 'old_app' });
    expect((await request(`${sandbox.url}/_sandbox/reset`, 'POST')).status).toBe(204);
    expect((await start()).status).toBe(200);
  });
});
