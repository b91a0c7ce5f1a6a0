import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUTBOX_FILE, OutboxUnavailableError, SqliteOutbox } from '../../device/telemetry/outbox.js';

describe('telemetry outbox (SQLite)', () => {
  let dir: string;
  let path: string;
  const open: SqliteOutbox[] = [];
  const openOutbox = (limits = { maxEvents: 100, degradedAt: 50 }) => {
    const outbox = SqliteOutbox.open(path, limits);
    open.push(outbox);
    return outbox;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vk-outbox-'));
    path = join(dir, OUTBOX_FILE);
  });
  afterEach(async () => {
    for (const outbox of open.splice(0)) outbox.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps events in order with unique ids until they are acknowledged', () => {
    const outbox = openOutbox();
    const a = outbox.enqueue({ type: 'checkout-completed', class: 'money', payload: { amount: 100 } });
    const b = outbox.enqueue({ type: 'scanner-attached', class: 'info', payload: {} });
    const c = outbox.enqueue({ type: 'checkout-declined', class: 'money', payload: { amount: 50 } });
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect(outbox.next(10).map((e) => e.id)).toEqual([a.id, b.id, c.id]);
    expect(outbox.next(10, a.seq).map((e) => e.id)).toEqual([b.id, c.id]);
    expect(outbox.next(1)[0]).toMatchObject({
      type: 'checkout-completed',
      class: 'money',
      payload: { amount: 100 },
    });
    expect(outbox.ack(b.id)).toBe(true);
    expect(outbox.ack(b.id)).toBe(false);
    expect(outbox.next(10).map((e) => e.id)).toEqual([a.id, c.id]);
    expect(outbox.depth()).toBe(2);
  });

  it('survives being closed and opened again (a restart), readable only by the daemon', async () => {
    const first = openOutbox();
    const event = first.enqueue({ type: 'capture', class: 'money', payload: { amount: 1 } });
    first.stop();
    const second = openOutbox();
    expect(second.next(10)).toEqual([event]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('over its limit drops info events oldest first and never a money event', () => {
    const outbox = openOutbox({ maxEvents: 4, degradedAt: 3 });
    const money1 = outbox.enqueue({ type: 'checkout-completed', class: 'money', payload: { n: 1 } });
    const info1 = outbox.enqueue({ type: 'health', class: 'info', payload: { n: 1 } });
    const info2 = outbox.enqueue({ type: 'health', class: 'info', payload: { n: 2 } });
    expect(outbox.overThreshold()).toBe(true);
    const money2 = outbox.enqueue({ type: 'checkout-completed', class: 'money', payload: { n: 2 } });
    const info3 = outbox.enqueue({ type: 'health', class: 'info', payload: { n: 3 } });
    // Five events, limit four: the oldest info event goes.
    expect(outbox.next(10).map((e) => e.id)).toEqual([money1.id, info2.id, money2.id, info3.id]);
    expect(outbox.dropped()).toBe(1);
    // Only money from here on: the outbox grows past its limit rather than lose a sale.
    const more = [1, 2, 3, 4, 5].map((n) =>
      outbox.enqueue({ type: 'checkout-completed', class: 'money', payload: { n: 10 + n } }),
    );
    const left = outbox.next(100);
    expect(left.filter((e) => e.class === 'info')).toEqual([]);
    expect(left.map((e) => e.id)).toEqual([money1.id, money2.id, ...more.map((e) => e.id)]);
    expect(outbox.depth()).toBe(7);
    expect(outbox.dropped()).toBe(3);
    expect(info1.id).not.toBe(info2.id);
  });

  it('names the file and what to do when it cannot be opened', () => {
    expect(() => SqliteOutbox.open(join(dir, 'missing-dir', OUTBOX_FILE))).toThrow(OutboxUnavailableError);
    expect(() => SqliteOutbox.open(join(dir, 'missing-dir', OUTBOX_FILE))).toThrow(/do not delete the file/);
  });
});
