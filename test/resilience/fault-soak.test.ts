import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import type { ScreenModel } from '../../contracts/screen-model.js';
import { PHONE_ENTRY_POLICY } from '../../device/checkout/phone-entry-limit.js';
import { JournalingPayments } from '../../device/journal/journaling-payments.js';
import { recoverPayments } from '../../device/journal/recovery.js';
import { CheckoutHarness, DEMO_CATALOG } from '../support/checkout-harness.js';
import { Dice, seededRandom, suiteSeed } from '../support/prng.js';
import type { SandboxPayment } from '../support/sandbox-control.js';
import { CorruptingProxy } from './support/corrupting-proxy.js';
import { VippsTraffic } from './support/vipps-traffic.js';

// 500 checkouts through the real machine, the real Vipps client and the real sandbox, with about one
// Vipps request in five hit by a fault: 5xx, 429 with Retry-After, dropped connections, calls that
// never answer, slow answers, and all of these after the operation happened (only the answer lost).
// The customer approves, rejects, lets the request expire or cancels (also racing an approval), and
// walks away in different ways. Captures and cancels also meet Vipps' "come back later" answers (423,
// 6160, 6250, 6260, 6280), as injected answers and as per-payment switches whose refusal stays the answer
// for its Idempotency-Key; a payment the kiosk hands to recovery after two minutes is taken by recovery
// (the test wires the hand-over as device/main.ts does). Afterwards the sandbox's ledger must show every
// payment settled once.
//
// Reproduce a failure with RESILIENCE_SEED=<printed seed> npx vitest run test/resilience/fault-soak.test.ts
// (SOAK_CHECKOUTS=<n> runs a shorter or longer soak; the figures below assume the default 500).

const CHECKOUTS = Number(process.env['SOAK_CHECKOUTS'] ?? 500);
const SEED = suiteSeed(20261123);
/** The client's per-attempt budget: short, so a hung call costs little real time. */
const CALL_TIMEOUT_MS = 150;
const PAYMENTS = '/epayment/v1/payments';

const products: Array<{ gtin: string; unitPrice: number }> = JSON.parse(
  readFileSync(DEMO_CATALOG, 'utf8'),
).products;

type FaultKind =
  | 'status-before'
  | 'status-after'
  | 'throttle'
  | 'reset-before'
  | 'reset-after'
  | 'hang-before'
  | 'hang-after'
  | 'come-back';

const FAULT_WEIGHTS: Record<FaultKind, number> = {
  'status-before': 30,
  'status-after': 18,
  throttle: 16,
  'reset-before': 14,
  'reset-after': 14,
  'hang-before': 4,
  'hang-after': 4,
  'come-back': 14,
};

/** "Come back later" answers Vipps gives a capture or a cancel, as the sandbox shapes them (sandbox/README.md). */
const COME_BACK: Record<'capture' | 'cancel', Array<{ status: number; code?: string }>> = {
  capture: [
    { status: 423 },
    { status: 409, code: '6160' },
    { status: 400, code: '6260' },
    { status: 400, code: '6280' },
  ],
  cancel: [{ status: 423 }, { status: 409, code: '6160' }, { status: 409, code: '6250' }],
};
const REFUSALS = ['423', '6160', '6250', '6260', '6280'] as const;

interface FaultRule {
  path: string;
  method: 'GET' | 'POST';
  count: number;
  status?: number;
  code?: string;
  retryAfter?: number;
  reset?: true;
  hang?: true;
  after?: true;
}

interface FaultPlan {
  latencyMs?: number;
  rules: FaultRule[];
}

type Action =
  | 'approve'
  | 'reject'
  | 'expire'
  | 'expire-opened'
  | 'cancel'
  | 'cancel-after-approve'
  | 'cancel-while-open-approve'
  | 'cancel-while-open-reject';

const ACTION_WEIGHTS: Record<Action, number> = {
  approve: 36,
  reject: 14,
  expire: 9,
  'expire-opened': 5,
  cancel: 16,
  'cancel-after-approve': 8,
  'cancel-while-open-approve': 6,
  'cancel-while-open-reject': 6,
};

