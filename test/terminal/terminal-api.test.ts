import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentRequest, Transaction, TransactionStatus } from '../../contracts/terminal-api.js';
import { openTerminalDb, TERMINAL_DB_FILE } from '../../device/terminal/terminal-db.js';
import { TerminalClient, TerminalProblemError } from '../../pos/client/terminal-client.js';
import { KioskUnderTest, ScreenSocket } from '../support/kiosk-under-test.js';
import { expectDocumented } from './openapi-document.js';

// The terminal API of a kiosk in attended mode, end to end: the daemon as it runs (checkout machine,
// journal, recovery) against the sandbox, the POS's calls over loopback HTTP through the typed client,
// every answer checked against contracts/terminal-api.yaml. The checkout's timers run on the test's clock.

const MILK = '2000000000015';

function sale(posTransactionId: string, extra: Partial<PaymentRequest> = {}): PaymentRequest {
  return {
    posTransactionId,
    amount: { value: 2 * 2490 + 6990, currency: 'NOK' },
    lines: [
      { id: '7038010009457', name: 'Melk 1 l', quantity: 2, unitPrice: 2490, vatRate: 1500 },
      { id: 'SKU-COFFEE', name: 'Kaffe 250 g', quantity: 1, unitPrice: 6990, vatRate: 1500 },
    ],
    ...extra,
  };
}

