import type { SalesReceipt } from '../../contracts/sales-receipt.js';
import type { Currency } from '../../contracts/vipps-types.js';
import type { JournalRow } from '../cash-register/journal-store.js';
import type { ReturnRow } from '../checkout/domain/return-row.js';
import { type Seller, salesReceipt } from '../checkout/domain/sales-receipt.js';

/**
 * The Returkvittering (kassasystemforskrifta § 2-8-5) of a journaled return: the same fields as a sales
 * receipt, made by the same function so screen and printer render it alike, headed "Returkvittering"
 * with the sale it came back from. Its amounts are what goes back to the customer (positive); its date
 * and number are the return row's own.
 */
export function returnReceipt(row: JournalRow, seller: Seller, kioskId: string): SalesReceipt {
  const ret = JSON.parse(row.data) as ReturnRow;
  const receipt = salesReceipt(
    {
      reference: ret.reference,
      receiptNumber: ret.returnNumber,
      paidAt: row.at,
      lines: ret.lines.map((line) => ({
        name: line.name,
        id: line.gtin,
        totalAmount: -line.amountIn,
        totalAmountExcludingTax: -line.amountEx,
        totalTaxAmount: -line.vat,
        taxRate: line.vatRate,
        unitInfo: { unitPrice: line.unitPrice, quantity: String(line.quantity), quantityUnit: 'PCS' },
        isReturn: true,
      })),
      amount: -ret.amountIn,
      currency: ret.currency as Currency,
      pspReference: ret.pspReference,
    },
    seller,
    kioskId,
  );
  return { ...receipt, heading: 'Returkvittering', returnOf: ret.returnOf };
}
