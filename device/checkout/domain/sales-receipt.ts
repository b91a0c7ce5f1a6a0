import type { SalesReceipt } from '../../../contracts/sales-receipt.js';
import type { Currency, OrderLine } from '../../../contracts/vipps-types.js';
import { localDateTime } from './till-time.js';

/** The seller as `cashRegister` in the configuration gives it. */
export interface Seller {
  organisationNumber: string;
  companyName: string;
  address: { street: string; postalCode: string; city: string };
  vatRegistered: boolean;
}

/** The sale as `sale.completed` (and the approved screen's receipt) carries it. */
export interface SaleFacts {
  reference: string;
  receiptNumber: string;
  paidAt: number;
  /** The receipt lines exactly as sent to Vipps. */
  lines: readonly OrderLine[];
  amount: number;
  currency: Currency;
  pspReference: string | null;
}

/**
 * The Salgskvittering of a sale at a kiosk that is a cash register: every field § 2-8-4 asks for, as data
 * the screen and the printer both render, so the two can never say different things.
 */
export function salesReceipt(sale: SaleFacts, seller: Seller, kioskId: string): SalesReceipt {
  const { street, postalCode, city } = seller.address;
  return {
    heading: 'Salgskvittering',
    seller: {
      name: seller.companyName,
      registration: registration(seller),
      address: [street, `${postalCode} ${city}`],
    },
    issued: localDateTime(sale.paidAt),
    receiptNumber: sale.receiptNumber,
    kioskId,
    lines: sale.lines.map((line) => ({
      name: line.name,
      quantity: Number(line.unitInfo?.quantity ?? 1),
      unitPrice: line.unitInfo?.unitPrice ?? line.totalAmount,
      discount: line.discount ?? 0,
      amount: line.totalAmount,
    })),
    vat: vatPerRate(sale.lines),
    total: sale.amount,
    currency: sale.currency,
    payment: {
      type: 'Vipps MobilePay',
      amount: sale.amount,
      reference: sale.reference,
      pspReference: sale.pspReference,
    },
  };
}

/** "Org.nr 999 999 999 MVA": the number in groups of three, "MVA" only for a VAT-registered seller. */
function registration(seller: Seller): string {
  const grouped = seller.organisationNumber.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');
  return `Org.nr ${grouped}${seller.vatRegistered ? ' MVA' : ''}`;
}

function vatPerRate(lines: readonly OrderLine[]): SalesReceipt['vat'] {
  const byRate = new Map<number, { base: number; amount: number }>();
  for (const line of lines) {
    const sum = byRate.get(line.taxRate) ?? { base: 0, amount: 0 };
    byRate.set(line.taxRate, {
      base: sum.base + line.totalAmountExcludingTax,
      amount: sum.amount + line.totalTaxAmount,
    });
  }
  return [...byRate].sort(([a], [b]) => b - a).map(([rate, sum]) => ({ rate, ...sum }));
}
