import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import type { SalesReceipt } from '../../contracts/sales-receipt.js';
import type { CashRegisterReport } from '../../contracts/telemetry.js';
import { type ReportHeading, reportText } from '../cash-register/report-text.js';

// What the printer puts on paper, as ESC/POS made by the encoder library: the Salgskvittering (or
// Returkvittering) from the same SalesReceipt the screen shows, X and Z reports, and a test page. Paper
// is 58 or 80 mm; the column count is what font A gives on each (32 and 48), as on the printers kiosks use.

export type PaperWidth = 58 | 80;

export const COLUMNS: Readonly<Record<PaperWidth, number>> = { 58: 32, 80: 48 };

/** Printed on a training receipt, above and below it: the law wants it unmistakable. */
export const TRAINING_MARK = 'TRENINGSKVITTERING - IKKE GYLDIG KVITTERING';
export const COPY_MARK = 'KOPI';

const money = new Intl.NumberFormat('nb-NO', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * Minor units as the Norwegian screen shows them ("1 234,50", "-16,40"), with plain spaces and a plain
 * minus so every code page has the characters.
 */
export function paperAmount(minor: number): string {
  return money
    .format(minor / 100)
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace('\u2212', '-');
}

/** VAT in basis points as "25", "15", "12", "11,11". */
function ratePercent(rate: number): string {
  return (rate / 100).toLocaleString('nb-NO', { maximumFractionDigits: 2 });
}

export function newEncoder(width: PaperWidth): ReceiptPrinterEncoder {
  const encoder = new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns: COLUMNS[width],
    codepageMapping: 'epson',
    feedBeforeCut: 4,
  });
  // cp865 (Nordic) holds æ ø å Æ Ø Å and sits at table 5 on Epson and the common clones alike.
  return encoder.initialize().codepage('cp865');
}

/**
 * Label on the left, amount on the right; a label too long for the paper wraps, and the amount stands on
 * its last line so the name reads whole.
 */
function pair(encoder: ReceiptPrinterEncoder, width: PaperWidth, label: string, value: string) {
  const right = Math.max(value.length, 10);
  encoder.table(
    [
      { width: COLUMNS[width] - right - 1, marginRight: 1, align: 'left' },
      { width: right, align: 'right', verticalAlign: 'bottom' },
    ],
    [[label, value]],
  );
}

function mark(encoder: ReceiptPrinterEncoder, text: string) {
  encoder.align('center').bold(true).line(text).bold(false).align('left');
}

export function encodeSalesReceipt(receipt: SalesReceipt, width: PaperWidth): Uint8Array {
  const e = newEncoder(width);
  if (receipt.training) mark(e, TRAINING_MARK);
  e.align('center');
  if (receipt.copy) e.size(2, 2).line(COPY_MARK).size(1, 1);
  e.bold(true).line(receipt.heading).bold(false);
  e.line(receipt.seller.name).line(receipt.seller.registration);
  for (const part of receipt.seller.address) e.line(part);
  e.align('left').newline();
  pair(e, width, 'Kvittering nr', receipt.receiptNumber);
  if (receipt.returnOf) pair(e, width, 'Retur av kvittering nr', receipt.returnOf);
  pair(e, width, 'Kasse', receipt.kioskId);
  pair(e, width, 'Dato', receipt.issued.date);
  pair(e, width, 'Tid', receipt.issued.time);
  e.rule();
  for (const line of receipt.lines) {
    pair(e, width, line.name, paperAmount(line.amount));
    if (line.quantity !== 1) e.line(`  ${line.quantity} x ${paperAmount(line.unitPrice)}`);
    if (line.discount) pair(e, width, '  Rabatt', paperAmount(-line.discount));
  }
  e.rule();
  e.bold(true);
  pair(e, width, `Totalt ${receipt.currency}`, paperAmount(receipt.total));
  e.bold(false);
  for (const vat of receipt.vat) {
    pair(e, width, `MVA ${ratePercent(vat.rate)} % av ${paperAmount(vat.base)}`, paperAmount(vat.amount));
  }
  e.rule();
  pair(e, width, receipt.payment.type, paperAmount(receipt.payment.amount));
  e.line('Referanse').line(receipt.payment.reference);
  if (receipt.payment.pspReference) e.line('PSP-referanse').line(receipt.payment.pspReference);
  e.newline().align('center');
  e.barcode(receipt.receiptNumber, 'code128', { height: 60, text: 'below' });
  e.align('left');
  if (receipt.training) mark(e, TRAINING_MARK);
  return e.cut('partial').encode();
}

/** An X or Z report, in the same words and figures as on the screen and from `vipps-kiosk report`. */
export function encodeReport(
  report: CashRegisterReport,
  heading: ReportHeading,
  width: PaperWidth,
): Uint8Array {
  const e = newEncoder(width);
  const [title = '', ...rest] = reportText(report, heading, COLUMNS[width]).split('\n');
  e.bold(true).line(title).bold(false);
  for (const text of rest) e.line(text);
  return e.cut('partial').encode();
}

export interface TestPageInfo {
  kioskId: string;
  /** The printer as it names itself, e.g. "Epson TM-T20III (04b8:0e28)". */
  printer: string | null;
  /** Local date and time, as the till shows it. */
  at: string;
}

/**
 * The self-test's page: who printed it, the Norwegian letters (a wrong code page shows here first), the
 * full width of the roll, and a barcode, so a tech sees at a glance that text, width and barcodes work.
 */
export function encodeTestPage(info: TestPageInfo, width: PaperWidth): Uint8Array {
  const e = newEncoder(width);
  e.align('center').bold(true).line('TESTSIDE').bold(false).line('vipps-kiosk selftest').align('left');
  e.newline();
  pair(e, width, 'Kasse', info.kioskId);
  pair(e, width, 'Tid', info.at);
  pair(e, width, 'Papir', `${width} mm`);
  if (info.printer) e.line(info.printer);
  e.line('Æ Ø Å æ ø å');
  e.line('1234567890'.repeat(Math.ceil(COLUMNS[width] / 10)).slice(0, COLUMNS[width]));
  e.rule();
  e.align('center').barcode('0123456789', 'code128', { height: 60, text: 'below' }).align('left');
  return e.cut('partial').encode();
}
