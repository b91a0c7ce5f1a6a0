import { type KeyListener, type KeyPort, TACTILE_KEYS, type TactileKey } from './key-port.js';

/**
 * The tests' tactile keys, and the demo's with `--speech` (its panel's buttons press them): `press` is a
 * key pressed and let go. Strict like the real adapter: a key that is not wired, or a press while
 * stopped, is a mistake in the caller and throws.
 */
export class FakeKeys implements KeyPort {
  private readonly listeners = new Set<KeyListener>();
  private running = false;
  private readonly wired: readonly TactileKey[];

  constructor(keys: readonly TactileKey[] = TACTILE_KEYS) {
    this.wired = keys;
  }

  async start(): Promise<void> {
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
  }

  keys(): readonly TactileKey[] {
    return this.running ? this.wired : [];
  }

  subscribe(listener: KeyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The key pressed and let go; `long`: held past the long-press time. */
  press(key: TactileKey, long = false): void {
    if (!this.running) throw new Error(`the ${key} key was pressed while the keys are stopped`);
    if (!this.wired.includes(key)) throw new Error(`the ${key} key is not wired (${this.wired.join(', ')})`);
    for (const listener of this.listeners) listener({ key, long });
  }
}