/** Where each customer action must land, and what Vipps must hold afterwards. */
const EXPECTED: Record<Action, { outcome: string; ledger: (p: SandboxPayment, total: number) => boolean }> = {
  approve: {
    outcome: 'approved',
    ledger: (p, total) =>
      p.state === 'AUTHORIZED' &&
      p.aggregate.capturedAmount.value === total &&
      p.aggregate.cancelledAmount.value === 0,
  },
  reject: { outcome: 'declined:rejected', ledger: (p) => p.state === 'ABORTED' },
  expire: { outcome: 'declined:expired', ledger: (p) => p.state === 'EXPIRED' },
  'expire-opened': { outcome: 'declined:expired', ledger: (p) => p.state === 'EXPIRED' },
  cancel: { outcome: 'basket', ledger: (p) => p.state === 'TERMINATED' },
  'cancel-after-approve': {
    outcome: 'basket',
    ledger: (p, total) =>
      p.state === 'AUTHORIZED' &&
      p.aggregate.cancelledAmount.value === total &&
      p.aggregate.capturedAmount.value === 0,
  },
  'cancel-while-open-approve': {
    outcome: 'basket',
    ledger: (p, total) =>
      p.state === 'AUTHORIZED' &&
      p.aggregate.cancelledAmount.value === total &&
      p.aggregate.capturedAmount.value === 0,
  },
  'cancel-while-open-reject': { outcome: 'basket', ledger: (p) => p.state === 'ABORTED' },
};

interface CheckoutRecord {
  n: number;
  receipt: string;
  reference: string;
  total: number;
  action: Action;
  outcome: string;
  receiptShown: { receiptNumber: string; total: number } | null;
  leftBy: string;
  screenAfter: string;
  basketAfter: number;
}

