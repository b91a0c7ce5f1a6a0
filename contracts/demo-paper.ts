import type { PrinterCondition } from './telemetry.js';

// The demo's simulated receipt printer as the demo panel shows it (GET /api/demo/printer): the paper it
// printed, decoded from the very ESC/POS bytes a real printer would get (device/printer/escpos-decoder.ts),
// and its condition, which the panel's buttons change (POST /api/demo/printer).

/** One thing on the paper: a line of text, a barcode, a QR code, an image, or the cut. */
export type PaperItem =
  | { kind: 'text'; text: string; bold: boolean; align: 'left' | 'center' | 'right'; size: number }
  | { kind: 'barcode'; symbology: string; data: string }
  | { kind: 'qrcode'; data: string }
  | { kind: 'image' }
  | { kind: 'cut'; partial: boolean };

export interface DemoPrinterView {
  condition: PrinterCondition;
  model: string | null;
  /** Characters a line on this roll. */
  columns: number;
  /** The end of the paper roll: the last receipts, oldest first. */
  paper: PaperItem[];
}

/** What the panel's buttons can make the printer do; `offline` pulls its cable, `ready` puts all right. */
export type DemoPrinterRequest = { condition: PrinterCondition };
