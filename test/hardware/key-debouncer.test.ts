import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeyDebouncer } from '../../device/hardware/key-debouncer.js';
import type { KeyPress } from '../../device/hardware/key-port.js';

// The rules the GPIO key adapter applies to its raw edges, under vi's fake clock: time is moved, never waited.

const DEBOUNCE = 30;
const LONG = 1000;

describe('the key debouncer', () => {
  let presses: KeyPress[];
  let keys: KeyDebouncer;
  beforeEach(() => {
    vi.useFakeTimers();
    presses = [];
    keys = new KeyDebouncer({ debounceMs: DEBOUNCE, longPressMs: LONG, emit: (p) => presses.push(p) });
    keys.initial('speech', false);
    keys.initial('next', false);
  });
  afterEach(() => {
    keys.reset();
    vi.useRealTimers();
  });

  /** Closes the contact, holds it `ms`, opens it, and lets the level settle. */
  const press = (key: 'speech' | 'next', ms: number) => {
    keys.edge(key, true);
    vi.advanceTimersByTime(ms);
    keys.edge(key, false);
    vi.advanceTimersByTime(DEBOUNCE);
  };

  it('emits a press on release, not on the way down', () => {
    keys.edge('speech', true);
    vi.advanceTimersByTime(500);
    expect(presses).toEqual([]);
    keys.edge('speech', false);
    vi.advanceTimersByTime(DEBOUNCE - 1);
    expect(presses).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(presses).toEqual([{ key: 'speech', long: false }]);
  });

  it('calls a press long from the long-press time on, and short just before it', () => {
    press('speech', LONG - 1);
    press('speech', LONG);
    press('next', 3 * LONG);
    expect(presses).toEqual([
      { key: 'speech', long: false },
      { key: 'speech', long: true },
      { key: 'next', long: true },
    ]);
  });

  it('makes one press of contacts that chatter on the way down and up', () => {
    for (let i = 0; i < 4; i++) {
      keys.edge('speech', true);
      vi.advanceTimersByTime(5);
      keys.edge('speech', false);
      vi.advanceTimersByTime(5);
    }
    keys.edge('speech', true);
    vi.advanceTimersByTime(200);
    keys.edge('speech', false);
    vi.advanceTimersByTime(3);
    keys.edge('speech', true);
    vi.advanceTimersByTime(3);
    keys.edge('speech', false);
    vi.advanceTimersByTime(DEBOUNCE);
    expect(presses).toEqual([{ key: 'speech', long: false }]);
  });

  it('ignores a blip shorter than the debounce time', () => {
    keys.edge('speech', true);
    vi.advanceTimersByTime(DEBOUNCE - 1);
    keys.edge('speech', false);
    vi.advanceTimersByTime(10 * DEBOUNCE);
    expect(presses).toEqual([]);
  });

  it('keeps keys apart: one held while another is pressed', () => {
    keys.edge('speech', true);
    vi.advanceTimersByTime(100);
    press('next', 100);
    vi.advanceTimersByTime(LONG);
    keys.edge('speech', false);
    vi.advanceTimersByTime(DEBOUNCE);
    expect(presses).toEqual([
      { key: 'next', long: false },
      { key: 'speech', long: true },
    ]);
  });

  it('takes a key held when the adapter started for no press when it is let go', () => {
    keys.initial('select', true);
    keys.edge('select', false);
    vi.advanceTimersByTime(DEBOUNCE);
    expect(presses).toEqual([]);
    keys.edge('select', true);
    vi.advanceTimersByTime(100);
    keys.edge('select', false);
    vi.advanceTimersByTime(DEBOUNCE);
    expect(presses).toEqual([{ key: 'select', long: false }]);
  });

  it('emits nothing after a reset, even for a press under way', () => {
    keys.edge('speech', true);
    vi.advanceTimersByTime(100);
    keys.edge('speech', false);
    keys.reset();
    vi.advanceTimersByTime(10 * DEBOUNCE);
    keys.edge('speech', true);
    vi.advanceTimersByTime(DEBOUNCE);
    expect(presses).toEqual([]);
  });
});