describe('the terminal API (attended mode)', () => {
  let kiosk: KioskUnderTest;
  let screen: ScreenSocket;
  let token: string;
  let pos: TerminalClient;

  beforeEach(async () => {
    kiosk = await new KioskUnderTest().start({
      env: { VK_MODE: 'attended', VK_TERMINAL__HOST: '127.0.0.1', VK_TERMINAL__PORT: '0' },
    });
    screen = await new ScreenSocket().open(kiosk);
    // `pos pair` writes the same file beside the running daemon.
    const db = openTerminalDb(join(kiosk.stateDir, TERMINAL_DB_FILE), Date.now);
    token = db.pairings.pair('test till').token;
    db.close();
    pos = new TerminalClient({ url: terminalUrl(), token });
  });
  afterEach(async () => {
    await pos.close();
    screen.close();
    await kiosk.stop();
  });

  function terminalUrl(): string {
    return kiosk.kiosk.terminal!.url;
  }

  async function raw(method: string, path: string, body?: unknown, bearer: string | null = token) {
    const response = await fetch(`${terminalUrl()}/terminal/v1${path}`, {
      method,
      headers: {
        ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
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

  /** Long-polls until the transaction has `status` (each wait answers at the first change). */
  async function until(id: string, status: TransactionStatus): Promise<Transaction> {
    let transaction = await pos.getPayment(id);
    for (let step = 0; transaction.status !== status; step++) {
      if (step > 10) throw new Error(`transaction ${id} is ${transaction.status}, wanted ${status}`);
      transaction = await pos.getPayment(id, { waitForChangeFrom: transaction.status, timeoutSeconds: 5 });
    }
    return transaction;
  }

  /** The machine has polled after the approval on the phone: the next poll is 5 s after the push. */
  async function approve(transaction: Transaction): Promise<void> {
    await kiosk.control.act(transaction.reference!, 'approve');
    kiosk.clock.increment(5_000);
  }

  it('refuses a call without a token or with a wrong one (401, problem+json)', async () => {
    for (const bearer of [null, 'f'.repeat(64), 'not-a-token']) {
      const answer = await raw('POST', '/payments', sale('pos-1'), bearer);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ code: 'unauthorized', status: 401 });
      expectDocumented('POST /payments', answer);
    }
    expect(await kiosk.control.payments()).toEqual([]);
  });

  it('pays with the QR the cashier scanned: one payment at Vipps for a repeated POST', async () => {
    const qr = kiosk.sandbox.customers[1]!.personalQrV2;
    const first = await raw('POST', '/payments', sale('pos-1', { customer: { personalQr: qr } }));
    expect(first.status).toBe(201);
    expectDocumented('POST /payments', first);
    const repeat = await raw('POST', '/payments', sale('pos-1', { customer: { personalQr: qr } }));
    expect(repeat.status).toBe(200);
    expectDocumented('POST /payments', repeat);
    expect(repeat.body.posTransactionId).toBe('pos-1');

    const waiting = await until('pos-1', 'awaiting-approval');
    expect(waiting.reference).toMatch(/^it-kiosk-1-/);
    expect(await kiosk.control.payments()).toHaveLength(1);
    expect((await kiosk.control.payment(waiting.reference!)).amount.value).toBe(11_970);

    await approve(waiting);
    const completed = await until('pos-1', 'completed');
    expectDocumented('GET /payments/{posTransactionId}', {
      status: 200,
      contentType: 'application/json',
      body: completed,
    });
    const atVipps = await kiosk.control.payment(waiting.reference!);
    expect(atVipps.aggregate.capturedAmount.value).toBe(11_970);
    // The same id again, even after the sale: the same transaction, no second payment.
    expect((await pos.createPayment(sale('pos-1', { customer: { personalQr: qr } }))).status).toBe(
      'completed',
    );
    expect(await kiosk.control.payments()).toHaveLength(1);
  });

  it('refuses another body under the same id (409 different-body) and a second payment while one runs (409 busy)', async () => {
    await pos.createPayment(sale('pos-1'));
    const different = await raw(
      'POST',
      '/payments',
      sale('pos-1', { lines: sale('x').lines.slice(1), amount: { value: 6990, currency: 'NOK' } }),
    );
    expect(different.status).toBe(409);
    expect(different.body.code).toBe('different-body');
    expectDocumented('POST /payments', different);
    const busy = await raw('POST', '/payments', sale('pos-2'));
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ code: 'busy', runningPosTransactionId: 'pos-1' });
    expectDocumented('POST /payments', busy);
  });

  it('refuses wrong sums, VAT rates and currencies (422 naming the field)', async () => {
    const cases: Array<[PaymentRequest, string, string]> = [
      [sale('pos-1', { amount: { value: 11_971, currency: 'NOK' } }), 'wrong-total', 'amount.value'],
      [sale('pos-2', { amount: { value: 11_970, currency: 'EUR' } }), 'wrong-currency', 'amount.currency'],
      [
        sale('pos-3', { lines: [{ id: 'A', name: 'Vare', quantity: 1, unitPrice: 11_970, vatRate: 2000 }] }),
        'wrong-vat',
        'lines.0.vatRate',
      ],
      [
        sale('pos-4', { lines: [{ id: 'A', name: 'Vare', quantity: 0, unitPrice: 11_970, vatRate: 2500 }] }),
        'invalid-request',
        'lines.0.quantity',
      ],
    ];
    for (const [request, code, field] of cases) {
      const answer = await raw('POST', '/payments', request);
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ code, field });
      expectDocumented('POST /payments', answer);
    }
    expect(await kiosk.control.payments()).toEqual([]);
    await expect(pos.getPayment('pos-1')).rejects.toMatchObject({ code: 'not-found', status: 404 });
  });

  it('shows the amount to the customer, takes their QR on the kiosk scanner, and answers product scans with "the cashier scans"', async () => {
    const created = await pos.createPayment(sale('pos-1'));
    expect(created.status).toBe('waiting-for-customer');
    const identify = await screen.next((model) => model.screen === 'identify');
    expect(identify.basket.total).toBe(11_970);
    await kiosk.scan(MILK);
    const refused = await screen.next((model) => model.feedback?.kind === 'cashier-scans');
    expect(refused.basket.total).toBe(11_970);

    await kiosk.scan(kiosk.sandbox.customers[1]!.personalQrV2);
    const waiting = await until('pos-1', 'awaiting-approval');
    // A second QR while the push is out charges nobody.
    await kiosk.scan(kiosk.sandbox.customers[0]!.personalQrV2);
    await screen.next((model) => model.feedback?.kind === 'ignored');
    await approve(waiting);
    await until('pos-1', 'completed');
    expect(await kiosk.control.payments()).toHaveLength(1);
  });

  it('follows the transaction as a stream of snapshots to its end', async () => {
    await pos.createPayment(
      sale('pos-1', { customer: { personalQr: kiosk.sandbox.customers[1]!.personalQrV2 } }),
    );
    const seen: TransactionStatus[] = [];
    for await (const snapshot of pos.follow('pos-1')) {
      if (snapshot.status === 'awaiting-approval' && !seen.includes('awaiting-approval'))
        await approve(snapshot);
      seen.push(snapshot.status);
    }
    expect(seen.at(-1)).toBe('completed');
    expect(seen).toContain('awaiting-approval');
  });

  it('aborts before the approval: cancelled at Vipps, the display back to attract', async () => {
    await pos.createPayment(
      sale('pos-1', { customer: { personalQr: kiosk.sandbox.customers[1]!.personalQrV2 } }),
    );
    const waiting = await until('pos-1', 'awaiting-approval');
    const answer = await raw('POST', '/payments/pos-1/abort');
    expect(answer.status).toBe(202);
    expectDocumented('POST /payments/{posTransactionId}/abort', answer);
    await until('pos-1', 'aborted');
    expect((await kiosk.control.payment(waiting.reference!)).state).toBe('TERMINATED');
    await screen.next((model) => model.screen === 'attract' && screen.models.indexOf(model) > 0);
    // Done with: the next sale is taken.
    expect((await pos.createPayment(sale('pos-2'))).status).toBe('waiting-for-customer');
  });

  it('aborts a payment still waiting for the customer’s QR: nothing reaches Vipps', async () => {
    await pos.createPayment(sale('pos-1'));
    expect((await pos.abort('pos-1')).status).toBe('aborted');
    await screen.next((model) => model.screen === 'attract' && screen.models.indexOf(model) > 0);
    expect(await kiosk.control.payments()).toEqual([]);
  });

  it('is too late to abort once the customer approved: 409 too-late, captured once', async () => {
    await pos.createPayment(
      sale('pos-1', { customer: { personalQr: kiosk.sandbox.customers[1]!.personalQrV2 } }),
    );
    const waiting = await until('pos-1', 'awaiting-approval');
    await approve(waiting);
    await pos.getPayment('pos-1', { waitForChangeFrom: 'awaiting-approval', timeoutSeconds: 5 });
    const answer = await raw('POST', '/payments/pos-1/abort');
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('too-late');
    expectDocumented('POST /payments/{posTransactionId}/abort', answer);
    await until('pos-1', 'completed');
    const atVipps = await kiosk.control.payment(waiting.reference!);
    expect(atVipps.aggregate.capturedAmount.value).toBe(11_970);
    expect(atVipps.aggregate.cancelledAmount.value).toBe(0);
  });

  it('tells a POS that vanished mid-payment how it ended when it asks later', async () => {
    await pos.createPayment(
      sale('pos-1', { customer: { personalQr: kiosk.sandbox.customers[1]!.personalQrV2 } }),
    );
    const waiting = await until('pos-1', 'awaiting-approval');
    await pos.close();
    await approve(waiting);
    await kiosk.screen('approved');
    pos = new TerminalClient({ url: terminalUrl(), token });
    expect(await pos.getPayment('pos-1')).toMatchObject({
      status: 'completed',
      reference: waiting.reference,
    });
  });

  it('ends as declined when the customer rejects, and the display leaves the basket', async () => {
    await pos.createPayment(
      sale('pos-1', { customer: { personalQr: kiosk.sandbox.customers[1]!.personalQrV2 } }),
    );
    const waiting = await until('pos-1', 'awaiting-approval');
    await kiosk.control.act(waiting.reference!, 'reject');
    kiosk.clock.increment(5_000);
    expect(await until('pos-1', 'declined')).toMatchObject({ declineReason: 'rejected' });
    await screen.next((model) => model.screen === 'attract' && screen.models.indexOf(model) > 0);
  });

  it('refunds a completed payment once per refundId, never more than was paid', async () => {
    await pos.createPayment(
      sale('pos-1', { customer: { personalQr: kiosk.sandbox.customers[1]!.personalQrV2 } }),
    );
    const waiting = await until('pos-1', 'awaiting-approval');
    const early = await raw('POST', '/payments/pos-1/refunds', {
      refundId: 'r-0',
      amount: { value: 100, currency: 'NOK' },
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('not-refundable');
    await approve(waiting);
    await until('pos-1', 'completed');

    const refund = { refundId: 'r-1', amount: { value: 2490, currency: 'NOK' as const } };
    const first = await raw('POST', '/payments/pos-1/refunds', refund);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'refunded', refundId: 'r-1' });
    expectDocumented('POST /payments/{posTransactionId}/refunds', first);
    const again = await raw('POST', '/payments/pos-1/refunds', refund);
    expect(again.status).toBe(200);
    expectDocumented('POST /payments/{posTransactionId}/refunds', again);
    const tooMuch = await raw('POST', '/payments/pos-1/refunds', {
      refundId: 'r-2',
      amount: { value: 9481, currency: 'NOK' },
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.code).toBe('refund-too-large');
    expectDocumented('POST /payments/{posTransactionId}/refunds', tooMuch);

    expect((await kiosk.control.payment(waiting.reference!)).aggregate.refundedAmount.value).toBe(2490);
    expect((await pos.getPayment('pos-1')).refunded).toBe(2490);
  });

  it('answers the club question with 404 no-club where the store has no club', async () => {
    await expect(pos.checkMember('4791234567')).rejects.toBeInstanceOf(TerminalProblemError);
    const answer = await raw('GET', '/club/members/4791234567');
    expect(answer).toMatchObject({ status: 404, body: { code: 'no-club' } });
    expectDocumented('GET /club/members/{phoneNumber}', answer);
  });

  it('answers a club enrolment with 404 no-club where the store has no club, and pushes nothing', async () => {
    const answer = await raw('POST', '/club/enrolments', { enrolmentId: 'enr-1', phoneNumber: '4791234567' });
    expect(answer).toMatchObject({ status: 404, body: { code: 'no-club' } });
    expectDocumented('POST /club/enrolments', answer);
    expect(await kiosk.control.logins()).toEqual([]);
    await kiosk.screen('attract');
  });
});
