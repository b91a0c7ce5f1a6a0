import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentRequest } from '../../contracts/terminal-api.js';
import { openTerminalDb, TERMINAL_DB_FILE, type TerminalDb } from '../../device/terminal/terminal-db.js';

// The POS transaction's insert commits without its own fsync (one less on the way to the push); the
// reference written before every create is what makes it durable, so that write must keep its fsync.

const SYNCHRONOUS_FULL = 2;

const request: PaymentRequest = {
  posTransactionId: 'till-1-0001',
  amount: { value: 2490, currency: 'NOK' },
  lines: [{ id: 'MILK', name: 'Melk 1 l', quantity: 1, unitPrice: 2490, vatRate: 1500 }],
};

let dir: string;
let terminal: TerminalDb;
let probe: Database.Database;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vk-pos-transactions-'));
  terminal = openTerminalDb(join(dir, TERMINAL_DB_FILE), Date.now);
  // A second connection, as `pos pair` or a restarted daemon reads the file.
  probe = new Database(join(dir, TERMINAL_DB_FILE), { readonly: true });
});

afterEach(async () => {
  probe.close();
  terminal.close();
  await rm(dir, { recursive: true, force: true });
});

describe('POS transactions on the terminal database', () => {
  it('commits the insert at once for every reader, and keeps synchronous FULL for the reference write', () => {
    const inserted = terminal.transactions.insert(request, 'requesting', null);
    expect(inserted).toMatchObject({ posTransactionId: request.posTransactionId, status: 'requesting' });
    expect(probe.prepare('SELECT status FROM pos_transactions').pluck().get()).toBe('requesting');
    // The daemon's connection is back at FULL: the reference update below is fsynced, and with it the insert.
    const daemonConnection = (terminal.transactions as unknown as { db: Database.Database }).db;
    expect(daemonConnection.pragma('synchronous', { simple: true })).toBe(SYNCHRONOUS_FULL);
    terminal.transactions.update(request.posTransactionId, { reference: 'kiosk-1-0000000001-1' });
    expect(probe.prepare('SELECT reference FROM pos_transactions').pluck().get()).toBe(
      'kiosk-1-0000000001-1',
    );
  });

  it('is back at synchronous FULL after an insert that failed', () => {
    terminal.transactions.insert(request, 'requesting', null);
    expect(() => terminal.transactions.insert(request, 'requesting', null)).toThrow(/UNIQUE/);
    const daemonConnection = (terminal.transactions as unknown as { db: Database.Database }).db;
    expect(daemonConnection.pragma('synchronous', { simple: true })).toBe(SYNCHRONOUS_FULL);
  });
});
