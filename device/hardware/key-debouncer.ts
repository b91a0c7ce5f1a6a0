import type { KeyPress, TactileKey } from './key-port.js';

// A switch's contacts bounce for a few milliseconds when pressed and when let go; a hardware key
// adapter hears every bounce as an edge. This turns the raw levels into presses: a level counts once it
// has held for the debounce time, and a press is emitted when the key is let go, `long` when it was held
// for the long-press time or more. Timers are injected so the rules can be checked without waiting.

export interface KeyTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const globalTimers: KeyTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface KeyDebouncerOptions {
  debounceMs: number;
  longPressMs: number;
  emit: (press: KeyPress) => void;
  timers?: KeyTimers;
}

interface KeyState {
  /** The last level heard, bounces included. */
  raw: boolean;
  /** The level that has held for the debounce time. */
  stable: boolean;
  /** When the settled press began; null for a key already held when the adapter started. */
  pressedAt: number | null;
  timer: unknown;
}

export class KeyDebouncer {
  private readonly keys = new Map<TactileKey, KeyState>();
  private readonly timers: KeyTimers;

  constructor(private readonly options: KeyDebouncerOptions) {
    this.timers = options.timers ?? globalTimers;
  }

  /**
   * The key's level when the adapter starts. A key already held then (stuck, or leant on) is no press:
   * letting it go emits nothing.
   */
  initial(key: TactileKey, pressed: boolean): void {
    this.keys.set(key, { raw: pressed, stable: pressed, pressedAt: null, timer: undefined });
  }

  /** A level read from the key's contact after an edge: true while it is closed (pressed). */
  edge(key: TactileKey, pressed: boolean): void {
    const state = this.keys.get(key);
    if (!state) return;
    state.raw = pressed;
    this.timers.clearTimeout(state.timer);
    state.timer = this.timers.setTimeout(() => this.settle(key, state), this.options.debounceMs);
  }

  /** Forgets every key and its pending timer (the adapter stopped). */
  reset(): void {
    for (const state of this.keys.values()) this.timers.clearTimeout(state.timer);
    this.keys.clear();
  }

  private settle(key: TactileKey, state: KeyState): void {
    state.timer = undefined;
    if (state.raw === state.stable) return;
    state.stable = state.raw;
    const at = this.timers.now();
    if (state.stable) {
      state.pressedAt = at;
      return;
    }
    const since = state.pressedAt;
    state.pressedAt = null;
    if (since !== null) this.options.emit({ key, long: at - since >= this.options.longPressMs });
  }
}
