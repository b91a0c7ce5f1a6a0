import type { KeySetting } from '../config/key-lines.js';
import type { TactileKey } from './key-port.js';

/** Each key's name in hardware.keys.lines (device/config/key-lines.ts has the recommended pins). */
export const KEY_SETTING = {
  speech: 'speech',
  next: 'next',
  previous: 'previous',
  select: 'select',
  back: 'back',
  'volume-up': 'volumeUp',
  'volume-down': 'volumeDown',
} as const satisfies Record<TactileKey, KeySetting>;
