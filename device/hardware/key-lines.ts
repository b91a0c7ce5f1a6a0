import type { TactileKey } from './key-port.js';

/** Each key's name in hardware.keys.lines: camelCase, so each has a VK_* variable a shell can set. */
export const KEY_SETTING = {
  speech: 'speech',
  next: 'next',
  previous: 'previous',
  select: 'select',
  back: 'back',
  'volume-up': 'volumeUp',
  'volume-down': 'volumeDown',
} as const satisfies Record<TactileKey, string>;

export type KeySetting = (typeof KEY_SETTING)[TactileKey];

/**
 * Where the tactile keys go on a Raspberry Pi's 40-pin header unless the configuration says otherwise:
 * SoC GPIO numbers of general-purpose lines that no interface the kiosk uses claims (not I²C, SPI or the
 * UART), each near a ground pin. docs/field-tech.md has the table.
 */
export const RECOMMENDED_KEY_LINES: Readonly<Record<KeySetting, string>> = {
  speech: '5',
  previous: '6',
  next: '13',
  select: '19',
  back: '26',
  volumeDown: '16',
  volumeUp: '20',
};
