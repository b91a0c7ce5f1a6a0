import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PushPaymentRequest } from '../../contracts/vipps-types.js';
import type { PaymentOutcome } from '../../device/journal/journal.js';
import { JOURNAL_FILE, SqliteJournal } from '../../device/journal/sqlite-journal.js';
import { storedBytes } from '../club/stored-bytes.js';
import { journalRequest } from '../support/journal-fixtures.js';

// The attack: someone with the kiosk's state directory (a stolen SD card, a backup, a support dump) reads
// journal.sqlite byte by byte for the customers who paid. Before redaction every settled payment gave up
// the customer's phone number or personal QR token, live and in the free space of its pages.

const PHONE = '4798765432';
const QR = 'https://qr.vipps.no/p/0c4f6a1e-d0e5-4b7a-9b5d-kari-nordmann';
const DAY = 86_400_000;

const byPhone = (reference: string): PushPaymentRequest => ({
  ...journalRequest(reference),
  customer: { phoneNumber: PHONE },
});
const byQr = (reference: string): PushPaymentRequest => ({
  ...journalRequest(reference),
  customer: { personalQr: QR },
});

describe('SQLite journal: a settled payment keeps the money and forgets the customer', () => {
  let dir: string;
  let path: string;
  let clock: number;
  let journal: SqliteJournal | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-journal-privacy-'));
    path = join(dir, JOURNAL_FILE);
    clock = Date.parse('2026-12-01T12:00:00Z');
    journal = SqliteJournal.open(path, () => clock);
  });

  afterEach(async () => {
    journal?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  function rows(sql: string): unknown[] {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
    }
  }

  it.each<[string, (reference: string) => PushPaymentRequest, string, PaymentOutcome]>([
    ['phone number', byPhone, PHONE, 'captured'],
    ['personal QR token', byQr, QR, 'declined'],
    ['phone number, never created', byPhone, PHONE, 'not-created'],
    ['personal QR token, cancelled', byQr, QR, 'cancelled'],
  ])(
    'a %s is in neither the live rows nor the bytes of the file once settled',
    async (_, request, secret, outcome) => {
      const reference = 'k-1-0000000001-1';
      journal?.paymentRequested(request(reference), `${reference}-create`);
      journal?.step(reference, 'create-answered', { created: true });
      // While the payment is open, recovery needs the exact request to repeat the create under its key.
      expect(journal?.unfinished()[0]?.request).toEqual(request(reference));
      expect(storedBytes(path)).toContain(secret);

      journal?.step(reference, 'capture-requested', { amount: 4990 }, `${reference}-capture-1`);
      journal?.close(reference, outcome);

      expect(JSON.stringify(rows('SELECT * FROM payments'))).not.toContain(secret);
      expect(storedBytes(path)).not.toContain(secret);
      // What the money needs stays: reference, receipt number, amount, currency, outcome, keys and times.
      expect(rows('SELECT reference, receipt_number, opened_at, outcome FROM payments')).toEqual([
        { reference, receipt_number: '0000000001', opened_at: clock, outcome },
      ]);
      const [kept] = rows('SELECT request FROM payments') as Array<{ request: string }>;
      expect(JSON.parse(kept?.request ?? '')).toEqual({
        reference,
        amount: { currency: 'NOK', value: 4990 },
        receipt: journalRequest(reference).receipt,
      });
      expect(rows('SELECT kind, idempotency_key FROM steps ORDER BY id')).toEqual([
        { kind: 'create-requested', idempotency_key: `${reference}-create` },
        { kind: 'create-answered', idempotency_key: null },
        { kind: 'capture-requested', idempotency_key: `${reference}-capture-1` },
      ]);
    },
  );

  it('keeps an unsettled payment whole beside a settled one, however old', async () => {
    journal?.paymentRequested(byPhone('k-1-0000000001-1'), 'k-1-0000000001-1-create');
    journal?.paymentRequested(byQr('k-1-0000000002-1'), 'k-1-0000000002-1-create');
    journal?.close('k-1-0000000002-1', 'captured');
    clock += 400 * DAY;
    expect(journal?.purgeSettledBefore(clock - 90 * DAY)).toBe(1);
    expect(journal?.unfinished().map((open) => open.request)).toEqual([byPhone('k-1-0000000001-1')]);
    expect(storedBytes(path)).toContain(PHONE);
    expect(storedBytes(path)).not.toContain(QR);
  });

  it('redacts the payments an earlier version settled with the customer in them, and leaves no copy in free space', async () => {
    journal?.stop();
    journal = undefined;
    // As the version before redaction wrote them: every request whole, settled or not, without
    // secure_delete, so page splits and updates leave old records' bytes in free space. Enough payments
    // that the table spans many pages; every third is still open.
    const phone = (i: number) => `47${10_000_000 + i}`;
    const reference = (i: number) => `k-1-${String(i).padStart(10, '0')}-1`;
    const settled = (i: number) => i % 3 !== 0;
    const old = new Database(path);
    old.pragma('secure_delete = OFF');
    for (let i = 0; i < 300; i++) {
      const request = { ...journalRequest(reference(i)), customer: { phoneNumber: phone(i) } };
      old
        .prepare('INSERT INTO payments (reference, receipt_number, request, opened_at) VALUES (?, ?, ?, ?)')
        .run(reference(i), String(i).padStart(10, '0'), JSON.stringify(request), clock);
      old
        .prepare(
          "INSERT INTO steps (reference, kind, idempotency_key, data, at) VALUES (?, 'create-requested', ?, '{}', ?)",
        )
        .run(reference(i), `${reference(i)}-create`, clock);
      if (settled(i))
        old
          .prepare("UPDATE payments SET closed_at = ?, outcome = 'captured' WHERE reference = ?")
          .run(clock, reference(i));
    }
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
    expect(storedBytes(path)).toContain(phone(1));

    journal = SqliteJournal.open(path, () => clock);
    expect(journal.redactSettled()).toBe(200);

    const bytes = storedBytes(path);
    const left = Array.from({ length: 300 }, (_, i) => i).filter((i) => bytes.includes(phone(i)));
    expect(left).toEqual(Array.from({ length: 100 }, (_, i) => i * 3));
    expect(journal.unfinished()).toHaveLength(100);
    expect(rows("SELECT count(*) AS n FROM payments WHERE outcome = 'captured'")).toEqual([{ n: 200 }]);
    expect(journal.redactSettled()).toBe(0);
  });
});

