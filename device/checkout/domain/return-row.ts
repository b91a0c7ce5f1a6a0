// A return as the cash-register journal keeps it (row kind `return`, SAF-T transaction type 11006): lines
// of an earlier sale taken back and refunded through Vipps. Amounts are negative, as SAF-T and the
// signature want a return (the money goes back to the customer), so the row signs, exports and verifies
// with the same fields as a sale. It names the employee who made it, never the customer.
//
// Shared by the payment journal (its refunds) and the cash-register journal (the signed row), which is why
// it lives with the other money concepts of the domain.

/** A line taken back: which line of the sale, how many units, and its share of what was paid. */
export interface ReturnedLine {
  /** Position in the sale's lines, from 0. */
  index: number;
  gtin: string;
  name: string;
  /** Units taken back (positive). */
  quantity: number;
  /** What the customer paid per unit, VAT included (positive minor units). */
  unitPrice: number;
  /** Negative: the line's share of the sale's amount, VAT included and excluded, and its VAT. */
  amountIn: number;
  amountEx: number;
  vat: number;
  /** Basis points: 2500 is 25 %. */
  vatRate: number;
}

export interface JournaledReturn {
  /** The return's own id: its refund's Idempotency-Key is derived from it, so it is refunded once. */
  returnId: string;
  /** The receipt number of the sale the lines came back from. */
  returnOf: string;
  /** The sale's payment at Vipps, which the refund was made on. */
  reference: string;
  /** Vipps' id of the refund, when its answer was seen. */
  pspReference: string | null;
  employeeId: string;
  paymentType: 'VIPPS';
  currency: string;
  /** Negative, minor units. */
  amountIn: number;
  amountEx: number;
  lines: ReturnedLine[];
  /** Per VAT rate (negative amounts), highest rate first. */
  vat: Array<{ rate: number; amount: number; basis: number }>;
  /** When Vipps answered the refund (ms since epoch). */
  refundedAt: number;
}

/** The row as journaled: the return with its own consecutive number, counted inside the write. */
export type ReturnRow = JournaledReturn & { returnNumber: string };

/** A Returkvittering's number: `R` and the return's consecutive number, apart from the sales' numbers. */
export function returnNumberText(n: number): string {
  return `R${String(n).padStart(10, '0')}`;
}
