import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../common/log/logger.js';
import type { SalesReceipt } from '../../contracts/sales-receipt.js';
import type { CheckoutDomainEvent, SaleCompleted } from '../../device/checkout/domain-events.js';
import { decodeEscPos, paperLines } from '../../device/printer/escpos-decoder.js';
import { FakePrinter } from '../../device/printer/fake-printer.js';
import { encodeSalesReceipt } from '../../device/printer/receipt-layout.js';
import { PRINT_FAILED, type PrintOutcome, ReceiptPrinting } from '../../device/printer/receipt-printing.js';
import { CONTRACT_RECEIPT } from '../hardware/printer-contract.js';

// The print service on vi's fake timers: one job at a time, a timeout per job, one retry, then a report
// (the outcome the cash-register journal writes 13012 or 13030 from, and an alert).

const TIMEOUT_MS = 5_000;
const RETRY_MS = 1_000;

function saleNumbered(receiptNumber: string): SaleCompleted {
  return {
    type: 'sale.completed',
    reference: `kiosk-07-${receiptNumber}-1`,
    receiptNumber,
    paidAt: Date.UTC(2026, 11, 7, 14, 5, 9),
    lines: [],
    amount: CONTRACT_RECEIPT.total,
    currency: 'NOK',
    vat: [],
    memberSavings: 0,
    pspReference: null,
  };
}

describe('receipt printing', () => {
  let printer: FakePrinter;
  let printing: ReceiptPrinting;
  let emit: (event: CheckoutDomainEvent) => void;
  const outcomes: PrintOutcome[] = [];
  const alerts = new Map<string, string>();

  beforeEach(async () => {
    vi.useFakeTimers();
    outcomes.length = 0;
    alerts.clear();
    printer = new FakePrinter();
    await printer.start();
    printing = new ReceiptPrinting({
      printer,
      paperWidth: 80,
      jobTimeoutMs: TIMEOUT_MS,
      retryDelayMs: RETRY_MS,
      receiptOf: (sale): SalesReceipt => ({ ...CONTRACT_RECEIPT, receiptNumber: sale.receiptNumber }),
      checkout: {
        onDomainEvent: (listener) => {
          emit = listener;
          return () => {};
        },
      },
      onOutcome: (outcome) => outcomes.push(outcome),
      alerts: {
        raise: (code, _severity, message) => !alerts.has(code) && Boolean(alerts.set(code, message)),
        clear: (code) => alerts.delete(code),
      },
      logger: silentLogger,
    });
    printing.start();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('prints each sale’s receipt in the order the sales came, and says each was printed', async () => {
    emit(saleNumbered('0000000001'));
    emit(saleNumbered('0000000002'));
    await printing.idle();
    const barcodes = paperLines(decodeEscPos(printer.received())).filter((line) =>
      line.startsWith('[CODE128'),
    );
    expect(barcodes).toEqual(['[CODE128 0000000001]', '[CODE128 0000000002]']);
    expect(outcomes).toEqual([
      { receiptNumber: '0000000001', printed: true },
      { receiptNumber: '0000000002', printed: true },
    ]);
  });

  it('retries a stalled job once after its timeout, and prints it when the printer takes it again', async () => {
    printer.stall();
    emit(saleNumbered('0000000003'));
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    expect(outcomes).toEqual([]);
    printer.resume();
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    await printing.idle();
    expect(outcomes).toEqual([{ receiptNumber: '0000000003', printed: true }]);
    expect(alerts.has(PRINT_FAILED)).toBe(false);
  });

  it('reports a receipt not printed after the retry, with an alert, and the next job still prints', async () => {
    printer.setCondition('paper-out');
    emit(saleNumbered('0000000004'));
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    await printing.idle();
    expect(outcomes).toEqual([
      { receiptNumber: '0000000004', printed: false, error: expect.objectContaining({ code: 'paper-out' }) },
    ]);
    expect(alerts.get(PRINT_FAILED)).toMatch(/could not be printed.*out of paper/);
    expect(printer.received()).toHaveLength(0);

    printer.setCondition('ready');
    const copy = await printing.printReceipt({ ...CONTRACT_RECEIPT, copy: true });
    expect(copy).toEqual({ ok: true });
    expect(alerts.has(PRINT_FAILED)).toBe(false);
    expect(printer.received()).toEqual(encodeSalesReceipt({ ...CONTRACT_RECEIPT, copy: true }, 80));
  });

  it('a job cut halfway is printed again in full on the retry, once', async () => {
    const job = encodeSalesReceipt({ ...CONTRACT_RECEIPT, receiptNumber: '0000000005' }, 80);
    printer.cutNextJobAfter(200);
    emit(saleNumbered('0000000005'));
    await vi.advanceTimersByTimeAsync(RETRY_MS / 2);
    printer.replug();
    await vi.advanceTimersByTimeAsync(RETRY_MS / 2);
    await printing.idle();
    expect(outcomes).toEqual([{ receiptNumber: '0000000005', printed: true }]);
    expect(printer.received()).toHaveLength(200 + job.length);
    expect(printer.received().subarray(200)).toEqual(job);
  });
});
