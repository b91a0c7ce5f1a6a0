// Boot-keyboard usage IDs (HID usage page 0x07) to characters, per keyboard layout. A scanner in
// keyboard mode "types" what it read as if on a keyboard of the layout it is programmed for; the
// same usage means a different character on another layout, so the layout must match the scanner's.
// Only what a bar code or QR can hold: letters, digits, printable punctuation, space.

export type KeyboardLayoutName = 'us' | 'no';

/** [plain, shift, altGr] for one key; '' where the layout has nothing there. */
type Key = readonly [string, string, string];

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function layout(digitShift: string, digitAltGr: string, rest: Record<number, Key>): ReadonlyMap<number, Key> {
  const keys = new Map<number, Key>();
  for (let i = 0; i < 26; i++) {
    const letter = LETTERS[i]!;
    keys.set(0x04 + i, [letter, letter.toUpperCase(), '']);
  }
  const digits = '1234567890';
  for (let i = 0; i < 10; i++) keys.set(0x1e + i, [digits[i]!, digitShift[i]!, digitAltGr[i]!.trim()]);
  keys.set(0x2c, [' ', ' ', '']);
  for (const [usage, key] of Object.entries(rest)) keys.set(Number(usage), key);
  return keys;
}

const US = layout('!@#$%^&*()', '          ', {
  45: ['-', '_', ''],
  46: ['=', '+', ''],
  47: ['[', '{', ''],
  48: [']', '}', ''],
  49: ['\\', '|', ''],
  50: ['\\', '|', ''],
  51: [';', ':', ''],
  52: ["'", '"', ''],
  53: ['`', '~', ''],
  54: [',', '<', ''],
  55: ['.', '>', ''],
  56: ['/', '?', ''],
  100: ['\\', '|', ''],
});

// Norwegian: `/` is Shift+7, `:` Shift+period, `?` Shift+plus, `=` Shift+0, `@` AltGr+2 — the
// characters of a Vipps QR URL sit on other keys than on a US keyboard.
const NO = layout('!"#¤%&/()=', ' @£$€ {[]}', {
  45: ['+', '?', ''],
  46: ['\\', '`', '´'],
  47: ['å', 'Å', ''],
  48: ['¨', '^', '~'],
  49: ["'", '*', ''],
  50: ["'", '*', ''],
  51: ['ø', 'Ø', ''],
  52: ['æ', 'Æ', ''],
  53: ['|', '§', ''],
  54: [',', ';', ''],
  55: ['.', ':', ''],
  56: ['-', '_', ''],
  100: ['<', '>', ''],
});

export const KEYBOARD_LAYOUTS: Readonly<Record<KeyboardLayoutName, ReadonlyMap<number, Key>>> = {
  us: US,
  no: NO,
};

const SHIFT = 0x02 | 0x20;
const ALT_GR = 0x40;
/** Ctrl, left Alt and GUI never take part in typing a code. */
const COMMAND = 0x01 | 0x04 | 0x08 | 0x10 | 0x80;

/** The character a key makes with these modifiers, or null when the layout has none (a garbled read). */
export function characterOf(layoutName: KeyboardLayoutName, usage: number, modifiers: number): string | null {
  if (modifiers & COMMAND) return null;
  const key = KEYBOARD_LAYOUTS[layoutName].get(usage);
  if (!key) return null;
  const character = modifiers & ALT_GR ? key[2] : modifiers & SHIFT ? key[1] : key[0];
  return character === '' ? null : character;
}

/** The key and modifiers that type `character` on a layout: for test scanners and the benchmark. */
export function keystrokeOf(
  layoutName: KeyboardLayoutName,
  character: string,
): { usage: number; modifiers: number } | null {
  for (const [usage, key] of KEYBOARD_LAYOUTS[layoutName]) {
    if (key[0] === character) return { usage, modifiers: 0 };
    if (key[1] === character) return { usage, modifiers: 0x02 };
    if (key[2] === character) return { usage, modifiers: ALT_GR };
  }
  return null;
}

/**
 * The boot-keyboard reports a scanner on `layoutName` sends for `text` and then Enter: key down, all
 * keys up, per character. For test scanners, the HIL and the benchmark.
 */
export function keyboardReports(
  layoutName: KeyboardLayoutName,
  text: string,
  suffix: 'enter' | 'none' = 'enter',
): Buffer[] {
  const reports: Buffer[] = [];
  const press = (usage: number, modifiers: number) => {
    reports.push(Buffer.from([modifiers, 0, usage, 0, 0, 0, 0, 0]), Buffer.alloc(8));
  };
  for (const character of text) {
    const stroke = keystrokeOf(layoutName, character);
    if (!stroke) throw new Error(`"${character}" cannot be typed on the ${layoutName} layout`);
    press(stroke.usage, stroke.modifiers);
  }
  if (suffix === 'enter') press(0x28, 0);
  return reports;
}
