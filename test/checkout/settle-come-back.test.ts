import { afterEach, describe, expect, it } from 'vitest';
import type { CheckoutDomainEvent } from '../../device/checkout/domain-events.js';
import { Alerts } from '../../device/telemetry/alerts.js';
import { KioskAlerts, SETTLE_HANDED_OVER } from '../../device/telemetry/kiosk-alerts.js';
import { CheckoutHarness } from '../support/checkout-harness.js';

// Issue 14, item 2: Vipps' "come back later" answers to a capture or cancel, from the strict sandbox over
// real HTTP, on the simulated clock. A 4xx stays the answer for its Idempotency-Key (the sandbox's default),
// so the loops must read the payment and ask again under the next key; only 6260/6280 and unknown outcomes
// keep the key; five create/capture/cancel calls a minute per reference at most; after two minutes the
// payment goes to recovery and the customer is let go.

const MUTATING = /^(create|capture|cancel) /;

describe('settling when Vipps says "come back later"', () => {
  let kiosk: CheckoutHarness;
  const events: CheckoutDomainEvent[] = [];

  async function start(options: ConstructorParameters<typeof CheckoutHarness>[0] = {}) {
    kiosk = await new CheckoutHarness(options).start();
    events.length = 0;
    kiosk.service.onDomainEvent((event) => events.push(event));
    return kiosk;
  }
  afterEach(async () => {
    await kiosk?.stop();
  });

  const keysOf = (kind: 'capture' | 'cancel') =>
    kiosk.calls
      .filter((call) => call.startsWith(`${kind} `))
      .map((call) => call.split('-').slice(-2).join('-'));

  /** Moves both clocks a second at a time until `done`, noting when each mutating call went out. */
  async function runUntil(
    done: () => boolean,
    limitMs: number,
  ): Promise<Array<{ at: number; call: string }>> {
    const sent: Array<{ at: number; call: string }> = [];
    let seen = 0;
    const note = () => {
      for (const call of kiosk.calls.slice(seen))
        if (MUTATING.test(call)) sent.push({ at: kiosk.clock.now(), call });
      seen = kiosk.calls.length;
    };
    for (let waited = 0; waited <= limitMs && !done(); waited += 1_000) {
      await kiosk.untilResting();
      note();
      kiosk.tick(1_000);
    }
    await kiosk.untilResting();
    note();
    return sent;
  }

  /** The most calls to one reference inside any sliding minute. */
  function busiestMinute(sent: Array<{ at: number }>): number {
    return Math.max(0, ...sent.map(({ at }) => sent.filter((s) => s.at >= at && s.at < at + 60_000).length));
  }

  it('captures under the next key after a locked payment (423), which stays 423 for its key', async () => {
    await start();
    const reference = await kiosk.startPayment();
    await kiosk.control.refuse(reference, '423', { count: 1, operations: ['capture'] });
    await kiosk.control.act(reference, 'approve');
    kiosk.tick(5_000);
    await kiosk.untilResting();
    await runUntil(() => kiosk.model.screen === 'approved', 10_000);
    expect(kiosk.model.screen).toBe('approved');
    expect(keysOf('capture')).toEqual(['capture-1', 'capture-2']);
    const payment = await kiosk.control.payment(reference);
    expect(payment.aggregate.capturedAmount.value).toBe(6780);
    expect(payment.events.filter((e) => e.name === 'CAPTURED' && e.success)).toHaveLength(1);
  });

  it('cancels under a new key each time the payment is locked by another operation (6160)', async () => {
    await start();
    const reference = await kiosk.startPayment();
    await kiosk.control.refuse(reference, '6160', { count: 2, operations: ['cancel'] });
    kiosk.send({ type: 'cancel' });
    await runUntil(() => kiosk.model.screen === 'basket', 20_000);
    expect(kiosk.model.screen).toBe('basket');
    expect(keysOf('cancel')).toEqual(['cancel-1', 'cancel-2', 'cancel-3']);
    expect((await kiosk.control.payment(reference)).state).toBe('TERMINATED');
    expect(events.map((e) => e.type)).toContain('payment.cancelled');
  });

  it('asks a cancel again under the next key while the customer has the request open (6250)', async () => {
    await start();
    const reference = await kiosk.startPayment();
    await kiosk.control.act(reference, 'open');
    kiosk.send({ type: 'cancel' });
    await runUntil(() => keysOf('cancel').length >= 2, 10_000);
    await kiosk.control.act(reference, 'reject');
    await runUntil(() => kiosk.model.screen === 'basket', 10_000);
    expect(kiosk.model.screen).toBe('basket');
    expect(new Set(keysOf('cancel')).size).toBe(keysOf('cancel').length);
    expect((await kiosk.control.payment(reference)).state).toBe('ABORTED');
  });

  it('keeps the same key after 6280 and 6260 ("capture failed, try again"), capturing once', async () => {
    await start();
    const reference = await kiosk.startPayment();
    await kiosk.control.refuse(reference, '6280', { count: 1 });
    await kiosk.control.refuse(reference, '6260', { count: 1 });
    await kiosk.control.act(reference, 'approve');
    kiosk.tick(5_000);
    await runUntil(() => kiosk.model.screen === 'approved', 20_000);
    expect(kiosk.model.screen).toBe('approved');
    expect(keysOf('capture')).toEqual(['capture-1', 'capture-1', 'capture-1']);
    const captured = (await kiosk.control.payment(reference)).events.filter((e) => e.name === 'CAPTURED');
    expect(captured.map((e) => e.success)).toEqual([false, false, true]);
  });

  it('never sends more than five create/capture/cancel calls a minute for one reference', async () => {
    // One try per call: the client's own retries of a 423 (same key) are the client's business; this pins
    // the machine's pacing of its own calls.
    await start({ retry: { maxAttempts: 1 } });
    const reference = await kiosk.startPayment();
    await kiosk.control.refuse(reference, '423', { count: 7, operations: ['capture'] });
    await kiosk.control.act(reference, 'approve');
    const sent = await runUntil(() => kiosk.model.screen === 'approved', 115_000);
    expect(kiosk.model.screen).toBe('approved');
    expect(keysOf('capture')).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `capture-${n}`));
    expect(sent[0]?.call).toMatch(/^create /);
    expect(busiestMinute(sent)).toBe(5);
    expect((await kiosk.control.payment(reference)).aggregate.capturedAmount.value).toBe(6780);
  });

  it('hands a capture Vipps keeps refusing to recovery after two minutes: the customer gets the receipt, recovery captures once, staff are alerted until it has', async () => {
    await start({ journal: true });
    // Recovery takes it through the composition the daemon uses (RecoveryHandOver); the alert as
    // device/main.ts wires it.
    const published: Array<{ code: string; cleared: boolean }> = [];
    const alerts = new Alerts({
      publish: ({ payload }) => published.push(payload),
      now: () => kiosk.clock.now(),
    });
    const kioskAlerts = new KioskAlerts(alerts, kiosk.service, kiosk.recovery!);
    kioskAlerts.start();
    const reference = await kiosk.startPayment();
    // Locked for the ten keys the kiosk tries in two minutes at five calls a minute, and one more.
    await kiosk.control.refuse(reference, '6160', { count: 11, operations: ['capture'] });
    await kiosk.control.act(reference, 'approve');
    await runUntil(
      () => kiosk.model.screen !== 'capturing' && kiosk.model.screen !== 'awaiting-approval',
      150_000,
    );
    const model = kiosk.model;
    expect(model.screen).toBe('approved');
    expect(model.receipt?.total).toBe(6780);
    expect(events.filter((e) => e.type !== 'club.enrolment').map((e) => e.type)).toEqual([
      'payment.settle-handed-over',
      'sale.completed',
    ]);
    expect(events[0]).toEqual({ type: 'payment.settle-handed-over', reference, operation: 'capture' });
    expect(alerts.active().map((alert) => [alert.code, alert.severity])).toEqual([
      [SETTLE_HANDED_OVER, 'warning'],
    ]);
    expect(keysOf('capture')).toHaveLength(10);
    const machineCalls = kiosk.calls.length;
    // Recovery keeps asking, each time under the next key, until the lock is gone (a minute on, the
    // sandbox's rate window has room again).
    kiosk.tick(60_000);
    await expect
      .poll(async () => (await kiosk.control.payment(reference)).aggregate.capturedAmount.value, {
        timeout: 5_000,
      })
      .toBe(6780);
    const payment = await kiosk.control.payment(reference);
    expect(payment.events.filter((e) => e.name === 'CAPTURED' && e.success)).toHaveLength(1);
    expect(kiosk.calls).toHaveLength(machineCalls);
    await expect.poll(() => alerts.active(), { timeout: 5_000 }).toEqual([]);
    expect(published.map(({ code, cleared }) => [code, cleared])).toEqual([
      [SETTLE_HANDED_OVER, false],
      [SETTLE_HANDED_OVER, true],
    ]);
    kioskAlerts.stop();
  });

  it('hands a cancel to recovery after two minutes of 6250: the customer is back at the basket, recovery releases a late approval', async () => {
    await start({ journal: true });
    const reference = await kiosk.startPayment();
    // The customer opens the request in the app and leaves it open: every cancel is answered 6250.
    await kiosk.control.act(reference, 'open');
    kiosk.send({ type: 'cancel' });
    await runUntil(() => kiosk.model.screen !== 'cancelling', 150_000);
    expect(kiosk.model.screen).toBe('basket');
    expect(events).toEqual([{ type: 'payment.settle-handed-over', reference, operation: 'cancel' }]);
    expect(new Set(keysOf('cancel')).size).toBe(keysOf('cancel').length);
    // They approve after all; recovery releases the whole reservation (not captured: no goods left the store).
    await kiosk.control.act(reference, 'approve');
    kiosk.tick(60_000);
    kiosk.recovery!.take(reference);
    await expect
      .poll(async () => (await kiosk.control.payment(reference)).aggregate.cancelledAmount.value, {
        timeout: 5_000,
      })
      .toBe(6780);
    expect((await kiosk.control.payment(reference)).aggregate.capturedAmount.value).toBe(0);
  });
});