describe('SQLite journal: forgetting one customer', () => {
  it('redacts the settled payments an earlier version left with the number, and counts the unsettled ones it must keep', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vk-journal-forget-'));
    const path = join(dir, JOURNAL_FILE);
    let journal = SqliteJournal.open(path);
    journal.paymentRequested(byPhone('k-1-0000000001-1'), 'k-1-0000000001-1-create');
    journal.paymentRequested(byPhone('k-1-0000000002-1'), 'k-1-0000000002-1-create');
    journal.paymentRequested(byQr('k-1-0000000003-1'), 'k-1-0000000003-1-create');
    journal.stop();
    const old = new Database(path);
    old
      .prepare("UPDATE payments SET closed_at = 1, outcome = 'captured' WHERE reference = 'k-1-0000000001-1'")
      .run();
    old.close();
    try {
      journal = SqliteJournal.open(path);
      expect(journal.forgetCustomer(PHONE)).toEqual({ redacted: 1, unsettled: 1 });
      expect(journal.forgetCustomer('4711111111')).toEqual({ redacted: 0, unsettled: 0 });
      expect(journal.unfinished().map((open) => open.reference)).toEqual([
        'k-1-0000000002-1',
        'k-1-0000000003-1',
      ]);
      journal.close('k-1-0000000002-1', 'declined');
      expect(journal.forgetCustomer(PHONE)).toEqual({ redacted: 0, unsettled: 0 });
      expect(storedBytes(path)).not.toContain(PHONE);
    } finally {
      journal.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite journal: retention', () => {
  let dir: string;
  let clock: number;
  let journal: SqliteJournal;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-journal-retention-'));
    clock = Date.parse('2026-09-01T12:00:00Z');
    journal = SqliteJournal.open(join(dir, JOURNAL_FILE), () => clock);
  });

  afterEach(async () => {
    journal.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('deletes settled payments closed before the cut, with their steps, and never an unsettled one', () => {
    const OLD = 'k-1-0000000001-1';
    const OPEN = 'k-1-0000000002-1';
    const RECENT = 'k-1-0000000003-1';
    journal.paymentRequested(journalRequest(OLD), `${OLD}-create`);
    journal.step(OLD, 'create-answered', { created: true });
    journal.close(OLD, 'captured');
    journal.paymentRequested(journalRequest(OPEN), `${OPEN}-create`);
    clock += 30 * DAY;
    journal.paymentRequested(journalRequest(RECENT), `${RECENT}-create`);
    journal.close(RECENT, 'declined');

    clock += 61 * DAY; // OLD settled 91 days ago, RECENT 61
    expect(journal.purgeSettledBefore(clock - 90 * DAY)).toBe(1);

    expect(journal.outcome(OLD)).toBeUndefined();
    expect(journal.outcome(RECENT)).toBe('declined');
    expect(journal.outcome(OPEN)).toBeNull();
    expect(journal.unfinished().map((open) => open.reference)).toEqual([OPEN]);

    clock += 1000 * DAY;
    expect(journal.purgeSettledBefore(clock - 90 * DAY)).toBe(1);
    expect(journal.unfinished().map((open) => open.reference)).toEqual([OPEN]);
    expect(journal.purgeSettledBefore(clock)).toBe(0);
  });
});
