import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VippsClient } from '../../device/vipps/client.js';
import { VippsUnavailableError } from '../../device/vipps/errors.js';
import {
  LoginMaybeSentError,
  LoginRefusedError,
  LoginTokensLostError,
} from '../../device/vipps/login-errors.js';
import type { LoginRequest } from '../../device/vipps/login-types.js';
import { type RunningSandbox, SandboxClock, startSandbox } from '../../sandbox/index.js';
import { SandboxControl } from '../support/sandbox-control.js';
import { SHORT_TIMEOUTS, testClient } from '../support/vipps-client.js';

// Issue 14, item 5: Vipps Login answers that are lost on the way back. A login start is not a read: a
// second one would buzz the customer's phone again (or meet Vipps' 429 "one waiting login per user"), so
// it is sent once and a lost answer is "maybe sent". Tokens are handed out once: an approval whose token
// answer was lost cannot be fetched again, and the kiosk must say so rather than drop the enrolment.

const START = '/vipps-login-ciba/api/backchannel/authentication';
const TOKEN = '/access-management-1.0/access/oauth2/token';
const kari = { msisdn: '4791234567' };
const login = (): LoginRequest => ({
  msisdn: kari.msisdn,
  scope: 'openid name phoneNumber',
  bindingMessage: 'KIOSK-07',
  requestedExpirySeconds: 180,
});

describe('Vipps Login answers lost on the way back (sandbox)', () => {
  let sandbox: RunningSandbox;
  let clock: SandboxClock;
  let control: SandboxControl;
  let client: VippsClient;
  const wait = (seconds: number) => clock.advance(seconds * 1000);

  beforeAll(async () => {
    clock = new SandboxClock();
    clock.setSpeed(0);
    sandbox = await startSandbox({ clock });
    control = new SandboxControl(sandbox);
    client = testClient(sandbox.url, sandbox.credentials, {
      timeouts: { ...SHORT_TIMEOUTS, loginStartMs: 300 },
    });
  });
  afterAll(async () => {
    await client.stop();
    await sandbox.close();
  });
  beforeEach(async () => {
    await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' });
    await control.clearFaults();
  });

  it('a start that gets no answer is "maybe sent" with the binding code, and is not sent again', async () => {
    await control.faults({ rules: [{ path: START, method: 'POST', hang: true, after: true, count: 1 }] });

    const error = await client.login.startLogin(login()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LoginMaybeSentError);
    expect(error).toMatchObject({ bindingMessage: 'KIOSK-07' });
    expect((error as Error).message).toMatch(/may have reached the customer's app.*KIOSK-07/);
    // It did reach the sandbox, once: one login waits in the customer's app.
    expect((await control.logins(kari.msisdn)).map((l) => l.state)).toEqual(['PENDING']);

    // Asking again meets "one waiting login per user": the proof it was sent, and when it runs out.
    const again = await client.login.startLogin(login()).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(LoginRefusedError);
    expect(again).toMatchObject({ refusal: 'busy', status: 429, retryAfterSeconds: 180 });
    expect(await control.logins(kari.msisdn)).toHaveLength(1);
  });

  it('"maybe sent" that never arrived: asking again goes through, so the kiosk can say the first did not', async () => {
    // The request is lost before Vipps processes it: nothing waits in the app.
    await control.faults({ rules: [{ path: START, method: 'POST', hang: true, count: 1 }] });
    await expect(client.login.startLogin(login())).rejects.toBeInstanceOf(LoginMaybeSentError);
    expect(await control.logins(kari.msisdn)).toHaveLength(0);

    const started = await client.login.startLogin(login());
    expect(started.authReqId).toMatch(/\S/);
    expect((await control.logins(kari.msisdn)).map((l) => l.state)).toEqual(['PENDING']);
  });

  it('a 5xx to the start is "maybe sent" too, and not retried', async () => {
    await control.faults({ rules: [{ path: START, method: 'POST', status: 502, after: true, count: 1 }] });
    const error = await client.login.startLogin(login()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginMaybeSentError);
    expect(await control.logins(kari.msisdn)).toHaveLength(1);
  });

  it('a 503 to the start is not retried either: it may come from behind the gateway', async () => {
    await control.faults({ rules: [{ path: START, method: 'POST', status: 503, count: 3 }] });
    const error = await client.login.startLogin(login()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginMaybeSentError);
    // One request went out: two of the three injected 503s are left.
    expect(await control.pendingFaults()).toMatchObject([{ count: 2 }]);
  });

  it('an approval whose token answer was lost is reported as lost at the next poll, not as a refusal', async () => {
    const { authReqId } = await client.login.startLogin(login());
    await control.answerLogin(authReqId, 'approve');
    wait(5);
    await control.faults({ rules: [{ path: TOKEN, method: 'POST', status: 500, after: true, count: 1 }] });

    const lost = await client.login.pollToken(authReqId).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(VippsUnavailableError);
    expect(lost).toMatchObject({ outcomeUnknown: true });
    // Vipps handed the tokens out with that lost answer.
    expect((await control.logins(kari.msisdn)).map((l) => l.state)).toEqual(['COMPLETED']);

    wait(5);
    const next = await client.login.pollToken(authReqId).catch((e: unknown) => e);
    expect(next).toBeInstanceOf(LoginTokensLostError);
    expect((next as Error).message).toMatch(/approval was lost.*must join again/);
  });

  it('a poll whose answer was lost while the customer had not answered goes on polling as usual', async () => {
    const { authReqId } = await client.login.startLogin(login());
    wait(5);
    await control.faults({ rules: [{ path: TOKEN, method: 'POST', hang: true, after: true, count: 1 }] });
    await expect(client.login.pollToken(authReqId)).rejects.toBeInstanceOf(VippsUnavailableError);
    wait(5);
    expect(await client.login.pollToken(authReqId)).toEqual({ kind: 'pending' });
  });
});
