// The Report API stand-in: ledgers, a ledger date's report once the date is closed, and the feed, all
// derived from what the sandbox captured and refunded (HQ's reconciliation is tested against it).

import { describe, expect, it } from 'vitest';
import { SandboxClock } from '../../sandbox/index.js';
import { asArray, asObject, expectProblem, type JsonObject, nok, TOTAL, useSandbox } from './helpers.js';

// 10:00 in Oslo on a winter day, frozen: only the control API moves it.
const START = Date.parse('2026-12-07T09:00:00Z');
const vipps = useSandbox({ clock: new SandboxClock(START, () => 0) });
const HOUR = 3_600_000;

async function sold(capture: number, refund = 0): Promise<string> {
  const reference = await vipps().authorized();
  expect((await vipps().modify(reference, 'capture', { modificationAmount: nok(capture) })).status).toBe(200);
  if (refund > 0) {
    expect((await vipps().modify(reference, 'refund', { modificationAmount: nok(refund) })).status).toBe(200);
  }
  return reference;
}

async function advance(ms: number): Promise<void> {
  expect((await vipps().control('POST', '/clock', { advanceMs: ms })).status).toBe(200);
  await vipps().authenticate();
}

async function ledgerId(): Promise<string> {
  const msn = vipps().sandbox.credentials.merchantSerialNumber;
  const answer = await vipps().send('GET', `/settlement/v1/ledgers?settlesForRecipientHandles=api:${msn}`);
  expect(answer.status).toBe(200);
  const items = asArray(asObject(answer.body)['items']) as JsonObject[];
  expect(items).toHaveLength(1);
  expect(items[0]).toMatchObject({ currency: 'NOK', owner: { scheme: 'business:NO:ORG' } });
  return String(items[0]?.['ledgerId']);
}

describe('Report API', () => {
  it('lists a ledger per sales unit the keys act for', async () => {
    const answer = await vipps().send('GET', '/settlement/v1/ledgers');
    const items = asArray(asObject(answer.body)['items']) as JsonObject[];
    expect(items.map((item) => item['currency'])).toEqual(['NOK', 'DKK', 'EUR']);
  });

  it('says try later until the ledger date is closed, then gives its captures, refunds, fees and payout', async () => {
    const id = await ledgerId();
    const first = await sold(TOTAL);
    const second = await sold(10_000, 4_000);
    const path = `/report/v2/ledgers/${id}/funds/dates/2026-12-07`;
    expect(asObject((await vipps().send('GET', path)).body)).toEqual({ items: [], tryLater: true });

    await advance(15 * HOUR); // 01:00 the next day in Oslo: the 7th is closed.
    const report = asObject((await vipps().send('GET', path)).body);
    expect(report).toMatchObject({ hasMore: false, tryLater: false });
    const items = asArray(report['items']) as JsonObject[];
    expect(items.map((item) => [item['entryType'], item['reference'], item['amount']])).toEqual([
      ['capture', first, TOTAL],
      ['capture', second, 10_000],
      ['refund', second, -4_000],
      ['fees-retained', '', -349],
      ['scheduled-for-payout', expect.stringMatching(/^Vipps utbet\. /), -(TOTAL + 6_000 - 349)],
    ]);
    // Each entry carries on from the one before it, and the day ends paid out.
    for (const [i, item] of items.entries()) {
      expect(item['balanceAfter']).toBe(Number(item['balanceBefore']) + Number(item['amount']));
      if (i > 0) expect(item['balanceBefore']).toBe(items[i - 1]?.['balanceAfter']);
    }
    expect(items.at(-1)?.['balanceAfter']).toBe(0);
    const fees = asArray(asObject((await vipps().send('GET', path.replace('funds', 'fees'))).body)['items']);
    expect((fees as JsonObject[]).map((fee) => fee['amount'])).toEqual([-249, -100, 349]);
  });

  it('feeds captures as they happen, and hands the same cursor back with tryLater at the end', async () => {
    const id = await ledgerId();
    const reference = await sold(5_000);
    const first = asObject((await vipps().send('GET', `/report/v2/ledgers/${id}/funds/feed`)).body);
    expect((asArray(first['items']) as JsonObject[]).map((item) => item['reference'])).toEqual([reference]);
    expect(first['tryLater']).toBe(true);
    const again = asObject(
      (await vipps().send('GET', `/report/v2/ledgers/${id}/funds/feed?cursor=${String(first['cursor'])}`))
        .body,
    );
    expect(again).toEqual({ cursor: first['cursor'], tryLater: true, items: [] });
  });

  it('answers a malformed date, an unknown ledger and a forged cursor with problems', async () => {
    const id = await ledgerId();
    expectProblem(await vipps().send('GET', `/report/v2/ledgers/${id}/funds/dates/7-12-2026`), 400, {
      field: 'ledgerDate',
    });
    expectProblem(await vipps().send('GET', '/report/v2/ledgers/nope/funds/dates/2026-12-07'), 404);
    expectProblem(await vipps().send('GET', `/report/v2/ledgers/${id}/funds/feed?cursor=bm9wZQ==`), 400, {
      field: 'cursor',
    });
  });

  it('refuses a caller without a token', async () => {
    const answer = await vipps().send('GET', '/settlement/v1/ledgers', { headers: { Authorization: null } });
    expect(answer.status).toBe(401);
  });
});
