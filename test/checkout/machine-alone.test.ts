import { afterEach, describe, expect, it } from 'vitest';
import { type Actor, createActor, fromPromise, SimulatedClock, waitFor } from 'xstate';
import type {
  Amount,
  CreatePaymentRequest,
  GetPaymentResponse,
  ModificationResponse,
  PaymentState,
} from '../../contracts/vipps-types.js';
import { loadCatalogFile } from '../../device/catalog/catalog-file.js';
import type { ClubPolicy } from '../../device/checkout/checkout-types.js';
import { consentMachine } from '../../device/checkout/club-consent.js';
import type { Member } from '../../device/checkout/domain/member.js';
import type { CheckoutDomainEvent } from '../../device/checkout/domain-events.js';
import { checkoutMachine } from '../../device/checkout/machine.js';
import { DEFAULT_TIMING } from '../../device/checkout/ports.js';
import { flowStatePath } from '../../device/checkout/screen-projection.js';
import { cancelMachine, captureMachine } from '../../device/checkout/settle-payment.js';
import { VippsApiError, VippsUnavailableError } from '../../device/vipps/errors.js';
import type { LoginPoll } from '../../device/vipps/login-types.js';
import { DEMO_CATALOG } from '../support/checkout-harness.js';

// The checkout machine on its own: every actor a stub answering what the test says, every timer on an
// XState SimulatedClock. What it proves: the chart's routes and the domain events it emits, without
// HTTP (test/checkout/machine.test.ts drives the same machine through the real client and sandbox).

const MILK = '2000000000015'; // Melk 1 l, 24.90, no member price
const COFFEE = '2000000000039'; // Kaffe 250 g, 69.90, 59.90 for members
const QR = 'https://qr.vipps.no/p/customer-1';
const START = Date.parse('2026-11-23T12:00:00Z');
const REFERENCE = 'kiosk-07-0000000001-1';

/** Vipps as the stubs answer it: payments by reference, and every call the machine made, in order. */
class StubVipps {
  readonly calls: string[] = [];
  readonly payments = new Map<
    string,
    { state: PaymentState; amount: number; captured: number; cancelled: number }
  >();
  /** Errors the next calls of a kind throw, first one first. */
  readonly failures: Record<string, unknown[]> = {};

  fail(kind: string, ...errors: unknown[]): void {
    this.failures[kind] = [...(this.failures[kind] ?? []), ...errors];
  }

  private take(kind: string, what: string): void {
    this.calls.push(what);
    const error = this.failures[kind]?.shift();
    if (error) throw error;
  }

  create(request: CreatePaymentRequest, key: string) {
    this.take('create', `create ${key}`);
    this.payments.set(request.reference, {
      state: 'CREATED',
      amount: request.amount.value,
      captured: 0,
      cancelled: 0,
    });
    return { reference: request.reference };
  }

  read(reference: string): GetPaymentResponse {
    this.take('get', `get ${reference}`);
    const payment = this.payment(reference);
    return {
      ...this.answer(reference),
      paymentMethod: { type: 'WALLET' },
      profile: {},
      state: payment.state,
    };
  }

  capture(reference: string, amount: Amount, key: string): ModificationResponse {
    this.take('capture', `capture ${key}`);
    const payment = this.payment(reference);
    payment.captured = amount.value;
    return this.answer(reference);
  }

  cancel(reference: string, cancelTransactionOnly: boolean, key: string): ModificationResponse {
    this.take('cancel', `cancel ${key}`);
    const payment = this.payment(reference);
    if (payment.state === 'AUTHORIZED') payment.cancelled = payment.amount - payment.captured;
    payment.state = cancelTransactionOnly && payment.state === 'AUTHORIZED' ? payment.state : 'TERMINATED';
    return this.answer(reference);
  }

  payment(reference: string) {
    const payment = this.payments.get(reference);
    if (!payment) throw new VippsApiError({ name: 'get' }, 404, { title: 'Not found' });
    return payment;
  }

