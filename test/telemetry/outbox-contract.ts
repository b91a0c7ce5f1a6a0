import { afterEach, describe, expect, it } from 'vitest';
import type { NewEvent, Outbox, OutboxLimits } from '../../device/telemetry/outbox.js';

/**
 * One place an outbox keeps its events. `open` may be called again after the outbox it returned was
 * stopped: that is a restart of the kiosk, and what was not acknowledged must still be there.
 */
export interface OutboxStore {
  open(limits: OutboxLimits, now: () => number): Outbox;
  dispose(): Promise<void>;
}

const sale = (n: number): NewEvent => ({
  type: 'checkout-completed',
  class: 'money',
  payload: { n, amount: 100 * n },
});
const health = (n: number): NewEvent => ({ type: 'health', class: 'info', payload: { n } });
const roomy: OutboxLimits = { maxEvents: 100, degradedAt: 50 };

/**
 * What every Outbox promises the publisher's drain (device/telemetry/outbox-drain.ts): an event is kept
 * from `enqueue` until `ack`, in the order it came, across restarts; over the limit only `info` goes.
 */
export function outboxContract(adapter: string, newStore: () => Promise<OutboxStore>): void {
  describe(`Outbox contract: ${adapter}`, () => {
    const stores: OutboxStore[] = [];
    const opened: Outbox[] = [];
    let clock = 1_700_000_000_000;
    const now = () => clock;

    async function store(): Promise<OutboxStore> {
      const made = await newStore();
      stores.push(made);
      return made;
    }
    function open(where: OutboxStore, limits = roomy): Outbox {
      const outbox = where.open(limits, now);
      opened.push(outbox);
      return outbox;
    }

    afterEach(async () => {
      for (const outbox of opened.splice(0)) outbox.stop();
      for (const made of stores.splice(0)) await made.dispose();
    });

    it('hands events out in the order they came, with unique ids, the clock time and the payload as given', async () => {
      const outbox = open(await store());
      const a = outbox.enqueue(sale(1));
      clock += 5;
      const b = outbox.enqueue(health(1));
      const c = outbox.enqueue({
        type: 'checkout-declined',
        class: 'money',
        payload: { nested: { list: [1, 'x'] } },
      });
      expect(new Set([a.id, b.id, c.id]).size).toBe(3);
      expect(a.seq).toBeLessThan(b.seq);
      expect(b.seq).toBeLessThan(c.seq);
      expect(b.createdAt).toBe(a.createdAt + 5);
      expect(outbox.next(10)).toEqual([a, b, c]);
      expect(outbox.next(10)[2]).toMatchObject({ class: 'money', payload: { nested: { list: [1, 'x'] } } });
      expect(outbox.depth()).toBe(3);
    });

    it('pages after the last event in flight, at most `limit` at a time', async () => {
      const outbox = open(await store());
      const events = [1, 2, 3, 4, 5].map((n) => outbox.enqueue(sale(n)));
      expect(outbox.next(2).map((e) => e.id)).toEqual([events[0]!.id, events[1]!.id]);
      expect(outbox.next(2, events[1]!.seq).map((e) => e.id)).toEqual([events[2]!.id, events[3]!.id]);
      expect(outbox.next(10, events[4]!.seq)).toEqual([]);
      // Paging does not take anything out: only an ack does.
      expect(outbox.depth()).toBe(5);
    });

    it('removes an event only when it is acknowledged; acking it again or an unknown id changes nothing', async () => {
      const outbox = open(await store());
      const [a, b, c] = [1, 2, 3].map((n) => outbox.enqueue(sale(n)));
      expect(outbox.ack(b!.id)).toBe(true);
      expect(outbox.ack(b!.id)).toBe(false);
      expect(outbox.ack('01NOSUCHEVENT')).toBe(false);
      expect(outbox.next(10).map((e) => e.id)).toEqual([a!.id, c!.id]);
      expect(outbox.depth()).toBe(2);
    });

    it('keeps what was not acknowledged across a restart, and orders new events after it', async () => {
      const where = await store();
      const first = open(where);
      const [a, b] = [1, 2].map((n) => first.enqueue(sale(n)));
      first.ack(a!.id);
      first.stop();
      const second = open(where);
      expect(second.next(10)).toEqual([b]);
      const c = second.enqueue(sale(3));
      expect(c.seq).toBeGreaterThan(b!.seq);
      expect(second.next(10).map((e) => e.id)).toEqual([b!.id, c.id]);
    });

    it('over its limit drops info events oldest first and never a money event', async () => {
      const outbox = open(await store(), { maxEvents: 4, degradedAt: 3 });
      const money1 = outbox.enqueue(sale(1));
      outbox.enqueue(health(1));
      const info2 = outbox.enqueue(health(2));
      const money2 = outbox.enqueue(sale(2));
      const info3 = outbox.enqueue(health(3));
      // Five events, limit four: the oldest info event goes.
      expect(outbox.next(10).map((e) => e.id)).toEqual([money1.id, info2.id, money2.id, info3.id]);
      expect(outbox.dropped()).toBe(1);
      // Only money from here on: the outbox grows past its limit rather than lose a sale.
      const more = [1, 2, 3, 4, 5].map((n) => outbox.enqueue(sale(10 + n)));
      const left = outbox.next(100);
      expect(left.filter((e) => e.class === 'info')).toEqual([]);
      expect(left.map((e) => e.id)).toEqual([money1.id, money2.id, ...more.map((e) => e.id)]);
      expect(outbox.depth()).toBe(7);
      expect(outbox.dropped()).toBe(3);
    });

    it('reports itself degraded from `degradedAt` events on, and not once they are acknowledged', async () => {
      const outbox = open(await store(), { maxEvents: 10, degradedAt: 3 });
      const [a] = [1, 2].map((n) => outbox.enqueue(sale(n)));
      expect(outbox.overThreshold()).toBe(false);
      outbox.enqueue(sale(3));
      expect(outbox.overThreshold()).toBe(true);
      outbox.ack(a!.id);
      expect(outbox.overThreshold()).toBe(false);
    });
  });
}
