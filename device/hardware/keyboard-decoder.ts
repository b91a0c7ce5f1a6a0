import { characterOf, type KeyboardLayoutName } from './keyboard-layouts.js';
import { type DecodedEvent, type ReportDecoder, ScanBuffer } from './scan-buffer.js';

export interface KeyboardDecoderOptions {
  layout: KeyboardLayoutName;
  /**
   * `enter-or-tab`: a scan ends at Enter or Tab (the scanner's suffix), and a scan left without one
   * past the inter-character timeout is dropped. `none`: the scanner sends no suffix, and the timeout
   * itself ends the scan.
   */
  terminator: 'enter-or-tab' | 'none';
  interCharTimeoutMs: number;
}

const ENTER = new Set([0x28, 0x58]);
const TAB = 0x2b;
/** ErrorRollOver, POSTFail, ErrorUndefined: the keyboard's "too many keys" filler, not keystrokes. */
const PHANTOM = new Set([0x01, 0x02, 0x03]);
const BOOT_REPORT_BYTES = 8;

/**
 * Decodes boot-keyboard input reports (modifiers, reserved, six key slots) into scans. A scanner
 * sends one report with the key down and one with it up, so a key counts when it appears in a report
 * that did not have it before.
 */
export class KeyboardDecoder implements ReportDecoder {
  private readonly buffer = new ScanBuffer();
  private down = new Set<number>();
  private readonly options: KeyboardDecoderOptions;

  constructor(options: KeyboardDecoderOptions) {
    this.options = options;
  }

  get quietAfterMs(): number {
    return this.options.interCharTimeoutMs;
  }

  report(data: Buffer, now: number): DecodedEvent[] {
    const events: DecodedEvent[] = [];
    // A long gap means the previous scan ended (or was cut off) before this report.
    const late = this.quiet(now);
    if (late) events.push(late);
    if (data.length !== BOOT_REPORT_BYTES) {
      this.buffer.spoil('garbled', now);
      return events;
    }
    const modifiers = data[0]!;
    const keys = [...data.subarray(2)].filter((usage) => usage !== 0);
    if (keys.some((usage) => PHANTOM.has(usage))) return events;
    const pressed = keys.filter((usage) => !this.down.has(usage));
    this.down = new Set(keys);
    for (const usage of pressed) {
      if (ENTER.has(usage) || usage === TAB) {
        if (this.buffer.pending) events.push(this.buffer.finish(null));
        continue;
      }
      const character = characterOf(this.options.layout, usage, modifiers);
      if (character === null) this.buffer.spoil('garbled', now);
      else this.buffer.append(Buffer.from(character, 'utf8'), now);
    }
    return events;
  }

  quiet(now: number): DecodedEvent | null {
    const last = this.buffer.lastAt;
    if (last === null || now - last < this.options.interCharTimeoutMs) return null;
    this.down.clear();
    return this.options.terminator === 'none'
      ? this.buffer.finish(null)
      : this.buffer.abandon('unterminated');
  }

  unplugged(): DecodedEvent | null {
    this.down.clear();
    return this.buffer.abandon('unplugged');
  }
}
