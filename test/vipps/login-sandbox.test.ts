import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/log/logger.js';
import type { VippsClient } from '../../device/vipps/client.js';
import { VippsAuthError } from '../../device/vipps/errors.js';
import { LoginRefusedError } from '../../device/vipps/login-errors.js';
import type { LoginRequest } from '../../device/vipps/login-types.js';
import {
  type RunningSandbox,
  SandboxClock,
  type StartSandboxOptions,
  startSandbox,
} from '../../sandbox/index.js';
import { testClient } from '../support/vipps-client.js';

// Every CIBA outcome through the real client against the real sandbox on loopback. The sandbox clock is
// frozen and stepped, so "wait one interval" and "let it expire" take no real time.

function useLoginSandbox(options: StartSandboxOptions = {}) {
  const state = {} as { sandbox: RunningSandbox; clock: SandboxClock };
  beforeAll(async () => {
    state.clock = new SandboxClock();
    state.clock.setSpeed(0);
    state.sandbox = await startSandbox({ ...options, clock: state.clock });
  });
  afterAll(() => state.sandbox.close());
  beforeEach(async () => {
    await fetch(`${state.sandbox.url}/_sandbox/reset`, { method: 'POST' });
  });
  return state;
}

async function control(sandbox: RunningSandbox, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

const kari = { msisdn: '4791234567', sub: '5c7f3e2a-91d4-4b6e-a0f8-1d2c3b4a5e61' };
const login = (overrides: Partial<LoginRequest> = {}): LoginRequest => ({
  msisdn: kari.msisdn,
  scope: 'openid name phoneNumber',
  bindingMessage: 'KIOSK-07',
  requestedExpirySeconds: 180,
  ...overrides,
});

describe('Vipps Login client against the sandbox (client_secret_basic)', () => {
  const env = useLoginSandbox();
  let client: VippsClient;
  const logLines: string[] = [];
  beforeAll(() => {
    client = testClient(env.sandbox.url, env.sandbox.credentials, {
      logger: createLogger({ level: 'debug', journal: false, write: (line) => logLines.push(line) }),
      // The kiosk's clock is the sandbox's: the ID tokens' iat and exp follow it as the tests step it.
      now: () => env.clock.now(),
    });
  });
  afterAll(() => client.stop());
  afterEach(() => {
    logLines.length = 0;
  });
  const wait = (seconds: number) => env.clock.advance(seconds * 1000);

  it('goes pending -> slow_down -> pending -> approved, and userinfo gives the scope claims only', async () => {
    const started = await client.login.startLogin(login());
    expect(started).toMatchObject({ expiresInSeconds: 180, intervalSeconds: 5 });

    expect(await client.login.pollToken(started.authReqId)).toEqual({ kind: 'slow-down' });
    wait(5);
    // The interval is now 10 s: the old 5 is too fast.
    expect(await client.login.pollToken(started.authReqId)).toEqual({ kind: 'slow-down' });
    wait(15);
    expect(await client.login.pollToken(started.authReqId)).toEqual({ kind: 'pending' });

    await control(env.sandbox, `/logins/${started.authReqId}/approve`);
    wait(15);
    const approved = await client.login.pollToken(started.authReqId);
    expect(approved).toMatchObject({ kind: 'approved', sub: kari.sub });
    if (approved.kind !== 'approved') throw new Error('not approved');

    expect(await client.login.userinfo(approved.accessToken)).toEqual({
      sub: kari.sub,
      name: 'Kari Nordmann',
      given_name: 'Kari',
      family_name: 'Nordmann',
      phone_number: kari.msisdn,
    });

    // Tokens are handed out once.
    wait(20);
    const again = await client.login.pollToken(started.authReqId).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(LoginRefusedError);
    expect(again).toMatchObject({ error: 'invalid_grant', refusal: 'other' });

    const log = logLines.join('\n');
    expect(log).toContain('47******67');
    expect(log).not.toContain(kari.msisdn);
    expect(log).not.toContain(approved.accessToken);
    expect(log).not.toContain(env.sandbox.credentials.clientSecret);
  });

  it('reports a rejected login as denied', async () => {
    const { authReqId } = await client.login.startLogin(login());
    await control(env.sandbox, `/logins/${authReqId}/reject`);
    wait(5);
    expect(await client.login.pollToken(authReqId)).toEqual({ kind: 'denied' });
  });

  it('reports an unanswered login as expired once its requested expiry has passed', async () => {
    const { authReqId } = await client.login.startLogin(login({ requestedExpirySeconds: 60 }));
    wait(30);
    expect(await client.login.pollToken(authReqId)).toEqual({ kind: 'pending' });
    wait(31);
    expect(await client.login.pollToken(authReqId)).toEqual({ kind: 'expired' });
  });

  it('releases email, address, birthdate and the consents the customer accepted', async () => {
    const scope = 'openid email address birthDate delegatedConsents';
    const { authReqId } = await client.login.startLogin(login({ scope }));
    await control(env.sandbox, `/logins/${authReqId}/approve`, { acceptedConsents: ['email', 'sms'] });
    wait(5);
    const approved = await client.login.pollToken(authReqId);
    if (approved.kind !== 'approved') throw new Error(`expected approved, got ${approved.kind}`);
    const info = await client.login.userinfo(approved.accessToken);
    expect(Object.keys(info).sort()).toEqual(
      [
        'address',
        'birthdate',
        'delegatedConsents',
        'email',
        'email_verified',
        'other_addresses',
        'sub',
      ].sort(),
    );
    expect(info).toMatchObject({
      email: 'kari.nordmann@example.com',
      email_verified: true,
      birthdate: '1985-03-14',
      address: { postal_code: '0155', country: 'NO', address_type: 'home' },
    });
    const consents = info['delegatedConsents'] as {
      timeOfConsent: string;
      consents: Array<{ id: string; accepted: boolean }>;
    };
    expect(consents.consents.map((c) => [c.id, c.accepted])).toEqual([
      ['email', true],
      ['sms', true],
      ['digital', false],
      ['personal', false],
    ]);
    expect(Date.parse(consents.timeOfConsent)).toBe(env.clock.now() - 5000);
  });

  it('says a second login to a busy customer is busy, with when to retry', async () => {
    await client.login.startLogin(login({ requestedExpirySeconds: 120 }));
    const error = await client.login.startLogin(login()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginRefusedError);
    expect(error).toMatchObject({ refusal: 'busy', status: 429, retryAfterSeconds: 120 });
  });

  it('says an unknown phone number has no Vipps user', async () => {
    const error = await client.login.startLogin(login({ msisdn: '4799999999' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ refusal: 'invalid-user', status: 400 });
  });

  it('refuses userinfo with a token it never issued', async () => {
    const error = await client.login.userinfo('ciba.not-issued').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginRefusedError);
    expect(error).toMatchObject({ status: 401 });
  });

  it('is refused when the kiosk is set to client_secret_post but the sales unit wants basic', async () => {
    const post = testClient(env.sandbox.url, env.sandbox.credentials, { clientAuth: 'client_secret_post' });
    try {
      const error = await post.login.startLogin(login()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VippsAuthError);
      expect((error as Error).message).toMatch(/club\.clientAuth/);
    } finally {
      await post.stop();
    }
  });
});

describe('Vipps Login client against the sandbox (client_secret_post)', () => {
  const env = useLoginSandbox({ loginClientAuth: 'client_secret_post' });

  it('logs in with the credentials in the form', async () => {
    const client = testClient(env.sandbox.url, env.sandbox.credentials, { clientAuth: 'client_secret_post' });
    try {
      const { authReqId } = await client.login.startLogin(login());
      await control(env.sandbox, `/logins/${authReqId}/approve`);
      env.clock.advance(5000);
      expect(await client.login.pollToken(authReqId)).toMatchObject({ kind: 'approved', sub: kari.sub });
    } finally {
      await client.stop();
    }
  });

  it('refuses a kiosk still on client_secret_basic', async () => {
    const client = testClient(env.sandbox.url, env.sandbox.credentials);
    try {
      await expect(client.login.startLogin(login())).rejects.toBeInstanceOf(VippsAuthError);
    } finally {
      await client.stop();
    }
  });
});
