import { afterEach, describe, expect, it } from 'vitest';
import type { Journal } from '../../device/journal/journal.js';
import { journalRequest } from '../support/journal-fixtures.js';

/**
 * One journal store under test: `open(now)` gives a new adapter over the same records, as after a
 * restart or a power cut; `now` is the adapter's clock.
 */
export interface JournalFixture {
  open(now: () => number): Journal;
  cleanup(): Promise<void>;
}

export type MakeJournalFixture = () => Promise<JournalFixture>;

const FIRST = 'k-1-0000000001-1';
const SECOND = 'k-1-0000000002-1';

/** What every Journal promises the kiosk's money path and recovery (MQTT.js abstract_store style). */
export function journalContract(adapter: string, make: MakeJournalFixture): void {
  describe(`Journal contract: ${adapter}`, () => {
    let fixture: JournalFixture | undefined;
    const opened: Journal[] = [];
    let clock = 1_000;
    const now = () => clock;

    async function open(): Promise<Journal> {
      fixture ??= await make();
      const journal = fixture.open(now);
      opened.push(journal);
      return journal;
    }

    afterEach(async () => {
      for (const journal of opened.splice(0)) journal.stop();
      await fixture?.cleanup();
      fixture = undefined;
      clock = 1_000;
    });

    it('knows nothing of a reference it was never asked for', async () => {
      const journal = await open();
      expect(journal.outcome(FIRST)).toBeUndefined();
      expect(journal.unfinished()).toEqual([]);
    });

    it('holds a requested payment open with its exact request, receipt number and key', async () => {
      const journal = await open();
      journal.paymentRequested(journalRequest(FIRST), `${FIRST}-create`);
      expect(journal.outcome(FIRST)).toBeNull();
      expect(journal.unfinished()).toEqual([
        {
          reference: FIRST,
          receiptNumber: '0000000001',
          request: journalRequest(FIRST),
          steps: [{ kind: 'create-requested', idempotencyKey: `${FIRST}-create`, data: {}, at: 1_000 }],
        },
      ]);
    });

    it('keeps the steps in the order written, with their keys, data and times', async () => {
      const journal = await open();
      journal.paymentRequested(journalRequest(FIRST), `${FIRST}-create`);
      clock = 1_005;
      journal.step(FIRST, 'create-answered', { created: true });
      clock = 1_010;
      const aggregate = { capturedAmount: { currency: 'NOK', value: 4990 } };
      journal.step(FIRST, 'capture-requested', { amount: 4990 }, `${FIRST}-capture-1`);
      journal.step(FIRST, 'capture-answered', { state: 'AUTHORIZED', aggregate }, `${FIRST}-capture-1`);
      expect(journal.unfinished()[0]?.steps).toEqual([
        { kind: 'create-requested', idempotencyKey: `${FIRST}-create`, data: {}, at: 1_000 },
        { kind: 'create-answered', idempotencyKey: null, data: { created: true }, at: 1_005 },
        {
          kind: 'capture-requested',
          idempotencyKey: `${FIRST}-capture-1`,
          data: { amount: 4990 },
          at: 1_010,
        },
        {
          kind: 'capture-answered',
          idempotencyKey: `${FIRST}-capture-1`,
          data: { state: 'AUTHORIZED', aggregate },
          at: 1_010,
        },
      ]);
    });

    it('keeps the first request when the same reference is requested again, and notes the retry', async () => {
      const journal = await open();
      journal.paymentRequested(journalRequest(FIRST), `${FIRST}-create`);
      journal.paymentRequested(journalRequest(FIRST, 9999), `${FIRST}-create`);
      const [payment] = journal.unfinished();
      expect(payment?.request).toEqual(journalRequest(FIRST));
      expect(payment?.steps.map((step) => step.kind)).toEqual(['create-requested', 'create-requested']);
    });

    it('lists open payments oldest first and drops one once closed, answering its outcome', async () => {
      const journal = await open();
      journal.paymentRequested(journalRequest(FIRST), `${FIRST}-create`);
      clock = 2_000;
      journal.paymentRequested(journalRequest(SECOND, 100), `${SECOND}-create`);
      expect(journal.unfinished().map((payment) => payment.reference)).toEqual([FIRST, SECOND]);
      journal.close(FIRST, 'captured');
      expect(journal.outcome(FIRST)).toBe('captured');
      expect(journal.outcome(SECOND)).toBeNull();
      expect(journal.unfinished().map((payment) => payment.reference)).toEqual([SECOND]);
    });

    it('keeps the first outcome: a payment once closed is not closed again another way', async () => {
      const journal = await open();
      journal.paymentRequested(journalRequest(FIRST), `${FIRST}-create`);
      journal.close(FIRST, 'captured');
      journal.close(FIRST, 'not-created');
      expect(journal.outcome(FIRST)).toBe('captured');
    });

    it('still has every open payment, step and outcome after a restart', async () => {
      const before = await open();
      before.paymentRequested(journalRequest(FIRST), `${FIRST}-create`);
      before.step(FIRST, 'call-failed', { operation: 'create', outcomeUnknown: true }, `${FIRST}-create`);
      before.paymentRequested(journalRequest(SECOND), `${SECOND}-create`);
      before.close(SECOND, 'declined');
      const written = before.unfinished();
      before.stop();

      const after = await open();
      expect(after.unfinished()).toEqual(written);
      expect(after.outcome(FIRST)).toBeNull();
      expect(after.outcome(SECOND)).toBe('declined');
    });

    it('refuses a step for a payment it was never asked for: it could not be recovered', async () => {
      const journal = await open();
      expect(() => journal.step(FIRST, 'payment-read', { state: 'CREATED' })).toThrow();
      expect(journal.outcome(FIRST)).toBeUndefined();
    });
  });
}
