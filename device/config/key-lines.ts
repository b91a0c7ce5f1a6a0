/**
 * Where the tactile keys go on a Raspberry Pi's 40-pin header unless hardware.keys.lines says otherwise,
 * by their names there: SoC GPIO numbers of general-purpose lines that no interface the kiosk uses
 * claims (not I²C, SPI or the UART), each near a ground pin. docs/field-tech.md has the table.
 * The names are camelCase so each has a VK_* variable a shell can set.
 */
export const RECOMMENDED_KEY_LINES = {
  speech: '5',
  previous: '6',
  next: '13',
  select: '19',
  back: '26',
  volumeDown: '16',
  volumeUp: '20',
} as const;

export type KeySetting = keyof typeof RECOMMENDED_KEY_LINES;
