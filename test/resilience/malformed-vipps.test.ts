import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import type { ScreenModel, ScreenName } from '../../contracts/screen-model.js';
import type { CreatePaymentRequest } from '../../contracts/vipps-types.js';
import { VippsClient } from '../../device/vipps/client.js';
import { VippsApiError, VippsUnavailableError } from '../../device/vipps/errors.js';
import { operationKey } from '../../device/vipps/request-rules.js';
import { CheckoutHarness, TIMER_STATES } from '../support/checkout-harness.js';
import { ScriptedServer, tokenAnswer } from '../support/scripted-server.js';
import { MELK, paymentRequest } from '../support/vipps-receipt.js';
import {
  type Answer,
  CorruptingProxy,
  GARBLES,
  type Garble,
  GarblingOrigin,
  garble,
  HTML_502,
  RETRIED_GARBLES,
} from './support/corrupting-proxy.js';

// Vipps (or something between the kiosk and Vipps: a proxy, a captive portal, a cut connection)
// answering with something that is not what Vipps documents. The client must turn every such answer
// into a typed error: "outcome unknown" where the call may have moved money, so the checkout reads the
// payment back; and the checkout must never decide anything about money on a garbled answer.

const REFERENCE = 'kiosk-07-0000000042-1';
const AMOUNT = { currency: 'NOK' as const, value: 6780 };
const ZERO = { currency: 'NOK' as const, value: 0 };

const createRequest: CreatePaymentRequest = paymentRequest({
  reference: REFERENCE,
  items: [MELK],
  customer: { personalQr: 'https://qr.vipps.no/p/UKW7tX4psZtwVUayqIydBmIh' },
  receiptNumber: '0000000042',
  paymentDescription: 'Butikken Test: 2 varer',
});

const aggregate = (captured: number) => ({
  authorizedAmount: AMOUNT,
  cancelledAmount: ZERO,
  capturedAmount: { ...AMOUNT, value: captured },
  refundedAmount: ZERO,
});

/** The four calls the checkout makes, each with the answer Vipps documents for it. */
const OPERATIONS: Array<{
  name: string;
  movesMoney: boolean;
  answer: { status: number; body: unknown };
  call: (client: VippsClient) => Promise<unknown>;
}> = [
  {
    name: 'create payment',
    movesMoney: true,
    answer: { status: 201, body: { reference: REFERENCE } },
    call: (client) => client.epayment.createPayment(createRequest, operationKey(REFERENCE, 'create')),
  },
  {
    name: 'get payment',
    movesMoney: false,
    answer: {
      status: 200,
      body: {
        aggregate: aggregate(0),
        amount: AMOUNT,
        state: 'AUTHORIZED',
        paymentMethod: { type: 'WALLET' },
        profile: {},
        pspReference: 'psp-1',
        reference: REFERENCE,
      },
    },
    call: (client) => client.epayment.getPayment(REFERENCE),
  },
  {
    name: 'capture',
    movesMoney: true,
    answer: {
      status: 200,
      body: {
        amount: AMOUNT,
        state: 'AUTHORIZED',
        aggregate: aggregate(6780),
        pspReference: 'psp-1',
        reference: REFERENCE,
      },
    },
    call: (client) => client.epayment.capture(REFERENCE, AMOUNT, operationKey(REFERENCE, 'capture-1')),
  },
  {
    name: 'cancel',
    movesMoney: true,
    answer: {
      status: 200,
      body: {
        amount: AMOUNT,
        state: 'TERMINATED',
        aggregate: { ...aggregate(0), authorizedAmount: ZERO },
        pspReference: 'psp-1',
        reference: REFERENCE,
      },
    },
    call: (client) =>
      client.epayment.cancel(REFERENCE, { cancelTransactionOnly: true }, operationKey(REFERENCE, 'cancel-1')),
  },
];

function clientFor(baseUrl: string): VippsClient {
  return new VippsClient({
    baseUrl,
    credentials: {
      clientId: 'cid',
      clientSecret: 'secret',
      subscriptionKey: 'sub',
      merchantSerialNumber: '123456',
    },
    system: {
      systemName: 'vipps-kiosk',
      systemVersion: 'test',
      pluginName: 'vipps-kiosk-rpi',
      pluginVersion: 'test',
    },
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    timeouts: { connectMs: 500, tokenMs: 500, createMs: 500, readMs: 500, modifyMs: 500, qrMs: 500 },
    tokenRefreshMarginMs: 60_000,
    logger: silentLogger,
    sleep: async () => {},
  });
}