describe('fault soak', () => {
  const traffic = new VippsTraffic();
  let kiosk: CheckoutHarness;

  beforeAll(async () => {
    traffic.start();
    kiosk = await new CheckoutHarness({
      timeouts: {
        connectMs: CALL_TIMEOUT_MS,
        tokenMs: CALL_TIMEOUT_MS,
        createMs: CALL_TIMEOUT_MS,
        readMs: CALL_TIMEOUT_MS,
        modifyMs: CALL_TIMEOUT_MS,
        qrMs: CALL_TIMEOUT_MS,
      },
      sleep: traffic.sleeper(2),
      // Simulated customers pay far faster than people: the keypad's limit (test/checkout/phone-probing)
      // would stop the quarter of them who type their number.
      phoneEntry: { ...PHONE_ENTRY_POLICY, perWindow: Number.POSITIVE_INFINITY },
      freezeSandboxClock: true,
      // The payments port as device/main.ts builds it: the client inside the payment journal.
      journal: true,
      // Short-lived tokens, so the soak also renews them (on Vipps' 401) with faults on the token path.
      tokenLifetimeSeconds: 600,
    }).start();
  });
  afterAll(async () => {
    traffic.stop();
    await kiosk?.stop();
  });

  it(`${CHECKOUTS} checkouts under ~20 % injected faults leave every payment settled exactly once`, async () => {
    const dice = new Dice(seededRandom(SEED));
    const started = performance.now();
    const records: CheckoutRecord[] = [];
    const unexpected: string[] = [];
    const stats = {
      planned: 0,
      injected: 0,
      byKind: {} as Record<string, number>,
      latencyPhases: 0,
      latencyOverTimeout: 0,
      recoveries: 0,
      tryAgains: 0,
      webhookHints: 0,
      refusals: {} as Record<string, number>,
      handedOver: { capture: 0, cancel: 0 },
    };
    // Recovery takes a handed-over payment through the daemon's own composition (RecoveryHandOver).
    kiosk.service.onDomainEvent((event) => {
      if (event.type === 'payment.settle-handed-over') stats.handedOver[event.operation]++;
    });
    let plan: FaultPlan = { rules: [] };

    const rule = (kind: FaultKind, path: string, method: 'GET' | 'POST'): FaultRule => {
      const hang = kind === 'hang-before' || kind === 'hang-after';
      const count = hang ? 1 : dice.pick([1, 1, 1, 1, 1, 1, 2, 2, 3, 4]);
      const after = kind.endsWith('-after') ? { after: true as const } : {};
      switch (kind) {
        case 'come-back': {
          // Only a capture or cancel is answered so; sometimes after it happened (the answer says otherwise).
          const answer = dice.pick(COME_BACK[path.endsWith('/capture') ? 'capture' : 'cancel']);
          return { path, method, count, ...answer, ...(dice.chance(0.25) ? { after: true as const } : {}) };
        }
        case 'status-before':
        case 'status-after':
          return { path, method, count, status: dice.pick([500, 502, 503, 504]), ...after };
        case 'throttle':
          return { path, method, count, status: 429, retryAfter: dice.pick([1, 2, 5]) };
        case 'reset-before':
        case 'reset-after':
          return { path, method, count, reset: true, ...after };
        case 'hang-before':
        case 'hang-after':
          return { path, method, count, hang: true, ...after };
      }
    };
    const someRule = (path: string, method: 'GET' | 'POST') => {
      const settling = method === 'POST' && (path.endsWith('/capture') || path.endsWith('/cancel'));
      // A weight of 0 leaves "come back later" to the capture and cancel paths.
      return rule(
        dice.weighted({ ...FAULT_WEIGHTS, 'come-back': settling ? FAULT_WEIGHTS['come-back'] : 0 }),
        path,
        method,
      );
    };
    const kindOf = (r: FaultRule) =>
      `${r.code ? r.code : r.status === 423 ? '423' : r.status === 429 ? '429' : r.status ? '5xx' : r.reset ? 'reset' : 'hang'}${r.after ? '-after' : ''}`;

    const latency = (): number | undefined => {
      if (dice.chance(0.004)) return CALL_TIMEOUT_MS + dice.int(20, 70);
      if (dice.chance(0.06)) return dice.int(10, 60);
      return undefined;
    };

    const install = async (next: FaultPlan) => {
      plan = next;
      stats.planned += next.rules.reduce((sum, r) => sum + r.count, 0);
      if (next.latencyMs !== undefined) {
        stats.latencyPhases++;
        if (next.latencyMs > CALL_TIMEOUT_MS) stats.latencyOverTimeout++;
      }
      await kiosk.control.faults(next);
    };

    /** Counts what the plan in force has used up, rule by rule, before it is replaced. */
    const harvest = async () => {
      const left = (await (await fetch(`${kiosk.sandbox.url}/_sandbox/faults`)).json()) as {
        rules: FaultRule[];
      };
      const remaining = [...left.rules];
      for (const planned of plan.rules) {
        const head = remaining[0];
        const same = head !== undefined && sameRule(head, planned);
        const used = same ? planned.count - head.count : planned.count;
        if (same) remaining.shift();
        stats.injected += used;
        stats.byKind[kindOf(planned)] = (stats.byKind[kindOf(planned)] ?? 0) + used;
      }
    };

    /** Vipps recovers: no more faults, and whatever a slow answer still holds back is let through. */
    const recover = async () => {
      await harvest();
      const heldBack = plan.latencyMs ?? 0;
      plan = { rules: [] };
      await kiosk.control.clearFaults();
      stats.recoveries++;
      if (heldBack > 0) await kiosk.settle(heldBack + 50);
    };

    const ledgerTotal = (lines: Array<{ gtin: string; quantity: number }>) =>
      lines.reduce((sum, l) => sum + l.quantity * products.find((p) => p.gtin === l.gtin)!.unitPrice, 0);

    for (let n = 1; n <= CHECKOUTS; n++) {
      const where = `checkout ${n} (seed ${SEED})`;
      // --- the basket
      const picks = Array.from({ length: dice.int(1, 3) }, () => dice.pick(products));
      for (const product of picks) kiosk.scan(dice.chance(0.2) ? `${product.gtin}\r\n` : product.gtin);
      let model = kiosk.model;
      if (model.screen !== 'basket')
        throw new Error(`${where}: basket not shown after scanning, ${model.screen}`);
      const total = ledgerTotal(model.basket.lines);
      if (model.basket.total !== total)
        throw new Error(`${where}: basket total ${model.basket.total} != ${total}`);

      // --- who pays, with faults on the create path (and on the read-back and token paths)
      const customer = dice.pick(kiosk.sandbox.customers);
      const createRules: FaultRule[] = [];
      if (dice.chance(0.3)) createRules.push(someRule(PAYMENTS, 'POST'));
      if (dice.chance(0.08)) createRules.push(someRule(`${PAYMENTS}/`, 'GET'));
      if (dice.chance(0.15)) createRules.push(someRule('/accesstoken/get', 'POST'));
      await install({ rules: createRules, ...withLatency(latency()) });

      const identify = dice.weighted({ 'scan-v2': 40, 'scan-v1': 20, 'identify-scan': 15, phone: 25 });
      if (identify === 'scan-v2') kiosk.scan(customer.personalQrV2);
      else if (identify === 'scan-v1') kiosk.scan(`${customer.personalQrV1}\r\n`);
      else {
        kiosk.send({ type: 'pay' });
        if (identify === 'identify-scan') kiosk.scan(customer.personalQrV2);
        else kiosk.send({ type: 'pay-phone', msisdn: customer.msisdn });
      }

      let unavailable = 0;
      for (;;) {
        model = await kiosk.untilResting();
        if (model.machineState === 'session.flow.awaitingApproval.waiting') break;
        if (model.screen !== 'unavailable') {
          throw new Error(
            `${where}: creating the payment ended on ${model.machineState} ${JSON.stringify(model.declined)}`,
          );
        }
        // The customer taps "try again"; after a second outage Vipps comes back.
        if (++unavailable >= 2) await recover();
        if (unavailable > 6) throw new Error(`${where}: still unavailable after ${unavailable} tries`);
        stats.tryAgains++;
        kiosk.send({ type: 'try-again' });
      }
      await harvest();
      const reference = model.payment!.reference;
      const receipt = reference.split('-').at(-2)!;

      // --- the customer decides, with faults on the poll, capture and cancel paths of this payment
      const decideRules: FaultRule[] = [];
      if (dice.chance(0.45)) decideRules.push(someRule(`${PAYMENTS}/${reference}`, 'GET'));
      if (dice.chance(0.35)) decideRules.push(someRule(`${PAYMENTS}/${reference}/capture`, 'POST'));
      if (dice.chance(0.35)) decideRules.push(someRule(`${PAYMENTS}/${reference}/cancel`, 'POST'));
      if (dice.chance(0.1)) decideRules.push(someRule('/accesstoken/get', 'POST'));
      await install({ rules: decideRules, ...withLatency(latency()) });
      // A payment Vipps locks for a while: the refusal stays the answer for its key, so only a new key helps.
      if (dice.chance(0.15)) {
        const answer = dice.pick([...REFUSALS]);
        await kiosk.control.refuse(reference, answer, { count: dice.pick([1, 1, 2, 3, 6]) });
        stats.refusals[answer] = (stats.refusals[answer] ?? 0) + 1;
      }

      const action = dice.weighted(ACTION_WEIGHTS);
      const hint = dice.chance(0.3);
      const steps: Array<{ at: number; run: () => Promise<void> | void }> = [];
      const firstAt = dice.int(0, 12);
      const approveNow = async () => {
        await kiosk.control.act(reference, 'approve');
        if (hint) {
          stats.webhookHints++;
          kiosk.service.paymentEvent(reference, 'AUTHORIZED');
        }
      };
      switch (action) {
        case 'approve':
          steps.push({ at: firstAt, run: approveNow });
          break;
        case 'reject':
          steps.push({
            at: firstAt,
            run: async () => {
              await kiosk.control.act(reference, 'reject');
              if (hint) kiosk.service.paymentEvent(reference, 'ABORTED');
            },
          });
          break;
        case 'expire':
          steps.push({ at: firstAt, run: () => kiosk.sandbox.clock.advance(5 * 60_000 + 1_000) });
          break;
        case 'expire-opened':
          steps.push({
            at: firstAt,
            run: async () => {
              await kiosk.control.act(reference, 'open');
              kiosk.sandbox.clock.advance(5 * 60_000 + 1_000);
            },
          });
          break;
        case 'cancel':
          steps.push({ at: firstAt, run: () => kiosk.send({ type: 'cancel' }) });
          break;
        case 'cancel-after-approve':
          steps.push({
            at: firstAt,
            run: async () => {
              await kiosk.control.act(reference, 'approve');
              kiosk.send({ type: 'cancel' });
            },
          });
          break;
        case 'cancel-while-open-approve':
        case 'cancel-while-open-reject':
          steps.push({
            at: firstAt,
            run: async () => {
              await kiosk.control.act(reference, 'open');
              kiosk.send({ type: 'cancel' });
            },
          });
          steps.push({
            at: firstAt + dice.int(1, 6),
            run: () => kiosk.control.act(reference, action.endsWith('approve') ? 'approve' : 'reject'),
          });
          break;
      }

      let seconds = 0;
      let recovered = false;
      for (;;) {
        model = await kiosk.untilResting();
        while (steps.length > 0 && steps[0]!.at <= seconds) await steps.shift()!.run();
        model = await kiosk.untilResting();
        if (['approved', 'declined', 'basket', 'unavailable', 'attract', 'identify'].includes(model.screen)) {
          if (steps.length === 0) break;
        }
        if (seconds > 20 * 60)
          throw new Error(`${where}: no outcome after 20 simulated minutes, ${model.machineState}`);
        // Faults come in bursts: after a minute and a half Vipps is healthy again (a slow spell that
        // times out every call is kept short, as each simulated poll then costs real timeouts).
        const burstSeconds = (plan.latencyMs ?? 0) > CALL_TIMEOUT_MS ? 20 : 90;
        if (!recovered && seconds >= burstSeconds) {
          await recover();
          recovered = true;
        }
        kiosk.tick(1_000);
        seconds++;
      }
      if (!recovered) await harvest();
      await kiosk.control.clearFaults();
      plan = { rules: [] };

      const outcome = model.screen === 'declined' ? `declined:${model.declined?.reason}` : model.screen;
      const receiptShown = model.receipt
        ? { receiptNumber: model.receipt.receiptNumber, total: model.receipt.total }
        : null;

      // --- back to attract: a tap, or the customer walks away and the idle timeout clears the screen
      const leftBy = dice.weighted({ tap: 6, idle: 4 });
      if (leftBy === 'tap') kiosk.send({ type: model.screen === 'approved' ? 'done' : 'start-over' });
      else {
        kiosk.tick(60_000);
        kiosk.tick(30_000);
      }
      const after: ScreenModel = kiosk.model;
      records.push({
        n,
        receipt,
        reference,
        total,
        action,
        outcome,
        receiptShown,
        leftBy,
        screenAfter: after.screen,
        basketAfter: after.basket.lines.length,
      });
      if (outcome !== EXPECTED[action].outcome) {
        unexpected.push(
          `${where}: ${action} of ${reference} ended ${outcome}, expected ${EXPECTED[action].outcome}`,
        );
      }
    }
    // The kiosk stands idle a while: recovery finishes what settle loops handed over, on both clocks.
    for (let s = 0; s < 300 && kiosk.journal!.unfinished().length > 0; s++) {
      kiosk.tick(1_000);
      await kiosk.settle(5);
    }
    await kiosk.recovery!.settled();
    const elapsedMs = performance.now() - started;

    // --- the ledger at "Vipps"
    const ledger = await kiosk.control.payments();
    const byReceipt = new Map<string, SandboxPayment[]>();
    for (const payment of ledger) {
      const receipt = payment.reference.split('-').at(-2)!;
      byReceipt.set(receipt, [...(byReceipt.get(receipt) ?? []), payment]);
    }
    const problems: string[] = [];
    let captured = 0;
    let doubleCharges = 0;
    for (const payment of ledger) {
      const { authorizedAmount, capturedAmount, cancelledAmount, refundedAmount } = payment.aggregate;
      // A capture that failed (6260/6280) is logged as a CAPTURED event with success false: no money moved.
      const capturedEvents = payment.events.filter((e) => e.name === 'CAPTURED' && e.success).length;
      if (capturedAmount.value > 0) captured++;
      if (capturedEvents > 1 || capturedAmount.value > authorizedAmount.value) doubleCharges++;
      if (capturedAmount.value + cancelledAmount.value > authorizedAmount.value)
        problems.push(`${payment.reference}: captured + cancelled exceeds authorized`);
      if (refundedAmount.value !== 0) problems.push(`${payment.reference}: refunded ${refundedAmount.value}`);
      if (payment.state === 'CREATED') problems.push(`${payment.reference}: left CREATED (a live push)`);
      if (
        payment.state === 'AUTHORIZED' &&
        authorizedAmount.value - capturedAmount.value - cancelledAmount.value !== 0
      ) {
        problems.push(`${payment.reference}: AUTHORIZED with money neither captured nor cancelled`);
      }
      if (capturedAmount.value > 0 && capturedEvents !== 1)
        problems.push(`${payment.reference}: ${capturedEvents} CAPTURED events`);
    }
    for (const record of records) {
      const payments = byReceipt.get(record.receipt) ?? [];
      const mine = payments.find((p) => p.reference === record.reference);
      if (payments.length !== 1) {
        problems.push(
          `checkout ${record.n}: ${payments.length} payments for one basket (${payments.map((p) => `${p.reference} ${p.state}`).join(', ')})`,
        );
      }
      if (!mine) {
        problems.push(`checkout ${record.n}: ${record.reference} not in the ledger`);
        continue;
      }
      if (mine.amount.value !== record.total)
        problems.push(
          `checkout ${record.n}: ${mine.reference} is for ${mine.amount.value}, basket ${record.total}`,
        );
      if (!EXPECTED[record.action].ledger(mine, record.total)) {
        problems.push(
          `checkout ${record.n}: ${record.action} left ${mine.reference} ${mine.state} ${JSON.stringify(mine.aggregate)}`,
        );
      }
      if (mine.aggregate.capturedAmount.value > 0 && mine.aggregate.capturedAmount.value !== record.total)
        problems.push(
          `checkout ${record.n}: captured ${mine.aggregate.capturedAmount.value} of ${record.total}`,
        );
      if (record.outcome === 'approved') {
        if (
          record.receiptShown?.total !== record.total ||
          record.receiptShown.receiptNumber !== record.receipt
        )
          problems.push(`checkout ${record.n}: receipt shown ${JSON.stringify(record.receiptShown)}`);
      } else if (mine.aggregate.capturedAmount.value > 0) {
        problems.push(`checkout ${record.n}: captured but the kiosk showed ${record.outcome}`);
      }
      if (record.screenAfter !== 'attract' || record.basketAfter !== 0)
        problems.push(`checkout ${record.n}: left by ${record.leftBy} on ${record.screenAfter}`);
    }

    // The kiosk's own durable record agrees: no payment it ever asked for is left open.
    const unfinished = kiosk.journal!.unfinished().map((u) => u.reference);
    if (unfinished.length > 0)
      problems.push(`journal: ${unfinished.length} payments left unfinished: ${unfinished.join(', ')}`);

    const requests = traffic.requests();
    const retryAfter = traffic.retryAfterChecks();
    const outcomes = countBy(records.map((r) => r.outcome));
    const actions = countBy(records.map((r) => r.action));
    const atAttract = records.filter((r) => r.screenAfter === 'attract' && r.basketAfter === 0).length;
    console.log(
      `fault soak (seed ${SEED}): ${records.length} checkouts, ${stats.injected} faults injected (of ${stats.planned} planned) in ${requests} Vipps requests ` +
        `(${((100 * stats.injected) / requests).toFixed(1)} %; ${fmt(stats.byKind)}; latency spikes in ${stats.latencyPhases} phases, ` +
        `${stats.latencyOverTimeout} over the ${CALL_TIMEOUT_MS} ms timeout), ${doubleCharges} double charges, ${captured} captured ` +
        `once each, ${ledger.length} payments, ${problems.length} ledger problems, ${unexpected.length} unexpected outcomes, ` +
        `${atAttract}/${records.length} ended at attract; outcomes ${fmt(outcomes)}; actions ${fmt(actions)}; ` +
        `${stats.tryAgains} try-agains, ${stats.recoveries} recoveries, ${stats.webhookHints} webhook hints; ` +
        `refusal switches ${fmt(stats.refusals)}; handed to recovery: ${stats.handedOver.capture} captures, ${stats.handedOver.cancel} cancels; ` +
        `journal: ${unfinished.length} unfinished; ` +
        `429 retries honouring Retry-After ${retryAfter.honoured}/${retryAfter.retried}; machine errors ${kiosk.errors.length}; ` +
        `${(elapsedMs / 1000).toFixed(1)} s`,
    );

    expect(kiosk.errors).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(problems).toEqual([]);
    expect(doubleCharges).toBe(0);
    expect(retryAfter.violations).toEqual([]);
    expect(atAttract).toBe(CHECKOUTS);
    expect(records).toHaveLength(CHECKOUTS);
    // The soak is only worth something if the faults really happened, on every path and of every kind.
    expect(stats.injected / requests).toBeGreaterThan(0.12);
    for (const kind of ['5xx', '5xx-after', '429', 'reset', 'reset-after', 'hang', 'hang-after']) {
      expect(stats.byKind[kind] ?? 0, kind).toBeGreaterThan(0);
    }
    for (const kind of ['423', '6160', '6250', '6260', '6280']) {
      expect(stats.byKind[kind] ?? 0, `injected ${kind}`).toBeGreaterThan(0);
      expect(stats.refusals[kind] ?? 0, `switched ${kind}`).toBeGreaterThan(0);
    }
    expect(retryAfter.retried).toBeGreaterThan(0);
    expect(Object.keys(actions)).toHaveLength(Object.keys(ACTION_WEIGHTS).length);
  }, 180_000);
});

