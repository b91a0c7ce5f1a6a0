import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { describe, expect, it } from 'vitest';
import { reportText } from '../../device/cash-register/report-text.js';
import { decodeEscPos, paperLines } from '../../device/printer/escpos-decoder.js';
import {
  COLUMNS,
  COPY_MARK,
  encodeReport,
  encodeSalesReceipt,
  encodeTestPage,
  type PaperWidth,
  TRAINING_MARK,
} from '../../device/printer/receipt-layout.js';
import { COMPANY, newTill, SALE_DAY, saleOf } from '../cash-register/till.js';
import { CONTRACT_RECEIPT, missingOnPaper } from '../hardware/printer-contract.js';

// What goes on paper, read back through the decoder: the legal fields on both roll widths, the marks of
// a copy, a training receipt and a return, X and Z reports in the screen's words, and the test page.

const WIDTHS: PaperWidth[] = [58, 80];
const paper = (bytes: Uint8Array) => paperLines(decodeEscPos(bytes));
const squashed = (lines: string[]) => lines.join(' ').replace(/\s+/g, ' ');

describe('the Salgskvittering on paper', () => {
  it.each(WIDTHS)('on %i mm carries every legal field, fits the roll and ends in a cut', (width) => {
    const decoded = decodeEscPos(encodeSalesReceipt(CONTRACT_RECEIPT, width));
    expect(decoded.unknown).toEqual([]);
    expect(decoded.truncated).toBe(false);
    const lines = paperLines(decoded);
    expect(missingOnPaper(CONTRACT_RECEIPT, lines)).toEqual([]);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(COLUMNS[width]);
    expect(lines.filter((line) => line === '--- cut ---')).toHaveLength(1);
  });

  it('a receipt missing a field is caught: the check can fail', () => {
    const lines = paper(encodeSalesReceipt({ ...CONTRACT_RECEIPT, kioskId: 'kiosk-07' }, 80)).filter(
      (line) => !line.includes('kiosk-07'),
    );
    expect(missingOnPaper(CONTRACT_RECEIPT, lines)).toEqual(
      expect.arrayContaining([expect.stringMatching(/kiosk id/)]),
    );
  });

  it('prints a copy as KOPI, and a training receipt marked not valid at top and bottom', () => {
    const copy = paper(encodeSalesReceipt({ ...CONTRACT_RECEIPT, copy: true }, 80));
    expect(copy).toContain(COPY_MARK);
    expect(paper(encodeSalesReceipt(CONTRACT_RECEIPT, 80))).not.toContain(COPY_MARK);
    for (const width of WIDTHS) {
      const training = squashed(paper(encodeSalesReceipt({ ...CONTRACT_RECEIPT, training: true }, width)));
      expect(training.split(TRAINING_MARK)).toHaveLength(3);
    }
  });

  it('prints a Returkvittering with the sale it returns from', () => {
    const lines = paper(
      encodeSalesReceipt({ ...CONTRACT_RECEIPT, heading: 'Returkvittering', returnOf: '0000000040' }, 58),
    );
    expect(lines).toContain('Returkvittering');
    expect(squashed(lines)).toMatch(/Retur av kvittering nr 0000000040/);
  });
});

describe('X and Z reports on paper', () => {
  it.each(WIDTHS)('on %i mm say what the screen says, line for line, within the roll', async (width) => {
    const now = SALE_DAY;
    const till = await newTill(() => now);
    till.register.started([], '0.1.0');
    till.register.sale(saleOf(1, 5490));
    const report = till.register.report('z');
    const heading = { ...COMPANY, registerId: 'kiosk-07' };
    const lines = paper(encodeReport(report, heading, width));
    // A label longer than the 58 mm roll wraps where the printer wraps it: compare the words.
    expect(squashed(lines)).toContain(
      squashed(reportText(report, heading, COLUMNS[width]).split('\n')).trim(),
    );
    expect(lines.filter((line) => line !== '').at(-1)).toBe('--- cut ---');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(COLUMNS[width]);
    expect(squashed(lines)).toMatch(/Z-RAPPORT nr\. 1/);
    expect(squashed(lines)).toMatch(/Salg uten utskrevet kvittering \(0\) 0\.00/);
  });
});

describe('the self-test page', () => {
  it('shows the Norwegian letters, the kiosk, the printer and a barcode', () => {
    const lines = paper(
      encodeTestPage(
        { kioskId: 'kiosk-07', printer: 'Epson TM-T20III (04b8:0e28)', at: '2026-12-07 15:05' },
        80,
      ),
    );
    expect(lines).toContain('Æ Ø Å æ ø å');
    expect(lines).toContain('TESTSIDE');
    expect(lines).toContain('Epson TM-T20III (04b8:0e28)');
    expect(lines).toContain('[CODE128 0123456789]');
    expect(squashed(lines)).toMatch(/Kasse kiosk-07/);
  });
});

describe('the ESC/POS decoder', () => {
  const encoder = () =>
    new ReceiptPrinterEncoder({ language: 'esc-pos', columns: 32, codepageMapping: 'epson' });

  it('reads text across code pages, CODE128 in code set C, QR codes and cuts', () => {
    const bytes = encoder()
      .initialize()
      .codepage('cp865')
      .line('Blåbær')
      .codepage('windows1252')
      .line('Smørbrød €')
      // Code set C: two digits a byte.
      .barcode(`{C${String.fromCharCode(12, 34, 56)}`, 'code128')
      .qrcode('https://qr.vipps.no/28/2/01/031/4791234567')
      .cut()
      .encode();
    const decoded = decodeEscPos(bytes);
    expect(decoded.unknown).toEqual([]);
    expect(paperLines(decoded).filter((line) => line !== '')).toEqual([
      'Blåbær',
      'Smørbrød €',
      '[CODE128 123456]',
      '[QR https://qr.vipps.no/28/2/01/031/4791234567]',
      '--- cut ---',
    ]);
  });

  it('reports a command it does not know instead of guessing, and a stream cut off inside a command', () => {
    const unknown = decodeEscPos(Uint8Array.from([0x1b, 0x40, 0x1b, 0x7f, 0x41, 0x0a]));
    expect(unknown.unknown).toEqual([{ offset: 2, bytes: [0x1b, 0x7f] }]);
    const receipt = encodeSalesReceipt(CONTRACT_RECEIPT, 80);
    const barcodeAt = receipt.findIndex((b, i) => b === 0x1d && receipt[i + 1] === 0x6b);
    const cut = decodeEscPos(receipt.subarray(0, barcodeAt + 4));
    expect(cut.truncated).toBe(true);
    expect(paperLines(cut)).not.toContain(`[CODE128 ${CONTRACT_RECEIPT.receiptNumber}]`);
  });
});
