import type { PrinterCondition } from './printer-port.js';

// What a USB receipt printer says about itself, in the two ways it can say it: the ESC/POS real-time
// status (DLE EOT n, answered on the bulk IN endpoint by bidirectional printers) and the USB printer
// class port status (a control request every printer-class device answers, with only three bits).

/** USB printer class request GET_PORT_STATUS: one byte, the bits of a parallel port's status lines. */
export const GET_PORT_STATUS = 1;
const PAPER_EMPTY = 0x20;
const SELECTED = 0x10;
const NOT_ERROR = 0x08;

export function conditionFromPortStatus(status: number): PrinterCondition {
  if (status & PAPER_EMPTY) return 'paper-out';
  if (!(status & SELECTED) || !(status & NOT_ERROR)) return 'offline';
  return 'ready';
}

/** DLE EOT n for n = 1 (printer), 2 (offline cause), 4 (roll paper sensor): one answer byte each. */
export const REALTIME_STATUS_QUERIES = [1, 2, 4] as const;
export type RealtimeQuery = (typeof REALTIME_STATUS_QUERIES)[number];

export function realtimeStatusQuery(n: RealtimeQuery): Uint8Array {
  return Uint8Array.of(0x10, 0x04, n);
}

/** Every answer to DLE EOT has bit 1 and bit 4 set and bits 0 and 7 clear: anything else is not one. */
export function isRealtimeAnswer(byte: number): boolean {
  return (byte & 0x93) === 0x12;
}

export interface RealtimeStatus {
  /** DLE EOT 1, bit 3. */
  offline: boolean;
  /** DLE EOT 2, bit 2. */
  coverOpen: boolean;
  /** DLE EOT 2, bit 5 (printing stopped for paper end) or DLE EOT 4, bits 5–6. */
  paperOut: boolean;
  /** DLE EOT 4, bits 2–3. */
  paperNearEnd: boolean;
  /** DLE EOT 2, bit 6: an error that is none of the above (cutter jam, head too hot). */
  error: boolean;
}

export function decodeRealtimeStatus(answers: Readonly<Record<RealtimeQuery, number>>): RealtimeStatus {
  return {
    offline: (answers[1] & 0x08) !== 0,
    coverOpen: (answers[2] & 0x04) !== 0,
    paperOut: (answers[2] & 0x20) !== 0 || (answers[4] & 0x60) !== 0,
    paperNearEnd: (answers[4] & 0x0c) !== 0,
    error: (answers[2] & 0x40) !== 0,
  };
}

/** The one condition staff see. An open cover also stops the paper sensor and takes the printer offline: say the cause. */
export function conditionFromRealtime(status: RealtimeStatus): PrinterCondition {
  if (status.coverOpen) return 'cover-open';
  if (status.paperOut) return 'paper-out';
  if (status.offline || status.error) return 'offline';
  if (status.paperNearEnd) return 'paper-near-end';
  return 'ready';
}