// --- Findings the soak's customer cannot run into (it always taps "try again"), pinned on their own ---

describe('fault soak: a customer who gives up while Vipps is unreachable', () => {
  let kiosk: CheckoutHarness | undefined;
  let proxy: CorruptingProxy | undefined;
  afterEach(async () => {
    await kiosk?.stop();
    await proxy?.stop();
    kiosk = undefined;
    proxy = undefined;
  });

  const fast = { connectMs: 300, tokenMs: 300, createMs: 300, readMs: 300, modifyMs: 300, qrMs: 300 };

  /** What Vipps holds for the basket, in words, once the kiosk had every chance to tidy up. */
  async function whatIsLeft(k: CheckoutHarness, when: string): Promise<string[]> {
    const left: string[] = [];
    for (const p of await k.control.payments()) {
      const { authorizedAmount, capturedAmount, cancelledAmount } = p.aggregate;
      if (p.state === 'CREATED')
        left.push(`${when}: ${p.reference} is CREATED, a live payment request on the phone`);
      const reserved = authorizedAmount.value - capturedAmount.value - cancelledAmount.value;
      if (p.state === 'AUTHORIZED' && reserved > 0)
        left.push(`${when}: ${p.reference} has ${reserved} reserved, neither captured nor cancelled`);
      if (capturedAmount.value > 0)
        left.push(`${when}: ${p.reference} captured ${capturedAmount.value} with no receipt`);
    }
    return left;
  }

  it.each(['start-over', 'the idle timeout'] as const)(
    'leaves no live push behind when the customer leaves "unavailable" by %s after a create whose answer was lost',
    async (leaving) => {
      kiosk = await new CheckoutHarness({ journal: true, timeouts: fast }).start();
      // Vipps makes the payment (and pushes it to the phone), but the kiosk never hears so, nor can it read it back.
      await kiosk.control.faults({
        rules: [
          { path: '/epayment/v1/payments', method: 'POST', status: 500, after: true, count: 3 },
          { path: '/epayment/v1/payments/', method: 'GET', status: 503, count: 3 },
        ],
      });
      kiosk.scan('2000000000015');
      kiosk.scan(kiosk.customer.personalQrV2);
      await kiosk.until('unavailable');
      expect((await kiosk.control.payments()).map((p) => p.state)).toEqual(['CREATED']);

      if (leaving === 'start-over') kiosk.send({ type: 'start-over' });
      else {
        kiosk.tick(60_000);
        kiosk.tick(30_000);
      }
      expect(kiosk.model.screen).toBe('attract');
      // Vipps is back; the kiosk has half a minute of quiet to tidy up.
      await kiosk.control.clearFaults();
      for (let s = 0; s < 30; s++) {
        kiosk.tick(1_000);
        await kiosk.settle(2);
      }
      const left = await whatIsLeft(kiosk, 'after the customer left');
      // The push is still on the phone; the customer (or whoever holds the phone) approves it.
      const reference = 'kiosk-07-0000000001-1';
      const approved = await kiosk.control.act(reference, 'approve').then(
        () => true,
        () => false,
      );
      for (let s = 0; s < 30; s++) {
        kiosk.tick(1_000);
        await kiosk.settle(2);
      }
      if (approved) left.push(...(await whatIsLeft(kiosk, 'after a late approval')));
      // What the next daemon start would make of it: the journal's recovery pass, as device/main.ts runs it.
      const recovery = await recoverPayments(
        kiosk.journal!,
        new JournalingPayments(kiosk.client.epayment, kiosk.journal!),
        silentLogger,
        { now: Date.now, lateWindowMs: 0 },
      );
      const after = (await kiosk.control.payments()).map(
        (p) => `${p.reference} ${p.state} ${JSON.stringify(p.aggregate.capturedAmount.value)} captured`,
      );
      console.log(
        `walk away from unavailable by ${leaving}: ${left.length === 0 ? 'nothing left at Vipps' : left.join('; ')}; ` +
          `a restart's recovery then reports ${JSON.stringify(recovery)} and leaves ${after.join(', ')}`,
      );
      expect(left).toEqual([]);
    },
  );

  it('pushes one request per basket even when Vipps processes a create after the kiosk has given up on it', async () => {
    kiosk = await new CheckoutHarness({
      journal: true,
      timeouts: fast,
      front: async (sandboxUrl) => {
        proxy = new CorruptingProxy(sandboxUrl);
        return proxy.start();
      },
    }).start();
    // Every attempt of the first create sits inside "Vipps" past the client's timeout.
    proxy!.hold({ method: 'POST', path: /^\/epayment\/v1\/payments$/, count: 3 });
    kiosk.scan('2000000000015');
    kiosk.scan(kiosk.customer.personalQrV2);
    // Outcome unknown, read back: not there (yet), so the kiosk shows "unavailable".
    await kiosk.until('unavailable');
    expect(proxy!.heldCount()).toBe(3);
    kiosk.send({ type: 'try-again' });
    const model = await kiosk.untilResting();
    // Vipps finishes the create it was holding, after the kiosk read the reference back as absent.
    await proxy!.releaseHeld();
    const payments = (await kiosk.control.payments()).map((p) => `${p.reference} ${p.state}`);
    console.log(
      `slow create processed after the kiosk gave up: kiosk on ${model.machineState} with ${model.payment?.reference}; ` +
        `Vipps holds ${payments.join(', ')}`,
    );
    // One basket, one customer: one payment request on their phone.
    expect(payments).toHaveLength(1);
  });
});

/** The sandbox echoes rules back in its own key order; compare them field by field, `count` aside. */
function sameRule(a: FaultRule, b: FaultRule): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete('count');
  return [...keys].every((key) => a[key as keyof FaultRule] === b[key as keyof FaultRule]);
}

function withLatency(ms: number | undefined): { latencyMs?: number } {
  return ms === undefined ? {} : { latencyMs: ms };
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function fmt(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
