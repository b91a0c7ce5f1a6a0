import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTBOX_FILE, SqliteOutbox } from '../../device/telemetry/outbox.js';
import { storedBytes } from './stored-bytes.js';

// The payload guard keeps customers out of telemetry; `club forget` still looks, in every spelling, and
// masks rather than deletes (a money event is HQ's books).

describe('telemetry outbox: forget', () => {
  it('masks the number written whole, spaced, as a JSON number or as a key, and leaves every other event alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vk-outbox-forget-'));
    const path = join(dir, OUTBOX_FILE);
    const outbox = SqliteOutbox.open(path);
    try {
      const held = [
        { note: 'customer 4798765432' },
        { note: 'customer +47 987 65 432' },
        { amounts: [4990, 4798765432] },
        { byCustomer: { '4798765432': 1 } },
      ];
      for (const payload of held) outbox.enqueue({ type: 'sale-completed', class: 'money', payload });
      const other = outbox.enqueue({
        type: 'sale-completed',
        class: 'money',
        payload: { note: '4711111111' },
      });

      expect(outbox.forget('4798765432')).toBe(4);

      const events = outbox.next(10);
      expect(events.map((event) => event.payload)).toEqual([
        { note: 'customer 47******32' },
        { note: 'customer 47******32' },
        { amounts: [4990, '47******32'] },
        { byCustomer: { '47******32': 1 } },
        other.payload,
      ]);
      expect(events.map((event) => event.class)).toEqual(['money', 'money', 'money', 'money', 'money']);
      expect(storedBytes(path)).not.toMatch(/987\s?65\s?432/);
      expect(outbox.forget('4798765432')).toBe(0);
    } finally {
      outbox.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
