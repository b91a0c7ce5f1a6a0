import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextClosing, ReportDesk } from '../../device/cash-register/report-desk.js';
import type { JournaledReport } from '../../device/cash-register/reports.js';
import { newTill, saleOf } from './till.js';

// The automatic Z report at `cashRegister.closingTime`, on vi's fake clock and timers: the desk's timer
// is the daemon's own, moved by the test.

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
/** Monday 23 November 2026, 12:00 in Oslo (UTC+1). */
const MONDAY_NOON = Date.parse('2026-11-23T11:00:00Z');
const HOUR = 3_600_000;

describe('the automatic Z report at closing time', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: MONDAY_NOON });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function desk(closingTime: string | undefined) {
    const till = await newTill(Date.now);
    till.register.started([], '0.1.0');
    const reports: JournaledReport[] = [];
    const d = new ReportDesk({
      ...till,
      closingTime,
      now: Date.now,
      onReport: (report) => reports.push(report),
      logger: silent,
    });
    return { till, desk: d, reports };
  }

  it('finds the next closing time in Norwegian time, across the change to winter time', () => {
    expect(new Date(nextClosing(MONDAY_NOON, '21:00')).toISOString()).toBe('2026-11-23T20:00:00.000Z');
    expect(new Date(nextClosing(Date.parse('2026-11-23T20:00:00Z'), '21:00')).toISOString()).toBe(
      '2026-11-24T20:00:00.000Z',
    );
    // Summer time ends on 25 October 2026: 21:00 is 19:00Z before and 20:00Z after.
    expect(new Date(nextClosing(Date.parse('2026-10-24T20:00:00Z'), '21:00')).toISOString()).toBe(
      '2026-10-25T20:00:00.000Z',
    );
    // 02:30 does not exist on 29 March 2026 (summer time starts): the next closing is the day after.
    expect(new Date(nextClosing(Date.parse('2026-03-28T12:00:00Z'), '02:30')).toISOString()).toBe(
      '2026-03-30T00:30:00.000Z',
    );
  });

  it('closes the day staff forgot, skips a day staff closed, and still closes an empty day', async () => {
    const { till, desk: d, reports } = await desk('21:00');
    // Staff made a Z at noon (at the till, Z 1): Sunday needs no closing at start.
    till.register.report('z');
    d.start();
    expect(reports).toEqual([]);

    // A sale after the noon Z opens the day again: 21:00 closes it.
    till.register.sale(saleOf(1, 5990));
    vi.advanceTimersByTime(9 * HOUR - 1);
    expect(reports).toEqual([]);
    vi.advanceTimersByTime(1); // Monday 21:00
    expect(reports.map((r) => [r.kind, r.number, r.receipts, r.at])).toEqual([
      ['z', 2, 1, '2026-11-23T20:00:00.000Z'],
    ]);

    // Tuesday: staff makes the Z at 19:00 and nothing is sold after it; at 21:00 nothing more.
    vi.advanceTimersByTime(22 * HOUR);
    d.make('z');
    vi.advanceTimersByTime(2 * HOUR);
    expect(reports.map((r) => [r.number, r.at])).toEqual([
      [2, '2026-11-23T20:00:00.000Z'],
      [3, '2026-11-24T18:00:00.000Z'],
    ]);

    // Wednesday: nobody sells and nobody closes: an empty Z at 21:00.
    vi.advanceTimersByTime(24 * HOUR);
    expect(reports.at(-1)).toMatchObject({
      number: 4,
      receipts: 0,
      at: '2026-11-25T20:00:00.000Z',
      period: { previousZ: 3 },
    });
    d.stop();
    vi.advanceTimersByTime(48 * HOUR);
    expect(reports).toHaveLength(3);
  });

  it('closes at start a day whose closing time passed while the kiosk was off', async () => {
    const { till, desk: d, reports } = await desk('21:00');
    till.register.sale(saleOf(1, 5990));
    vi.setSystemTime(Date.parse('2026-11-24T07:00:00Z')); // Tuesday 08:00: Monday was never closed
    d.start();
    expect(reports.map((r) => [r.number, r.receipts])).toEqual([[1, 1]]);
    vi.advanceTimersByTime(13 * HOUR); // Tuesday 21:00: closed at 08:00, nothing sold since
    expect(reports).toHaveLength(1);
    vi.advanceTimersByTime(HOUR);
    till.register.sale(saleOf(2, 4990));
    vi.advanceTimersByTime(23 * HOUR); // Wednesday 21:00
    expect(reports.map((r) => [r.number, r.receipts, r.at])).toEqual([
      [1, 1, '2026-11-24T07:00:00.000Z'],
      [2, 1, '2026-11-25T20:00:00.000Z'],
    ]);
    d.stop();
  });

  it('makes none without a closing time', async () => {
    const { desk: d, reports } = await desk(undefined);
    d.start();
    vi.advanceTimersByTime(72 * HOUR);
    expect(reports).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
