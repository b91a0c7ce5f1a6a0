import type { KeyListener, KeyPort, TactileKey } from '../../device/hardware/key-port.js';
import { TACTILE_KEYS } from '../../device/hardware/key-port.js';

/** The tactile keys as every KeyPort delivers them (each press once, on release), pressed by a test. */
export class PressedKeys implements KeyPort {
  private readonly listeners = new Set<KeyListener>();
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  keys(): readonly TactileKey[] {
    return TACTILE_KEYS;
  }
  subscribe(listener: KeyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  press(key: TactileKey, long = false): void {
    for (const listener of this.listeners) listener({ key, long });
  }
}
