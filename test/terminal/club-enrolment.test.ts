import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Enrolment, EnrolmentStatus } from '../../contracts/terminal-api.js';
import { openTerminalDb, TERMINAL_DB_FILE } from '../../device/terminal/terminal-db.js';
import { TerminalClient } from '../../pos/client/terminal-client.js';
import { KioskUnderTest, ScreenSocket } from '../support/kiosk-under-test.js';
import { expectDocumented } from './openapi-document.js';

// The cashier's "Enrol in the club" through the terminal API: the kiosk in attended mode with its club,
// against the sandbox (Vipps Login on the customer's phone), every answer checked against
// contracts/terminal-api.yaml. The checkout's and the sandbox's clocks are the test's.

const START = '/vipps-login-ciba/api/backchannel/authentication';

describe('club enrolments started by the POS', () => {
  let kiosk: KioskUnderTest;
  let screen: ScreenSocket;
  let token: string;
  let pos: TerminalClient;

  async function open(stateDir?: string): Promise<void> {
    kiosk = await new KioskUnderTest().start({
      club: { enabled: true },
      env: { VK_MODE: 'attended', VK_TERMINAL__HOST: '127.0.0.1', VK_TERMINAL__PORT: '0' },
      ...(stateDir ? { stateDir } : {}),
    });
    screen = await new ScreenSocket().open(kiosk);
    if (stateDir === undefined) {
      const db = openTerminalDb(join(kiosk.stateDir, TERMINAL_DB_FILE), Date.now);
      token = db.pairings.pair('test till').token;
      db.close();
    }
    pos = new TerminalClient({ url: kiosk.kiosk.terminal!.url, token });
  }

  async function close(): Promise<void> {
    await pos?.close();
    screen?.close();
    await kiosk?.stop();
  }
  afterEach(close);

  async function raw(method: string, path: string, body?: unknown) {
    const response = await fetch(`${kiosk.kiosk.terminal!.url}/terminal/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: (await response.json()) as Record<string, unknown>,
    };
  }

  const kari = () => kiosk.customers[0]!;

  /** Long-polls until the enrolment has left `waiting-for-customer`. */
  async function ended(id: string): Promise<Enrolment> {
    let enrolment = await pos.enrolment(id);
    for (let step = 0; enrolment.status === 'waiting-for-customer'; step++) {
      if (step > 10) throw new Error(`enrolment ${id} is still waiting`);
      enrolment = await pos.enrolment(id, { waitForChangeFrom: enrolment.status, timeoutSeconds: 5 });
    }
    expectDocumented('GET /club/enrolments/{enrolmentId}', {
      status: 200,
      contentType: 'application/json',
      body: enrolment,
    });
    return enrolment;
  }

  /** The login request the kiosk pushed to the customer, once the sandbox has it. */
  async function login(msisdn: string) {
    await kiosk.screen('club-consent');
    for (let tries = 0; tries < 100; tries++) {
      const [sent] = await kiosk.control.logins(msisdn);
      if (sent) return sent;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('no login request reached the sandbox');
  }

  /** The kiosk polls the login after its interval: both clocks move on together. */
  function nextPoll(): void {
    kiosk.sandbox.clock.advance(5_000);
    kiosk.clock.increment(5_000);
  }

  it('joins: the code on the customer display and in the answer, one push for a repeat, member prices after', async () => {
    await open();
    const facts: unknown[] = [];
    kiosk.kiosk.checkout.onDomainEvent((event) => facts.push(event));
    const { msisdn } = kari();
    const created = await raw('POST', '/club/enrolments', { enrolmentId: 'enr-1', phoneNumber: msisdn });
    expect(created.status).toBe(201);
    expectDocumented('POST /club/enrolments', created);
    expect(created.body).toMatchObject({ status: 'waiting-for-customer', enrolmentId: 'enr-1' });
    expect(created.body.maskedPhoneNumber).not.toContain(msisdn.slice(4, 8));
    const display = await kiosk.screen('club-consent');
    expect(display.club?.consent?.bindingMessage).toBe(created.body.bindingMessage);
    // No basket behind it: the display offers "not now", not "pay without joining".
    expect(display.club?.consent?.cashierStarted).toBe(true);

    const repeat = await raw('POST', '/club/enrolments', { enrolmentId: 'enr-1', phoneNumber: msisdn });
    expect(repeat.status).toBe(200);
    expectDocumented('POST /club/enrolments', repeat);
    const sent = await login(msisdn);
    expect(await kiosk.control.logins(msisdn)).toHaveLength(1);

    await kiosk.control.answerLogin(sent.authReqId, 'approve');
    nextPoll();
    const joined = await ended('enr-1');
    expect(joined).toMatchObject({ status: 'joined', enrolmentId: 'enr-1' });
    expect(joined.memberSince).toBeDefined();
    expect(joined.bindingMessage).toBeUndefined();
    await kiosk.screen('attract');
    expect(await pos.checkMember(msisdn)).toMatchObject({ member: true });
    // The same fact a join at the kiosk makes, for telemetry and HQ.
    expect(facts).toEqual([{ type: 'club.enrolment', outcome: 'joined', basketSavings: 0 }]);

    // Enrolled already: joined at once, and no second push.
    const again = await raw('POST', '/club/enrolments', { enrolmentId: 'enr-2', phoneNumber: msisdn });
    expect(again.status).toBe(201);
    expectDocumented('POST /club/enrolments', again);
    expect(again.body).toMatchObject({ status: 'joined', alreadyMember: true });
    expect(await kiosk.control.logins(msisdn)).toHaveLength(1);
  });

  it('refuses another number under the same id, a second enrolment and a payment while one runs (409)', async () => {
    await open();
    const [first, second] = [kari().msisdn, kiosk.customers[1]!.msisdn];
    await pos.startEnrolment({ enrolmentId: 'enr-1', phoneNumber: first });

    const other = await raw('POST', '/club/enrolments', { enrolmentId: 'enr-1', phoneNumber: second });
    expect(other).toMatchObject({ status: 409, body: { code: 'different-body' } });
    expectDocumented('POST /club/enrolments', other);
    const busy = await raw('POST', '/club/enrolments', { enrolmentId: 'enr-2', phoneNumber: second });
    expect(busy).toMatchObject({ status: 409, body: { code: 'busy', runningEnrolmentId: 'enr-1' } });
    expectDocumented('POST /club/enrolments', busy);
    const payment = await raw('POST', '/payments', {
      posTransactionId: 'pos-1',
      amount: { value: 2490, currency: 'NOK' },
      lines: [{ id: 'MILK', name: 'Melk 1 l', quantity: 1, unitPrice: 2490, vatRate: 1500 }],
    });
    expect(payment).toMatchObject({ status: 409, body: { code: 'busy', runningEnrolmentId: 'enr-1' } });
    expectDocumented('POST /payments', payment);
    expect(await kiosk.control.payments()).toEqual([]);
  });

  it('refuses an implausible number (422) and answers an unknown id with 404', async () => {
    await open();
    const bad = await raw('POST', '/club/enrolments', { enrolmentId: 'enr-1', phoneNumber: '12345' });
    expect(bad).toMatchObject({ status: 422, body: { code: 'invalid-request', field: 'phoneNumber' } });
    expectDocumented('POST /club/enrolments', bad);
    const missing = await raw('GET', '/club/enrolments/nobody');
    expect(missing).toMatchObject({ status: 404, body: { code: 'not-found' } });
    expectDocumented('GET /club/enrolments/{enrolmentId}', missing);
    expect(await kiosk.control.logins()).toEqual([]);
  });

  it('ends declined when the customer says no in the app: the long-poll answers at once, the display goes back to attract', async () => {
    await open();
    const { msisdn } = kari();
    await pos.startEnrolment({ enrolmentId: 'enr-1', phoneNumber: msisdn });
    const sent = await login(msisdn);
    // The POS's long-poll is answered at the change, long before its 30 s are up.
    const waiting = pos.enrolment('enr-1', { waitForChangeFrom: 'waiting-for-customer', timeoutSeconds: 30 });
    await kiosk.control.answerLogin(sent.authReqId, 'reject');
    nextPoll();
    expect((await waiting).status).toBe('declined');
    await kiosk.screen('attract');
    expect(await pos.checkMember(msisdn)).toEqual({ member: false });
  });

  it('aborts: the kiosk stops waiting, the display goes back to attract, the request stays in the app', async () => {
    await open();
    const { msisdn } = kari();
    await pos.startEnrolment({ enrolmentId: 'enr-1', phoneNumber: msisdn });
    await login(msisdn);
    const answer = await raw('POST', '/club/enrolments/enr-1/abort');
    expect(answer.status).toBe(202);
    expectDocumented('POST /club/enrolments/{enrolmentId}/abort', answer);
    expect(await ended('enr-1')).toMatchObject({ status: 'aborted', abortedBy: 'pos' });
    await kiosk.screen('attract');
    // CIBA cannot be withdrawn: the request is still open in the app.
    expect((await kiosk.control.logins(msisdn)).map((sent) => sent.state)).toEqual(['PENDING']);
    // Once over, an abort answers the enrolment as it ended.
    expect((await raw('POST', '/club/enrolments/enr-1/abort')).body).toMatchObject({ status: 'aborted' });
  });

  it("ends aborted by the customer who taps the consent screen's way out", async () => {
    await open();
    const { msisdn } = kari();
    await pos.startEnrolment({ enrolmentId: 'enr-1', phoneNumber: msisdn });
    await login(msisdn);
    screen.send({ type: 'skip-club' });
    expect(await ended('enr-1')).toMatchObject({ status: 'aborted', abortedBy: 'customer' });
    await kiosk.screen('attract');
  });

  it('ends unavailable when Vipps Login cannot be reached; the POS prices without the club', async () => {
    await open();
    await kiosk.control.faults({ rules: [{ path: START, method: 'POST', status: 503 }] });
    const started = await pos.startEnrolment({ enrolmentId: 'enr-1', phoneNumber: kari().msisdn });
    // No answer to the push: it may have gone out, so the code stays up and the start is asked once more.
    for (let tries = 0; (await kiosk.state()).club?.consent?.notice !== 'maybe-sent'; tries++) {
      if (tries > 100) throw new Error('the display never said the request may be on its way');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await pos.enrolment('enr-1')).bindingMessage).toBe(started.bindingMessage);
    kiosk.clock.increment(5_000);
    expect((await ended('enr-1')).status).toBe('unavailable');
    await kiosk.screen('attract');
  });

  it('a kiosk restart mid-enrolment leaves it aborted by the restart, never waiting', async () => {
    await open();
    const { msisdn } = kari();
    await pos.startEnrolment({ enrolmentId: 'enr-1', phoneNumber: msisdn });
    await login(msisdn);
    const stateDir = kiosk.stateDir;
    await close();
    await open(stateDir);
    const after = await raw('GET', '/club/enrolments/enr-1');
    expect(after).toMatchObject({ status: 200, body: { status: 'aborted', abortedBy: 'restart' } });
    expectDocumented('GET /club/enrolments/{enrolmentId}', after);
    // The terminal is free again: a new enrolment for the same number is taken.
    const next = await pos.startEnrolment({ enrolmentId: 'enr-2', phoneNumber: msisdn });
    expect(next.status satisfies EnrolmentStatus).toBe('waiting-for-customer');
  });
});