  private answer(reference: string): ModificationResponse {
    const { state, amount, captured, cancelled } = this.payment(reference);
    const nok = (value: number) => ({ currency: 'NOK' as const, value });
    return {
      reference,
      pspReference: `psp-${reference}`,
      state,
      amount: nok(amount),
      aggregate: {
        authorizedAmount: nok(state === 'AUTHORIZED' ? amount : 0),
        capturedAmount: nok(captured),
        cancelledAmount: nok(cancelled),
        refundedAmount: nok(0),
      },
    };
  }
}

/** The club's side: who is a member, and what each login poll answers. */
class StubClub {
  readonly calls: string[] = [];
  readonly polls: LoginPoll[] = [];
}

const CLUB: ClubPolicy = {
  scopes: 'openid phoneNumber',
  loginExpirySeconds: 120,
  bindingMessage: () => 'HJK-479',
};

let actor: Actor<typeof checkoutMachine> | undefined;
afterEach(() => actor?.stop());

async function start(options: { club?: boolean } = {}) {
  const vipps = new StubVipps();
  const club = new StubClub();
  const clock = new SimulatedClock();
  clock.set(START);
  const events: CheckoutDomainEvent[] = [];
  const getPayment = fromPromise(async ({ input }: { input: { reference: string } }) =>
    vipps.read(input.reference),
  );
  const cancel = fromPromise(
    async ({ input }: { input: { reference: string; cancelTransactionOnly: boolean; key: string } }) =>
      vipps.cancel(input.reference, input.cancelTransactionOnly, input.key),
  );
  const machine = checkoutMachine.provide({
    actors: {
      reserveReceiptNumber: fromPromise(async () => '0000000001'),
      createPayment: fromPromise(async ({ input }) => vipps.create(input.request, input.key)),
      getPayment,
      cancel,
      capturePayment: captureMachine.provide({
        actors: {
          getPayment,
          capture: fromPromise(async ({ input }) => vipps.capture(input.reference, input.amount, input.key)),
        },
      }),
      cancelPayment: cancelMachine.provide({ actors: { getPayment, cancel } }),
      msisdnOf: fromPromise(async () => '4712345678'),
      lookupMember: fromPromise(async (): Promise<Member | null> => null),
      consent: consentMachine.provide({
        actors: {
          startLogin: fromPromise(async ({ input }) => {
            club.calls.push(`start login ${input.bindingMessage}`);
            return { authReqId: 'auth-1', expiresInSeconds: 120, intervalSeconds: 2 };
          }),
          pollLogin: fromPromise(async () => {
            club.calls.push('poll login');
            return club.polls.shift() ?? { kind: 'pending' };
          }),
          enrolMember: fromPromise(async ({ input }) => {
            club.calls.push(`enrol ${input.sub}`);
            return { msisdn: input.msisdn, joinedAt: START } as never;
          }),
        },
      }),
    },
  });
  actor = createActor(machine, {
    clock,
    input: {
      catalog: await loadCatalogFile(DEMO_CATALOG),
      kioskId: 'kiosk-07',
      merchantSerialNumber: '123456',
      storeName: 'Butikken Test',
      timing: DEFAULT_TIMING,
      defaultLanguage: 'nb',
      club: options.club ? CLUB : null,
    },
  });
  actor.on('*', (event) => events.push(event));
  actor.start();
  const running = actor;
  const at = (path: string) =>
    waitFor(running, (snapshot) => flowStatePath(snapshot).startsWith(path), { timeout: 2_000 });
  return { actor: running, vipps, club, clock, events, at };
}

/** Scans the basket and the customer's QR; ends waiting for the customer to approve. */
async function basketPushed(kiosk: Awaited<ReturnType<typeof start>>, ...gtins: string[]) {
  for (const gtin of gtins) kiosk.actor.send({ type: 'scan', text: gtin });
  kiosk.actor.send({ type: 'scan', text: QR });
  await kiosk.at('session.flow.awaitingApproval.waiting');
}