/** How an outcome reads in an assertion: the expectation is a line, so a failure shows every call at once. */
function outcomeOf(movesMoney: boolean, settled: { value?: unknown; error?: unknown }): string {
  const { error } = settled;
  if (!('error' in settled)) return `resolved with ${JSON.stringify(settled.value)?.slice(0, 160)}`;
  if (error instanceof VippsUnavailableError) {
    if (!movesMoney) return 'typed error';
    return error.outcomeUnknown
      ? 'VippsUnavailableError, outcome unknown'
      : 'VippsUnavailableError, outcome known';
  }
  if (error instanceof VippsApiError)
    return movesMoney ? `VippsApiError ${error.status} (outcome taken as known)` : 'typed error';
  return `untyped ${(error as Error)?.name}: ${(error as Error)?.message}`;
}

const expectedOutcome = (movesMoney: boolean) =>
  movesMoney ? 'VippsUnavailableError, outcome unknown' : 'typed error';

describe('malformed Vipps answers: the client', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  async function callThrough(kind: Garble, operation: (typeof OPERATIONS)[number]) {
    const real: Answer = {
      status: operation.answer.status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(operation.answer.body),
    };
    const garbled = garble(kind, real);
    let baseUrl: string;
    let attempts: () => number;
    if ('truncate' in garbled) {
      const origin = new GarblingOrigin(garbled);
      baseUrl = await origin.start();
      stops.push(() => origin.stop());
      attempts = () => origin.seen.filter((s) => !s.includes('/accesstoken/')).length;
    } else {
      const server = new ScriptedServer().otherwise((req) =>
        req.path === '/accesstoken/get'
          ? tokenAnswer('tok')
          : {
              status: garbled.status,
              headers: garbled.headers,
              body: garbled.body === '' ? undefined : garbled.body,
            },
      );
      baseUrl = await server.start();
      stops.push(() => server.stop());
      attempts = () => server.seen.filter((s) => s.path !== '/accesstoken/get').length;
    }
    const client = clientFor(baseUrl);
    stops.push(() => client.stop());
    const settled = await operation.call(client).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    return { outcome: outcomeOf(operation.movesMoney, settled), attempts: attempts() };
  }

  it.each(GARBLES)(
    '%s: every call ends in a typed error, "outcome unknown" where money may have moved',
    async (kind) => {
      const got: string[] = [];
      const want: string[] = [];
      const tries: string[] = [];
      for (const operation of OPERATIONS) {
        const { outcome, attempts } = await callThrough(kind, operation);
        got.push(`${operation.name}: ${outcome}`);
        want.push(`${operation.name}: ${expectedOutcome(operation.movesMoney)}`);
        tries.push(`${operation.name} ${attempts}`);
      }
      console.log(`malformed answers, client, ${kind}: ${got.join('; ')} (attempts: ${tries.join(', ')})`);
      expect(got).toEqual(want);
    },
  );

  it('an HTML 400 page is a refusal (VippsApiError, not retried) that keeps an excerpt of the page', async () => {
    const server = new ScriptedServer().otherwise((req) =>
      req.path === '/accesstoken/get'
        ? tokenAnswer('tok')
        : {
            status: 400,
            headers: { 'content-type': 'text/html' },
            body: '<html><body>Bad Request</body></html>',
          },
    );
    const client = clientFor(await server.start());
    stops.push(
      () => server.stop(),
      () => client.stop(),
    );
    const error = await client.epayment
      .capture(REFERENCE, AMOUNT, operationKey(REFERENCE, 'capture-1'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsApiError);
    expect((error as VippsApiError).status).toBe(400);
    expect((error as VippsApiError).detail).toContain('Bad Request');
    expect(server.seen.filter((s) => s.path !== '/accesstoken/get')).toHaveLength(1);
  });

  it('an HTML page with 200 (a captive portal) on a capture is "outcome unknown", never success', async () => {
    const server = new ScriptedServer().otherwise((req) =>
      req.path === '/accesstoken/get'
        ? tokenAnswer('tok')
        : { status: 200, headers: { 'content-type': 'text/html' }, body: HTML_502 },
    );
    const client = clientFor(await server.start());
    stops.push(
      () => server.stop(),
      () => client.stop(),
    );
    const error = await client.epayment
      .capture(REFERENCE, AMOUNT, operationKey(REFERENCE, 'capture-1'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VippsUnavailableError);
    expect((error as VippsUnavailableError).outcomeUnknown).toBe(true);
  });
});

// --- through the machine: the proxy garbles one kind of answer at one point of the checkout ---

const PAYMENT_PATH = /^\/epayment\/v1\/payments\/[^/]+$/;
const CREATE_PATH = /^\/epayment\/v1\/payments$/;
const MILK = '2000000000015';
const BREAD = '2000000000022';
const TOTAL = 2490 + 4290;

interface Stage {
  kiosk: CheckoutHarness;
  proxy: CorruptingProxy;
  /** How many times to garble so the machine, not only the client, sees it (the client retries a 5xx). */
  times: number;
  kind: Garble;
}

/** Moves time a second at a time until the kiosk rests on one of `screens` (or another resting screen). */
async function drive(kiosk: CheckoutHarness, screens: ScreenName[], maxSeconds = 120): Promise<ScreenModel> {
  for (let second = 0; ; second++) {
    const model = await kiosk.untilResting();
    if (screens.includes(model.screen)) return model;
    if (!(TIMER_STATES as readonly string[]).includes(model.machineState)) return model;
    if (second >= maxSeconds) throw new Error(`no outcome after ${maxSeconds} s: ${model.machineState}`);
    kiosk.tick(1_000);
  }
}

async function startPayment(kiosk: CheckoutHarness): Promise<string> {
  kiosk.scan(MILK);
  kiosk.scan(BREAD);
  kiosk.scan(kiosk.sandbox.customers[0]!.personalQrV2);
  const model = await kiosk.until('awaiting-approval');
  return model.payment!.reference;
}

/** Nothing may stay reserved or pushed, and nothing may be captured twice. */
async function ledgerProblems(kiosk: CheckoutHarness): Promise<string[]> {
  const problems: string[] = [];
  for (const p of await kiosk.control.payments()) {
    const { authorizedAmount, capturedAmount, cancelledAmount } = p.aggregate;
    if (p.state === 'CREATED') problems.push(`${p.reference} left CREATED`);
    if (
      p.state === 'AUTHORIZED' &&
      authorizedAmount.value - capturedAmount.value - cancelledAmount.value !== 0
    )
      problems.push(`${p.reference} AUTHORIZED with money neither captured nor cancelled`);
    if (p.events.filter((e) => e.name === 'CAPTURED').length > 1)
      problems.push(`${p.reference} captured twice`);
  }
  return problems;
}

const SCENARIOS: Array<{ name: string; run: (stage: Stage) => Promise<void> }> = [
  {
    name: 'a poll while waiting for approval',
    run: async ({ kiosk, proxy, times, kind }) => {
      const reference = await startPayment(kiosk);
      await kiosk.control.act(reference, 'approve');
      proxy.corrupt({ method: 'GET', path: PAYMENT_PATH, garble: kind, count: times });
      kiosk.tick(5_000);
      const afterGarble = await kiosk.untilResting();
      // Nothing decided on the garbled answer: still waiting (and then the next clean poll decides).
      expect(afterGarble.machineState).toBe('session.flow.awaitingApproval.waiting');
      const model = await drive(kiosk, ['approved']);
      expect(model.screen).toBe('approved');
      const payment = await kiosk.control.payment(reference);
      expect(payment.aggregate.capturedAmount.value).toBe(TOTAL);
    },
  },
  {
    name: 'the answer to a capture that happened',
    run: async ({ kiosk, proxy, times, kind }) => {
      const reference = await startPayment(kiosk);
      await kiosk.control.act(reference, 'approve');
      proxy.corrupt({ method: 'POST', path: /\/capture$/, garble: kind, count: times });
      kiosk.tick(5_000);
      const model = await drive(kiosk, ['approved']);
      expect(model.screen).toBe('approved');
      const payment = await kiosk.control.payment(reference);
      expect(payment.aggregate.capturedAmount.value).toBe(TOTAL);
      expect(payment.events.filter((e) => e.name === 'CAPTURED')).toHaveLength(1);
    },
  },
  {
    name: 'the answer to a create that happened',
    run: async ({ kiosk, proxy, times, kind }) => {
      proxy.corrupt({ method: 'POST', path: CREATE_PATH, garble: kind, count: times });
      kiosk.scan(MILK);
      kiosk.scan(BREAD);
      kiosk.scan(kiosk.sandbox.customers[0]!.personalQrV2);
      let model = await kiosk.untilResting();
      if (model.screen === 'unavailable') {
        kiosk.send({ type: 'try-again' });
        model = await kiosk.untilResting();
      }
      expect(model.machineState).toBe('session.flow.awaitingApproval.waiting');
      expect(model.payment?.reference).toBe('kiosk-07-0000000001-1');
      expect((await kiosk.control.payments()).map((p) => p.reference)).toEqual(['kiosk-07-0000000001-1']);
      await kiosk.control.act('kiosk-07-0000000001-1', 'approve');
      expect((await drive(kiosk, ['approved'])).screen).toBe('approved');
    },
  },
  {
    name: 'the answer to a cancel that happened',
    run: async ({ kiosk, proxy, times, kind }) => {
      const reference = await startPayment(kiosk);
      proxy.corrupt({ method: 'POST', path: /\/cancel$/, garble: kind, count: times });
      kiosk.send({ type: 'cancel' });
      const model = await drive(kiosk, ['basket']);
      expect(model.screen).toBe('basket');
      expect((await kiosk.control.payment(reference)).state).toBe('TERMINATED');
    },
  },
  {
    name: 'the read-back after a lost create answer',
    run: async ({ kiosk, proxy, times, kind }) => {
      // The create happens at Vipps, but its answer is lost on every attempt: the kiosk must read back.
      await kiosk.control.faults({
        rules: [{ path: '/epayment/v1/payments', method: 'POST', status: 500, after: true, count: 3 }],
      });
      proxy.corrupt({ method: 'GET', path: PAYMENT_PATH, garble: kind, count: times });
      kiosk.scan(MILK);
      kiosk.scan(BREAD);
      kiosk.scan(kiosk.sandbox.customers[0]!.personalQrV2);
      let model = await kiosk.untilResting();
      // Unreadable is not "not there": the customer must not get a second push for this basket.
      expect((await kiosk.control.payments()).map((p) => p.reference)).toEqual(['kiosk-07-0000000001-1']);
      if (model.screen === 'unavailable') {
        kiosk.send({ type: 'try-again' });
        model = await kiosk.untilResting();
      }
      expect(model.machineState).toBe('session.flow.awaitingApproval.waiting');
      expect(model.payment?.reference).toBe('kiosk-07-0000000001-1');
      expect((await kiosk.control.payments()).map((p) => [p.reference, p.state])).toEqual([
        ['kiosk-07-0000000001-1', 'CREATED'],
      ]);
      await kiosk.control.act('kiosk-07-0000000001-1', 'approve');
      expect((await drive(kiosk, ['approved'])).screen).toBe('approved');
    },
  },
  {
    name: 'the resume read on "try again" after an outage',
    run: async ({ kiosk, proxy, times, kind }) => {
      await kiosk.control.faults({
        rules: [
          { path: '/epayment/v1/payments', method: 'POST', status: 500, after: true, count: 3 },
          { path: '/epayment/v1/payments/', method: 'GET', status: 503, count: 3 },
        ],
      });
      kiosk.scan(MILK);
      kiosk.scan(BREAD);
      kiosk.scan(kiosk.sandbox.customers[0]!.personalQrV2);
      await kiosk.until('unavailable');
      proxy.corrupt({ method: 'GET', path: PAYMENT_PATH, garble: kind, count: times });
      kiosk.send({ type: 'try-again' });
      let model = await kiosk.untilResting();
      expect((await kiosk.control.payments()).map((p) => p.reference)).toEqual(['kiosk-07-0000000001-1']);
      if (model.screen === 'unavailable') {
        kiosk.send({ type: 'try-again' });
        model = await kiosk.untilResting();
      }
      expect(model.machineState).toBe('session.flow.awaitingApproval.waiting');
      expect((await kiosk.control.payments()).map((p) => [p.reference, p.state])).toEqual([
        ['kiosk-07-0000000001-1', 'CREATED'],
      ]);
      await kiosk.control.act('kiosk-07-0000000001-1', 'approve');
      expect((await drive(kiosk, ['approved'])).screen).toBe('approved');
    },
  },
  {
    name: 'the check while cancelling a request the customer has open',
    run: async ({ kiosk, proxy, times, kind }) => {
      const reference = await startPayment(kiosk);
      await kiosk.control.act(reference, 'open');
      kiosk.send({ type: 'cancel' });
      await kiosk.until('session.flow.cancelling.pausing'); // 6250: the customer is deciding
      proxy.corrupt({ method: 'GET', path: PAYMENT_PATH, garble: kind, count: times });
      kiosk.tick(2_000);
      const afterGarble = await kiosk.untilResting();
      // The payment is still open on the phone: the kiosk may not call the cancel done.
      expect(afterGarble.screen).toBe('cancelling');
      await kiosk.control.act(reference, 'approve');
      const model = await drive(kiosk, ['basket']);
      expect(model.screen).toBe('basket');
      const payment = await kiosk.control.payment(reference);
      expect(payment.aggregate.cancelledAmount.value).toBe(TOTAL);
    },
  },
  {
    name: 'the check after a capture Vipps refused',
    run: async ({ kiosk, proxy, times, kind }) => {
      const reference = await startPayment(kiosk);
      await kiosk.control.act(reference, 'approve');
      // One capture refused outright (nothing captured), so the kiosk reads the payment to decide.
      await kiosk.control.faults({
        rules: [{ path: `/epayment/v1/payments/${reference}/capture`, status: 409, count: 1 }],
      });
      proxy.corrupt({ method: 'GET', path: PAYMENT_PATH, garble: kind, count: times, skip: 1 });
      kiosk.tick(5_000);
      const model = await drive(kiosk, ['approved', 'declined']);
      // The customer approved and nothing was captured: a garbled read is no reason to release the money.
      expect(model.screen).toBe('approved');
      const payment = await kiosk.control.payment(reference);
      expect(payment.aggregate.capturedAmount.value).toBe(TOTAL);
      expect(payment.aggregate.cancelledAmount.value).toBe(0);
    },
  },
];

// Both compositions: the machine on the bare client (as test/support's harness wires it), and on the client
// inside the payment journal (as device/main.ts wires it for a real kiosk).
const COMPOSITIONS = [
  { composition: 'bare client', journal: false },
  { composition: 'journaled client', journal: true },
];

describe.each(COMPOSITIONS)('malformed Vipps answers: the checkout on the $composition', ({ journal }) => {
  describe.each(SCENARIOS)('garbling $name', ({ run }) => {
    let kiosk: CheckoutHarness | undefined;
    let proxy: CorruptingProxy | undefined;
    afterEach(async () => {
      await kiosk?.stop();
      await proxy?.stop();
      kiosk = undefined;
      proxy = undefined;
    });

    it.each(GARBLES)('%s: resolves safely, decides nothing on it, keeps running', async (kind) => {
      kiosk = new CheckoutHarness({
        journal,
        timeouts: { connectMs: 300, tokenMs: 300, createMs: 300, readMs: 300, modifyMs: 300, qrMs: 300 },
        front: async (sandboxUrl) => {
          proxy = new CorruptingProxy(sandboxUrl);
          return proxy.start();
        },
      });
      await kiosk.start();
      const times = RETRIED_GARBLES.includes(kind) ? 3 : 1;
      await run({ kiosk, proxy: proxy!, times, kind });
      expect(proxy!.garbled.length, 'the garble really happened').toBe(times);
      expect(kiosk.status).toBe('active');
      expect(kiosk.errors).toEqual([]);
      expect(await ledgerProblems(kiosk)).toEqual([]);
    });
  });
});
