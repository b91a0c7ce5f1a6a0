import type { CashRegisterReport, ReportCountAmount } from '../../contracts/telemetry.js';
import type { ReturnRow } from '../checkout/domain/return-row.js';
import type { JournaledSale } from './cash-register.js';
import type { JournalRow } from './journal-store.js';

// The X and Z reports (kassasystemforskrifta § 2-8-2), computed from the cash-register journal alone, so a
// report says what the journal holds and nothing else. Every figure the regulation lists is here; those
// for features the kiosk does not have (price look-ups: it offers none) are zero: the journal has no
// such rows to count. Amounts are minor units (øre).

export type ReportKind = CashRegisterReport['kind'];

/** The report as journaled: what HQ is sent, and the figures per article (for SAF-T's article groups). */
export type JournaledReport = CashRegisterReport & {
  /** Per article (GTIN): quantity sold (a decimal for goods sold by weight) and amount, VAT included. */
  articles: Array<{ gtin: string; name: string; quantity: number; amount: number }>;
};

/** What HQ is sent: no article lines (GTINs and names are no business of the fleet's telemetry). */
export function reportForHq(report: JournaledReport): CashRegisterReport {
  const { articles: _articles, ...figures } = report;
  return figures;
}
type CountAmount = ReportCountAmount;

const none = (): CountAmount => ({ count: 0, amount: 0 });

/**
 * The report over `rows` (the journal after the last Z report), carried on from that Z report's grand
 * totals; `toRow` is the report's own row number.
 */
export function reportOf(input: {
  kind: ReportKind;
  number: number;
  at: number;
  rows: readonly JournalRow[];
  previousZ: { row: JournalRow; report: JournaledReport } | null;
  toRow: number;
}): JournaledReport {
  const { rows, previousZ } = input;
  const sales = { amount: 0, netAmount: 0 };
  const payments = new Map<string, CountAmount>();
  const vat = new Map<number, { basisAmount: number; amount: number }>();
  const discounts = none();
  const voids = none();
  const notPrinted = none();
  const copies = none();
  const training = none();
  const shown = new Map<string, number>();
  const articles = new Map<string, { gtin: string; name: string; quantity: number; amount: number }>();
  // Returns are journaled with negative amounts; the report counts what went back as a positive amount.
  const returns = none();
  let receipts = 0;
  for (const row of rows) {
    if (row.kind === 'sale') {
      const sale = JSON.parse(row.data) as JournaledSale;
      receipts += 1;
      shown.set(sale.receiptNumber, sale.amountIn);
      sales.amount += sale.amountIn;
      sales.netAmount += sale.amountEx;
      const payment = payments.get(sale.paymentType) ?? none();
      payment.count += 1;
      payment.amount += sale.amountIn;
      payments.set(sale.paymentType, payment);
      for (const v of sale.vat) {
        const sum = vat.get(v.rate) ?? { basisAmount: 0, amount: 0 };
        sum.basisAmount += v.basis;
        sum.amount += v.amount;
        vat.set(v.rate, sum);
      }
      for (const line of sale.lines) {
        const article = articles.get(line.gtin) ?? {
          gtin: line.gtin,
          name: line.name,
          quantity: 0,
          amount: 0,
        };
        // Quantities are decimal text ("0.532" kg); six decimals is what SAF-T keeps.
        article.quantity = Math.round((article.quantity + Number(line.quantity)) * 1e6) / 1e6;
        article.amount += line.amountIn;
        articles.set(line.gtin, article);
        if (line.discount > 0) {
          discounts.count += 1;
          discounts.amount += line.discount;
        }
      }
    } else if (row.kind === 'receipt.shown') {
      const { receiptNumber } = JSON.parse(row.data) as { receiptNumber: string };
      notPrinted.count += 1;
      notPrinted.amount += shown.get(receiptNumber) ?? 0;
    } else if (row.kind === 'return') {
      returns.count += 1;
      returns.amount -= (JSON.parse(row.data) as ReturnRow).amountIn;
    } else if (row.kind === 'receipt.copy') {
      // The copy's amount is the copied sale's: what the regulation asks the report to show.
      copies.count += 1;
      copies.amount += (JSON.parse(row.data) as { amount: number }).amount;
    } else if (row.kind === 'training.sale') {
      // Counted here only, never under receipts, sales, payments or VAT: no money changed hands.
      training.count += 1;
      training.amount += (JSON.parse(row.data) as JournaledSale).amountIn;
    } else if (row.kind === 'receipt.void') {
      const { amount } = JSON.parse(row.data) as { amount: number | null };
      voids.count += 1;
      voids.amount += amount ?? 0;
    }
  }
  const before = previousZ?.report.grandTotal ?? { salesAmount: 0, returnsAmount: 0, netAmount: 0 };
  return {
    kind: input.kind,
    number: input.number,
    at: new Date(input.at).toISOString(),
    period: {
      previousZ: previousZ?.report.number ?? null,
      from: previousZ
        ? new Date(previousZ.row.at).toISOString()
        : rows[0]
          ? new Date(rows[0].at).toISOString()
          : null,
      fromRow: (previousZ?.row.nr ?? 0) + 1,
      toRow: input.toRow,
    },
    receipts,
    sales,
    articles: [...articles.values()],
    payments: [...payments].map(([type, p]) => ({ type, ...p })),
    vat: [...vat].sort(([a], [b]) => b - a).map(([rate, v]) => ({ rate, ...v })),
    returns,
    discounts,
    copies,
    training,
    priceLookups: none(),
    voids,
    notPrinted,
    grandTotal: {
      salesAmount: before.salesAmount + sales.amount,
      returnsAmount: before.returnsAmount + returns.amount,
      netAmount: before.netAmount + sales.amount - returns.amount,
    },
  };
}
