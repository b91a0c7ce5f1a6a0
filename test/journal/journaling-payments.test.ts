import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournalingPayments } from '../../device/journal/journaling-payments.js';
import { JOURNAL_FILE, SqliteJournal } from '../../device/journal/sqlite-journal.js';
import type { VippsClient } from '../../device/vipps/client.js';
import { operationKey } from '../../device/vipps/request-rules.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { paymentsContract } from '../checkout/payments-contract.js';
import { journalRequest } from '../support/journal-fixtures.js';
import { testClient } from '../support/vipps-client.js';

// The journal around every call changes no answer, error or outcome the checkout sees.
paymentsContract('journaling wrapper over a SQLite journal', async (vipps) => {
  const dir = await mkdtemp(join(tmpdir(), 'vk-journaling-'));
  const journal = SqliteJournal.open(join(dir, JOURNAL_FILE));
  return {
    payments: new JournalingPayments(vipps, journal),
    stop: async () => {
      journal.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('journaling wrapper: what it writes down', () => {
  let sandbox: RunningSandbox;
  let client: VippsClient;
  let dir: string;
  let journal: SqliteJournal;
  let payments: JournalingPayments;

  beforeAll(async () => {
    sandbox = await startSandbox();
    client = testClient(sandbox.url, sandbox.credentials);
    dir = await mkdtemp(join(tmpdir(), 'vk-journaling-'));
    journal = SqliteJournal.open(join(dir, JOURNAL_FILE));
    payments = new JournalingPayments(client.epayment, journal);
  });
  afterAll(async () => {
    journal?.stop();
    await client?.stop();
    await sandbox?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('closes a create Vipps refused outright as not created', async () => {
    const request = journalRequest('kiosk-9-0000000001-1');
    const refused = { ...request, customer: { phoneNumber: '4799999999' } };
    await expect(payments.createPayment(refused, operationKey(request.reference, 'create'))).rejects.toThrow(
      /7010/,
    );
    expect(journal.outcome(request.reference)).toBe('not-created');
  });

  it('leaves a reference Vipps says is taken (409) open, so recovery reads back the payment that exists', async () => {
    const request = journalRequest('kiosk-9-0000000002-1');
    await payments.createPayment(request, operationKey(request.reference, 'create'));
    await expect(
      payments.createPayment(request, operationKey(request.reference, 'create-again')),
    ).rejects.toMatchObject({ status: 409 });
    expect(journal.outcome(request.reference)).toBeNull();
    expect(journal.unfinished().map((open) => open.reference)).toContain(request.reference);
  });
});
