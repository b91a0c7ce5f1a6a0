import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JournalingPayments } from '../../device/journal/journaling-payments.js';
import { SqliteJournal } from '../../device/journal/sqlite-journal.js';
import type { VippsClient } from '../../device/vipps/client.js';
import { VippsOutcomeUnknownError } from '../../device/vipps/errors.js';
import { operationKey } from '../../device/vipps/request-rules.js';
import { type RunningSandbox, startSandbox } from '../../sandbox/index.js';
import { journalRequest } from '../support/journal-fixtures.js';
import { SandboxControl } from '../support/sandbox-control.js';
import { SHORT_TIMEOUTS, testClient } from '../support/vipps-client.js';

// Issue 14, item 1, on the journal's create path: a create whose first answer was lost and whose retry
// was refused must stay open in the journal, so recovery reads the payment back and settles its money,
// instead of being closed as "not created" while Vipps holds a live payment.

describe('journaling a create whose outcome is unknown', () => {
  let sandbox: RunningSandbox;
  let control: SandboxControl;
  let client: VippsClient;
  let journal: SqliteJournal;
  let payments: JournalingPayments;
  let beforeRetry: unknown;

  beforeAll(async () => {
    sandbox = await startSandbox();
    control = new SandboxControl(sandbox);
    client = testClient(sandbox.url, sandbox.credentials, {
      timeouts: { ...SHORT_TIMEOUTS, createMs: 300 },
      sleep: async () => {
        if (beforeRetry === undefined) return;
        await control.faults(beforeRetry);
        beforeRetry = undefined;
      },
    });
    journal = SqliteJournal.open(join(await mkdtemp(join(tmpdir(), 'vk-create-')), 'journal.sqlite'));
    payments = new JournalingPayments(client.epayment, journal);
  });
  afterEach(async () => {
    beforeRetry = undefined;
    await control.clearFaults();
  });
  afterAll(async () => {
    journal.stop();
    await client.stop();
    await sandbox.close();
  });

  const create = (n: number) => {
    const body = {
      ...journalRequest(`k-1-000000010${n}-1`, 2_500),
      customer: { phoneNumber: sandbox.customers[0]!.msisdn },
    };
    return payments
      .createPayment(body, operationKey(body.reference, 'create'))
      .then(() => body.reference)
      .catch((error: unknown) => ({ reference: body.reference, error }));
  };

  it('keeps the reference open with the refusal noted, and the payment is there to read back', async () => {
    await control.faults({
      rules: [{ path: '/epayment/v1/payments', method: 'POST', status: 500, after: true, count: 1 }],
    });
    beforeRetry = { rules: [{ path: '/epayment/v1/payments', method: 'POST', status: 409, count: 1 }] };

    const failed = (await create(1)) as { reference: string; error: unknown };
    expect(failed.error).toBeInstanceOf(VippsOutcomeUnknownError);

    expect(journal.outcome(failed.reference)).toBeNull();
    const open = journal.unfinished().find((p) => p.reference === failed.reference);
    expect(open?.steps.at(-1)).toMatchObject({
      kind: 'call-failed',
      data: { operation: 'create', outcomeUnknown: true, status: 409 },
    });
    expect(open!.steps.at(-1)!.data['traceId']).toMatch(/\S/);
    expect((await payments.getPayment(failed.reference)).state).toBe('CREATED');
  });

  it('still closes a create that Vipps refused outright at the first attempt (400) as not created', async () => {
    await control.faults({
      rules: [{ path: '/epayment/v1/payments', method: 'POST', status: 400, count: 1 }],
    });
    const failed = (await create(2)) as { reference: string; error: unknown };
    expect(failed.error).not.toBeInstanceOf(VippsOutcomeUnknownError);
    expect(journal.outcome(failed.reference)).toBe('not-created');
  });
});
