// The Salgskvittering (kassasystemforskrifta § 2-8-4) as data: what a Norwegian cash register's sales
// receipt must carry, made once per sale (device/checkout/domain/sales-receipt.ts) and rendered alike by
// the kiosk screen and, later, the receipt printer. Its fixed texts are the law's Norwegian words.

import type { Currency } from './vipps-types.js';

export interface SalesReceipt {
  /** A sale's receipt, or the receipt of a return (staff's refund of lines of an earlier sale). */
  heading: 'Salgskvittering' | 'Returkvittering';
  /** On a Returkvittering: the receipt number of the sale the lines came back from. */
  returnOf?: string;
  /** A copy of a receipt already given (shown and printed "KOPI"; the law allows one, and journals it). */
  copy?: true;
  /** Made in training mode: marked as not a valid receipt and never counted as a sale. */
  training?: true;
  seller: {
    name: string;
    /** "Org.nr 999 999 999 MVA"; "MVA" only when the seller is registered for VAT. */
    registration: string;
    /** Street, then postal code and town: "Storgata 1", "0150 Oslo". */
    address: [string, string];
  };
  /** When the sale was concluded, on the till's wall clock (Norway): YYYY-MM-DD and HH:MM:SS. */
  issued: { date: string; time: string };
  /** The consecutive receipt number. */
  receiptNumber: string;
  /** The till's identity: the kiosk id. */
  kioskId: string;
  /** Amounts in minor units, VAT included; `discount` is what club prices took off the line. */
  lines: Array<{ name: string; quantity: number; unitPrice: number; discount: number; amount: number }>;
  /** Per VAT rate (basis points), highest first: the amount excluding VAT and the VAT. */
  vat: Array<{ rate: number; base: number; amount: number }>;
  total: number;
  currency: Currency;
  payment: {
    type: 'Vipps MobilePay';
    amount: number;
    /** The payment's reference at Vipps (the transaction id of the integrated terminal). */
    reference: string;
    /** Vipps' own id of the payment, when known. */
    pspReference: string | null;
  };
}
