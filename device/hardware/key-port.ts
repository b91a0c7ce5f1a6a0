import type { TactileKey } from '../../contracts/speech.js';

// The tactile-key port: the few physical keys a customer who cannot see the screen uses (EN 301 549
// closed functionality). The speech key starts speech mode; the others move and act in it.

// The names are a wire fact (the demo panel presses the demo's keys by name), so they live in contracts/.
/**
 * - speech       start (or stop) speech mode: the key with the raised headphone symbol beside the jack
 * - next/previous  move the spoken focus through what the screen offers
 * - select       press what has the focus (a keypad digit, "Pay", "Approve"…)
 * - back         the screen's own "back" (or "start over" where there is no back)
 * - volume-up/volume-down  the speech volume, in steps
 */
export { TACTILE_KEYS, type TactileKey } from '../../contracts/speech.js';

/** `long`: held past the long-press time (a long press of `speech` repeats what was last said). */
export interface KeyPress {
  key: TactileKey;
  long: boolean;
}

export type KeyListener = (press: KeyPress) => void;

/**
 * Every key adapter (GPIO through onoff, a USB keypad, the demo's and the tests' fake): started once, it
 * emits each debounced press once, on release (so a long press is known as one). A kiosk without keys
 * has none wired, and `keys()` is empty.
 */
export interface KeyPort {
  /** Claims the inputs; throws a HardwareError a field tech can act on. */
  start(): Promise<void>;
  /** Releases the inputs. */
  stop(): Promise<void>;
  /** The keys this kiosk has. */
  keys(): readonly TactileKey[];
  subscribe(listener: KeyListener): () => void;
}
