import type { SalesReceipt } from '../../contracts/sales-receipt.js';
import type { Currency, OrderLine } from '../../contracts/vipps-types.js';
import { type Seller, salesReceipt } from '../checkout/domain/sales-receipt.js';
import type { CashRegister, JournaledSale } from './cash-register.js';
import type { CashRegisterStore, JournalRow } from './journal-store.js';

// The copy receipt (Skatteetaten: at most one copy per sale, clearly marked "KOPI"). SAF-T has no signed
// copy transaction: a copy is the event COPYREC (13014) naming the copied transaction, whose
// receiptCopyNum counts it, so the copy carries the original's signature and the journal row that says it
// was made is chained by hash like every row. The copy is rebuilt from the signed sale row alone, so it
// can only ever say what was signed.

/**
 * What staff mode is told (StaffServices.copyOfLastReceipt, device/staff/staff-services.ts, which
 * re-exports it: device/staff imports this folder, never the other way).
 */
export type CopyOutcome =
  | { ok: true; receipt: SalesReceipt }
  | { ok: false; code: 'no-receipt' | 'copy-already-made'; message: string };

/** The journal row's data of a copy: which sale, its amount (X/Z count copies with amounts), who made it. */
export interface JournaledCopy {
  receiptNumber: string;
  transNr: number;
  amount: number;
  employeeId: string;
}

export interface CopyDeskParts {
  store: CashRegisterStore;
  register: CashRegister;
  seller: Seller;
  kioskId: string;
}

export class CopyDesk {
  constructor(private readonly parts: CopyDeskParts) {}

  /** The one copy the law allows of the last receipt the kiosk gave, journaled before it is handed out. */
  copyOfLastReceipt(employeeId: string): CopyOutcome {
    const { store, register, seller, kioskId } = this.parts;
    const last = lastReceiptRow(store);
    if (last === undefined) {
      return { ok: false, code: 'no-receipt', message: 'No receipt has been given at this kiosk yet.' };
    }
    const sale = JSON.parse(last.data) as JournaledSale;
    if (last.kind === 'training.sale') {
      return {
        ok: false,
        code: 'no-receipt',
        message: `The last receipt (${sale.receiptNumber}) was a training receipt: it is not a valid receipt, and no copy is made of it.`,
      };
    }
    const made = store
      .ofKind('receipt.copy')
      .some((row) => (JSON.parse(row.data) as JournaledCopy).transNr === last.transNr);
    if (made) {
      return {
        ok: false,
        code: 'copy-already-made',
        message: `A copy of receipt ${sale.receiptNumber} has already been made; the law allows only one.`,
      };
    }
    const copy: JournaledCopy = {
      receiptNumber: sale.receiptNumber,
      transNr: last.transNr ?? 0,
      amount: sale.amountIn,
      employeeId,
    };
    register.staffEvent('receipt.copy', { ...copy });
    return { ok: true, receipt: { ...receiptOfJournaledSale(sale, seller, kioskId), copy: true } };
  }
}

/** The last sale or training sale: the last receipt a customer was given. */
function lastReceiptRow(store: CashRegisterStore): JournalRow | undefined {
  const sale = store.lastOfKind('sale');
  const training = store.lastOfKind('training.sale');
  if (sale === undefined || training === undefined) return sale ?? training;
  return sale.nr > training.nr ? sale : training;
}

/** The Salgskvittering of a journaled sale, made by the same function that made the original. */
export function receiptOfJournaledSale(sale: JournaledSale, seller: Seller, kioskId: string): SalesReceipt {
  const lines = sale.lines.map(
    (line): OrderLine => ({
      name: line.name,
      id: line.gtin,
      totalAmount: line.amountIn,
      totalAmountExcludingTax: line.amountEx,
      totalTaxAmount: line.vat,
      taxRate: line.vatRate,
      ...(line.unitPrice === null
        ? {}
        : { unitInfo: { unitPrice: line.unitPrice, quantity: line.quantity, quantityUnit: 'PCS' } }),
      ...(line.discount > 0 ? { discount: line.discount } : {}),
    }),
  );
  return salesReceipt(
    {
      reference: sale.reference,
      receiptNumber: sale.receiptNumber,
      paidAt: sale.paidAt,
      lines,
      amount: sale.amountIn,
      currency: sale.currency as Currency,
      pspReference: sale.pspReference,
    },
    seller,
    kioskId,
  );
}
