import { describe, expect, it } from 'vitest';
import { printable } from '../../hq/terminal-text.js';

// What `hq watch` prints of a kiosk's strings: inert on any terminal (issue 15, finding 8).
describe('printable', () => {
  it.each([
    ['plain text, æøå and € stay', 'Storo kasse 7 – æøå €', 'Storo kasse 7 – æøå €'],
    ['OSC window title (BEL)', 'a\u001b]2;pwned\u0007b', 'ab'],
    ['OSC 52 clipboard write (ST)', 'a\u001b]52;c;cm0gLXJmIH4K\u001b\\b', 'ab'],
    ['CSI clear screen and cursor home', '\u001b[2J\u001b[Hx', 'x'],
    ['CSI colour', '\u001b[31;1mred\u001b[0m', 'red'],
    ['two-character escape (reset)', 'a\u001bcb', 'ab'],
    ['DCS string', 'a\u001bPq#0;2;0;0;0\u001b\\b', 'ab'],
    ['a lone ESC at the end', 'a\u001b', 'a'],
    ['8-bit C1 CSI', 'a\u009b31mb', 'a31mb'],
    ['C0 controls: BEL, BS, CR, LF, TAB', 'a\u0007\b\r\n\tb', 'ab'],
    ['DEL', 'a\u007fb', 'ab'],
    ['bidi override and isolates', '\u202etxt.exe\u2066x\u2069\u200f', 'txt.exex'],
  ])('%s', (_what, text, shown) => {
    expect(printable(text)).toBe(shown);
  });
});
