import type { DemoPrinterView } from '../../contracts/demo-paper.js';
import type { PrinterCondition } from '../../contracts/telemetry.js';
import { decodeEscPos } from './escpos-decoder.js';
import type { FakePrinter } from './fake-printer.js';

/** How many receipts (cuts) the demo panel's strip shows: the end of the roll. */
const RECEIPTS_SHOWN = 3;

/**
 * The demo panel's side of the simulated printer: its paper as decoded from the bytes it took, and the
 * buttons that run it out of paper, open its cover, pull its cable or put it right.
 */
export class DemoPrinterDesk {
  constructor(
    private readonly printer: FakePrinter,
    private readonly columns: number,
  ) {}

  view(): DemoPrinterView {
    const { items } = decodeEscPos(this.printer.received());
    const cuts = items.flatMap((item, index) => (item.kind === 'cut' ? [index] : []));
    const from = cuts.length > RECEIPTS_SHOWN ? cuts[cuts.length - RECEIPTS_SHOWN - 1]! + 1 : 0;
    const { condition, model } = this.printer.status();
    return { condition, model, columns: this.columns, paper: items.slice(from) };
  }

  set(condition: PrinterCondition): void {
    if (condition === 'offline') {
      this.printer.unplug();
      return;
    }
    this.printer.replug();
    this.printer.setCondition(condition);
  }
}
