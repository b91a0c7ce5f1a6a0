import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SalesReceipt } from '../../contracts/sales-receipt.js';
import { ROW_KINDS } from '../../device/cash-register/event-codes.js';
import { CASH_REGISTER_FILE, CashRegisterStore } from '../../device/cash-register/journal-store.js';
import { decodeEscPos, paperLines } from '../../device/printer/escpos-decoder.js';
import type { FakePrinter } from '../../device/printer/fake-printer.js';
import { paperAmount } from '../../device/printer/receipt-layout.js';
import { missingOnPaper } from '../hardware/printer-contract.js';
import { KioskUnderTest } from '../support/kiosk-under-test.js';

// The printer in the whole daemon (demo mode: the simulated printer takes the real ESC/POS bytes): the
// Salgskvittering printed on every sale with what the screen shows, the law's printer rule (out of order
// without paper, back with it), and a store that sells without a printer journaling 13030.

const MILK = '2000000000015';
const COFFEE = '2000000000039';

interface Health {
  alerts: Array<{ code: string; severity: string }>;
  printer?: { condition: string; model: string | null };
}

describe('the receipt printer in the daemon', () => {
  let kiosk: KioskUnderTest;
  afterEach(async () => {
    await kiosk?.stop();
  });

  const printer = () => kiosk.kiosk.printer as FakePrinter;
  const health = async () => (await (await fetch(new URL('/healthz', kiosk.url))).json()) as Health;

  async function sell(): Promise<SalesReceipt> {
    await kiosk.scan(MILK);
    await kiosk.scan(COFFEE);
    await kiosk.scan(kiosk.sandbox.customers[0]!.personalQrV2);
    const { payment } = await kiosk.screen('awaiting-approval');
    await kiosk.control.act(payment!.reference, 'approve');
    kiosk.clock.increment(5_000);
    const approved = await kiosk.screen('approved');
    await kiosk.kiosk.receipts!.idle();
    return approved.receipt!.sales!;
  }

  function journal(kind: keyof typeof ROW_KINDS): Array<Record<string, unknown>> {
    const store = CashRegisterStore.open(join(kiosk.stateDir, CASH_REGISTER_FILE));
    try {
      return store.ofKind(kind).map((row) => JSON.parse(row.data) as Record<string, unknown>);
    } finally {
      store.close();
    }
  }

  it('prints each sale’s Salgskvittering with every legal field and the screen’s lines and totals, journaled 13012', async () => {
    kiosk = await new KioskUnderTest().start({ cashRegister: {} });
    const shown = await sell();
    const paper = decodeEscPos(printer().received());
    expect(paper.unknown).toEqual([]);
    const lines = paperLines(paper);
    expect(missingOnPaper(shown, lines)).toEqual([]);
    const text = lines.join('\n');
    for (const line of shown.lines) expect(text).toContain(paperAmount(line.amount));
    expect(text).toContain(paperAmount(shown.total));
    expect(journal('receipt.printed')).toEqual([{ transNr: 1, receiptNumber: shown.receiptNumber }]);
    expect(journal('receipt.shown')).toEqual([]);
    expect(ROW_KINDS['receipt.printed'].code).toBe('13012');
  });

  it('goes out of order when the paper runs out, says why in /healthz, and sells again once paper is back', async () => {
    kiosk = await new KioskUnderTest().start({ cashRegister: {} });
    expect((await health()).printer).toMatchObject({ condition: 'ready' });
    printer().setCondition('paper-out');
    const model = await kiosk.screen('out-of-order');
    expect(model.outOfOrder?.code).toBe('printer-paper-out');
    expect(model.outOfOrder?.message).toMatch(/out of paper/);
    expect(model.demo?.leds.status).toBe('red');
    const during = await health();
    expect(during.printer).toMatchObject({ condition: 'paper-out' });
    expect(during.alerts).toEqual([
      expect.objectContaining({ code: 'printer-paper-out', severity: 'critical' }),
    ]);
    // No customer is invited meanwhile: a scan starts no basket.
    await kiosk.scan(MILK);
    expect((await kiosk.state()).screen).toBe('out-of-order');

    printer().setCondition('ready');
    await kiosk.screen('attract');
    expect((await health()).alerts).toEqual([]);
    const receipt = await sell();
    expect(journal('receipt.printed')).toEqual([{ transNr: 1, receiptNumber: receipt.receiptNumber }]);
  });

  it('lets a customer already shopping finish when the paper runs out, then goes out of order', async () => {
    kiosk = await new KioskUnderTest().start({ cashRegister: {} });
    await kiosk.scan(MILK);
    await kiosk.screen('basket');
    printer().setCondition('paper-out');
    const receipt = await sell();
    expect(journal('receipt.shown')).toEqual([{ transNr: 1, receiptNumber: receipt.receiptNumber }]);
    kiosk.kiosk.checkout.dispatch({ type: 'done' });
    expect((await kiosk.screen('out-of-order')).outOfOrder?.code).toBe('printer-paper-out');
  });

  it('with allowSaleWithoutPrinter sells on without paper and journals the sale as not printed (13030)', async () => {
    kiosk = await new KioskUnderTest().start({ cashRegister: { allowSaleWithoutPrinter: true } });
    printer().setCondition('paper-out');
    await expect
      .poll(async () => (await health()).alerts)
      .toEqual([expect.objectContaining({ code: 'printer-paper-out', severity: 'warning' })]);
    const receipt = await sell();
    expect(printer().received()).toHaveLength(0);
    expect(journal('receipt.shown')).toEqual([{ transNr: 1, receiptNumber: receipt.receiptNumber }]);
    expect(journal('receipt.printed')).toEqual([]);
    expect(ROW_KINDS['receipt.shown'].code).toBe('13030');
  });
});
