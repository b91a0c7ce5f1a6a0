import { type DecodedEvent, type ReportDecoder, ScanBuffer } from './scan-buffer.js';

/**
 * The scanned-data input report of a HID-POS scanner (bar code scanner page 0x8C), in the layout
 * the common 2D scanners use (Honeywell's documented one; others follow it):
 *   byte 0      report id 0x02
 *   byte 1      number of data bytes in this report (0–56)
 *   bytes 2–4   AIM symbology identifier, e.g. "]Q1" (QR), "]E0" (EAN-13); zeros when not sent
 *   bytes 5–60  data
 *   bytes 61–62 the vendor's own symbology id (unused here)
 *   byte 63     bit 0: more reports of this code follow
 * node-hid hands the report over with its id in byte 0, as hidraw does for numbered reports.
 */
export const HID_POS_REPORT_ID = 0x02;
export const HID_POS_REPORT_BYTES = 64;
export const HID_POS_DATA_BYTES = 56;
const DATA_AT = 5;
const FLAGS_AT = 63;

export class HidPosDecoder implements ReportDecoder {
  private readonly buffer = new ScanBuffer();
  private symbology: string | null = null;
  /** How long to wait for the next report of a code that said more follows. */
  readonly quietAfterMs: number;

  constructor(options: { continuationTimeoutMs: number }) {
    this.quietAfterMs = options.continuationTimeoutMs;
  }

  report(data: Buffer, now: number): DecodedEvent[] {
    const events: DecodedEvent[] = [];
    const late = this.quiet(now);
    if (late) events.push(late);
    const count = data[1] ?? 0;
    const wellFormed =
      data.length === HID_POS_REPORT_BYTES && data[0] === HID_POS_REPORT_ID && count <= HID_POS_DATA_BYTES;
    if (!wellFormed) {
      // A report we cannot read spoils the code it belongs to; on its own it is reported as garbled.
      this.buffer.spoil('garbled', now);
      events.push(this.buffer.finish(null));
      return events;
    }
    if (!this.buffer.pending) this.symbology = aimIdentifier(data);
    this.buffer.append(data.subarray(DATA_AT, DATA_AT + count), now);
    const more = (data[FLAGS_AT]! & 0x01) === 1;
    if (!more) events.push(this.buffer.finish(this.symbology));
    return events;
  }

  quiet(now: number): DecodedEvent | null {
    const last = this.buffer.lastAt;
    if (last === null || now - last < this.quietAfterMs) return null;
    return this.buffer.abandon('unterminated');
  }

  unplugged(): DecodedEvent | null {
    return this.buffer.abandon('unplugged');
  }
}

function aimIdentifier(report: Buffer): string | null {
  const aim = report.subarray(2, DATA_AT);
  // "]" then a symbology letter and a modifier character.
  return aim[0] === 0x5d && aim[1]! >= 0x21 && aim[2]! >= 0x21 ? aim.toString('latin1') : null;
}

/** The reports a HID-POS scanner sends for one code: for test scanners, the HIL and the benchmark. */
export function hidPosReports(text: string, symbology = ']Q1'): Buffer[] {
  const data = Buffer.from(text, 'utf8');
  const reports: Buffer[] = [];
  for (let at = 0; at === 0 || at < data.length; at += HID_POS_DATA_BYTES) {
    const part = data.subarray(at, at + HID_POS_DATA_BYTES);
    const report = Buffer.alloc(HID_POS_REPORT_BYTES);
    report[0] = HID_POS_REPORT_ID;
    report[1] = part.length;
    report.write(symbology, 2, 3, 'latin1');
    part.copy(report, DATA_AT);
    report[FLAGS_AT] = at + HID_POS_DATA_BYTES < data.length ? 1 : 0;
    reports.push(report);
  }
  return reports;
}
