import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentRequest, Transaction, TransactionStatus } from '../../contracts/terminal-api.js';
import { openTerminalDb, TERMINAL_DB_FILE } from '../../device/terminal/terminal-db.js';
import { TerminalClient } from '../../pos/client/terminal-client.js';
import { KioskUnderTest } from '../support/kiosk-under-test.js';
import { expectDocumented } from './openapi-document.js';

// A refund the POS asked for whose answer from Vipps was lost is `pending`; the kiosk's refund recovery
// (the one its own returns use) asks Vipps again under the same Idempotency-Key, so Vipps refunds once,
// and the POS reads how it ended with GET /payments/{id}/refunds/{refundId}.

const refundPath = (reference: string) => `/epayment/v1/payments/${reference}/refund`;

describe('POS refunds left pending are finished by recovery', () => {
  let kiosk: KioskUnderTest;
  let token: string;
  let pos: TerminalClient;

  beforeEach(async () => {
    kiosk = await new KioskUnderTest().start({
      env: { VK_MODE: 'attended', VK_TERMINAL__HOST: '127.0.0.1', VK_TERMINAL__PORT: '0' },
    });
    const db = openTerminalDb(join(kiosk.stateDir, TERMINAL_DB_FILE), Date.now);
    token = db.pairings.pair('test till').token;
    db.close();
    pos = new TerminalClient({ url: kiosk.kiosk.terminal!.url, token });
  });
  afterEach(async () => {
    await pos.close();
    await kiosk.stop();
  });

  async function until(id: string, status: TransactionStatus): Promise<Transaction> {
    let transaction = await pos.getPayment(id);
    for (let step = 0; transaction.status !== status; step++) {
      if (step > 10) throw new Error(`transaction ${id} is ${transaction.status}, wanted ${status}`);
      transaction = await pos.getPayment(id, { waitForChangeFrom: transaction.status, timeoutSeconds: 5 });
    }
    return transaction;
  }

  /** A completed payment of 24.90 NOK, as the POS sees it. */
  async function paid(id: string): Promise<Transaction> {
    const request: PaymentRequest = {
      posTransactionId: id,
      amount: { value: 2490, currency: 'NOK' },
      lines: [{ id: 'MILK', name: 'Melk 1 l', quantity: 1, unitPrice: 2490, vatRate: 1500 }],
      customer: { personalQr: kiosk.customers[1]!.personalQrV2 },
    };
    await pos.createPayment(request);
    const waiting = await until(id, 'awaiting-approval');
    await kiosk.control.act(waiting.reference!, 'approve');
    kiosk.clock.increment(5_000);
    return until(id, 'completed');
  }

  async function getRefund(id: string, refundId: string) {
    const response = await fetch(
      `${kiosk.kiosk.terminal!.url}/terminal/v1/payments/${id}/refunds/${refundId}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: (await response.json()) as Record<string, unknown>,
    };
  }

  it('a lost answer: pending at first, refunded once by recovery, and the next GET says so', async () => {
    const { reference } = await paid('pos-1');
    // Vipps refunds, but every answer the kiosk's client waits for is lost on the way back.
    await kiosk.control.faults({
      rules: [{ path: refundPath(reference!), method: 'POST', after: true, reset: true, count: 2 }],
    });
    const first = await pos.refund('pos-1', { refundId: 'r-1', amount: { value: 2490, currency: 'NOK' } });
    expect(first.status).toBe('pending');

    await expect.poll(async () => (await pos.getRefund('pos-1', 'r-1')).status).toBe('refunded');
    const answer = await getRefund('pos-1', 'r-1');
    expect(answer.body).toMatchObject({ refundId: 'r-1', posTransactionId: 'pos-1', status: 'refunded' });
    expect(answer.body.refusal).toBeUndefined();
    expectDocumented('GET /payments/{posTransactionId}/refunds/{refundId}', answer);
    expect((await pos.getPayment('pos-1')).refunded).toBe(2490);
    const atVipps = await kiosk.control.payment(reference!);
    expect(atVipps.aggregate.refundedAmount.value).toBe(2490);
    // The POS asking again gets the answer as it stands: nothing is refunded twice.
    expect(
      await pos.refund('pos-1', { refundId: 'r-1', amount: { value: 2490, currency: 'NOK' } }),
    ).toMatchObject({
      status: 'refunded',
    });
    expect((await kiosk.control.payment(reference!)).aggregate.refundedAmount.value).toBe(2490);
  });

  it('Vipps refuses when recovery asks: refused, with the reason, and nothing refunded', async () => {
    const { reference } = await paid('pos-2');
    // The first asks never reach Vipps; when recovery asks, Vipps refuses it.
    await kiosk.control.faults({
      rules: [{ path: refundPath(reference!), method: 'POST', reset: true, count: 2 }],
    });
    await kiosk.control.refuse(reference!, '6160', { operations: ['refund'] });
    const first = await pos.refund('pos-2', { refundId: 'r-1', amount: { value: 1000, currency: 'NOK' } });
    expect(first.status).toBe('pending');

    await expect.poll(async () => (await pos.getRefund('pos-2', 'r-1')).status).toBe('refused');
    const answer = await getRefund('pos-2', 'r-1');
    expectDocumented('GET /payments/{posTransactionId}/refunds/{refundId}', answer);
    expect(answer.body.refusal).toMatchObject({
      code: '6160',
      message: expect.stringContaining('Vipps is busy with another change to this payment'),
    });
    expect((await pos.getPayment('pos-2')).refunded).toBe(0);
    expect((await kiosk.control.payment(reference!)).aggregate.refundedAmount.value).toBe(0);
  });

  it('answers 404 for a refund the POS never asked for', async () => {
    await paid('pos-3');
    const answer = await getRefund('pos-3', 'r-9');
    expect(answer.status).toBe(404);
    expectDocumented('GET /payments/{posTransactionId}/refunds/{refundId}', answer);
  });
});