describe('the checkout machine alone', () => {
  it('sells: polls after 5 s, captures, and emits sale.completed with the receipt it captured', async () => {
    const kiosk = await start();
    await basketPushed(kiosk, MILK, MILK);
    kiosk.vipps.payment(REFERENCE).state = 'AUTHORIZED';
    kiosk.clock.increment(DEFAULT_TIMING.pollFirstMs);
    await kiosk.at('session.flow.approved');

    expect(kiosk.vipps.calls).toEqual([
      `create ${REFERENCE}-create`,
      `get ${REFERENCE}`,
      `capture ${REFERENCE}-capture-1`,
    ]);
    const [sale, ...more] = kiosk.events;
    expect(more).toEqual([]);
    expect(sale).toMatchObject({
      type: 'sale.completed',
      reference: REFERENCE,
      receiptNumber: '0000000001',
      paidAt: START + DEFAULT_TIMING.pollFirstMs,
      amount: 4980,
      currency: 'NOK',
      memberSavings: 0,
      pspReference: `psp-${REFERENCE}`,
      lines: [{ id: MILK, name: 'Melk 1 l', totalAmount: 4980, unitInfo: { quantity: '2' } }],
    });
    // Food VAT (15 %) of 49.80 kr, as the receipt line splits it.
    expect(sale?.type === 'sale.completed' && sale.vat).toEqual([{ rate: 1500, amount: 650 }]);
    // The session is cleared for the next customer: nothing is left to let go of.
    kiosk.actor.send({ type: 'done' });
    expect(kiosk.actor.getSnapshot().value).toBe('attract');
    expect(kiosk.events).toHaveLength(1);
  });

  it('emits payment.declined with the reference and amount when the customer rejects in the app', async () => {
    const kiosk = await start();
    await basketPushed(kiosk, MILK);
    kiosk.vipps.payment(REFERENCE).state = 'ABORTED';
    kiosk.clock.increment(DEFAULT_TIMING.pollFirstMs);
    await kiosk.at('session.flow.declined');
    expect(kiosk.events).toEqual([
      { type: 'payment.declined', reference: REFERENCE, reason: 'rejected', amount: 2490 },
    ]);
  });

  it('emits payment.cancelled once the customer cancelled and nothing is reserved', async () => {
    const kiosk = await start();
    await basketPushed(kiosk, MILK);
    kiosk.actor.send({ type: 'cancel' });
    await kiosk.at('session.flow.basket');
    expect(kiosk.vipps.calls.at(-1)).toBe(`cancel ${REFERENCE}-cancel-1`);
    expect(kiosk.events).toEqual([{ type: 'payment.cancelled', reference: REFERENCE, amount: 2490 }]);
  });

  it('emits payment.abandoned when the customer leaves a payment whose outcome the kiosk does not know', async () => {
    const kiosk = await start();
    kiosk.vipps.fail(
      'create',
      new VippsUnavailableError({ name: 'create' }, 'timed out', { outcomeUnknown: true, attempts: 3 }),
    );
    kiosk.vipps.fail(
      'get',
      new VippsUnavailableError({ name: 'get' }, 'down', { outcomeUnknown: false, attempts: 3 }),
    );
    kiosk.actor.send({ type: 'scan', text: MILK });
    kiosk.actor.send({ type: 'scan', text: QR });
    await kiosk.at('session.flow.unavailable');
    expect(kiosk.actor.getSnapshot().context.vippsReachable).toBe(false);
    kiosk.actor.send({ type: 'start-over' });
    expect(kiosk.actor.getSnapshot().value).toBe('attract');
    expect(kiosk.events).toEqual([{ type: 'payment.abandoned', reference: REFERENCE }]);
  });

  it('retries a capture Vipps asks to come back for, with the same key after the settle pause', async () => {
    const kiosk = await start();
    await basketPushed(kiosk, MILK);
    kiosk.vipps.payment(REFERENCE).state = 'AUTHORIZED';
    kiosk.vipps.fail(
      'capture',
      new VippsApiError({ name: 'capture' }, 400, { extraDetails: [{ name: 'ErrorCode', reason: '6260' }] }),
    );
    kiosk.clock.increment(DEFAULT_TIMING.pollFirstMs);
    await kiosk.at('session.flow.capturing.pausing');
    kiosk.clock.increment(DEFAULT_TIMING.settleRetryMs - 1);
    expect(flowStatePath(kiosk.actor.getSnapshot())).toBe('session.flow.capturing.pausing');
    kiosk.clock.increment(1);
    await kiosk.at('session.flow.approved');
    expect(kiosk.vipps.calls.filter((call) => call.startsWith('capture'))).toEqual([
      `capture ${REFERENCE}-capture-1`,
      `capture ${REFERENCE}-capture-1`,
    ]);
    expect(kiosk.events.map((event) => event.type)).toEqual(['sale.completed']);
  });

  it('joins the club through the consent child and pays at member prices, telling HQ only the outcome', async () => {
    const kiosk = await start({ club: true });
    kiosk.actor.send({ type: 'scan', text: COFFEE });
    kiosk.actor.send({ type: 'scan', text: QR });
    await kiosk.at('session.flow.clubOffer');
    kiosk.actor.send({ type: 'join-club' });
    await kiosk.at('session.flow.consent.awaiting.waiting');
    expect(kiosk.actor.getSnapshot().context.club.login).toEqual({
      bindingMessage: 'HJK-479',
      authReqId: 'auth-1',
      intervalMs: 2_000,
      expiresAt: START + 120_000,
      notice: null,
    });
    // Screen taps while the app asks are the customer's; the first poll finds it still pending.
    kiosk.clock.increment(2_000);
    await kiosk.at('session.flow.consent.awaiting.waiting');
    kiosk.club.polls.push({ kind: 'approved', accessToken: 'token', sub: 'sub-1' } as LoginPoll);
    kiosk.clock.increment(2_000);
    await kiosk.at('session.flow.awaitingApproval.waiting');

    expect(kiosk.club.calls).toEqual(['start login HJK-479', 'poll login', 'poll login', 'enrol sub-1']);
    expect(kiosk.events).toEqual([{ type: 'club.enrolment', outcome: 'joined', basketSavings: 1000 }]);
    const { context } = kiosk.actor.getSnapshot();
    expect(context.club.status).toBe('joined');
    expect(context.payment?.amount).toBe(5990);
  });

  it('reports an offer the customer walks away from as abandoned', async () => {
    const kiosk = await start({ club: true });
    kiosk.actor.send({ type: 'scan', text: COFFEE });
    kiosk.actor.send({ type: 'scan', text: QR });
    await kiosk.at('session.flow.clubOffer');
    kiosk.actor.send({ type: 'start-over' });
    expect(kiosk.events).toEqual([{ type: 'club.enrolment', outcome: 'abandoned', basketSavings: 1000 }]);
  });

  it('pulses for HQ for the seconds asked, on the machine clock, and numbers a dropped scan with the rest', async () => {
    const kiosk = await start();
    kiosk.actor.send({ type: 'identify', seconds: 10 });
    expect(kiosk.actor.getSnapshot().context.identifying).toBe(true);
    kiosk.clock.increment(9_999);
    expect(kiosk.actor.getSnapshot().context.identifying).toBe(true);
    kiosk.clock.increment(1);
    expect(kiosk.actor.getSnapshot().context.identifying).toBe(false);

    kiosk.actor.send({ type: 'scan', text: MILK });
    kiosk.actor.send({ type: 'scan.dropped' });
    expect(kiosk.actor.getSnapshot().context.feedback).toEqual({ seq: 2, kind: 'scan-incomplete' });
  });
});
