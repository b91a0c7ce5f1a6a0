import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { VIPPS_PAYMENT } from './event-codes.js';
import { amountText, localDateTime } from './formats.js';
import type { JournalRow } from './journal-store.js';
import type { JournaledReport } from './reports.js';

// An X or Z report row as SAF-T's <eventReport>, in the schema's element order. The schema wants at least
// one entry in several lists the kiosk may have nothing for (corrections, price inquiries, other
// corrections); those get one entry "None" with zeros, as Skatteetaten's example file does. Article
// groups are the articles themselves: the catalog has no groups. Receipts concluded without printing
// have no element of their own; the event text gives them.

export interface ReportParty {
  companyIdent: string;
  companyName: string;
  registerId: string;
  /** Norway's standard VAT codes by rate (basis points): every rate is listed, sold or not. */
  vatCodes: ReadonlyMap<number, { code: string }>;
}

function leaf(parent: XMLBuilder, name: string, text: string): void {
  parent.ele(name).txt(text);
}

function list(parent: XMLBuilder, name: string, item: string, entries: Array<Array<[string, string]>>): void {
  const l = parent.ele(name);
  for (const entry of entries) {
    const e = l.ele(item);
    for (const [field, text] of entry) leaf(e, field, text);
  }
}

export function reportEventText(report: JournaledReport): string {
  return (
    `${report.kind === 'z' ? 'Z' : 'X'} report ${report.number}; ${report.notPrinted.count} sale(s) ` +
    `concluded without a printed receipt (${amountText(report.notPrinted.amount)})`
  );
}

export function saftReport(r: XMLBuilder, row: JournalRow, party: ReportParty): void {
  const report = JSON.parse(row.data) as JournaledReport;
  const { date, time } = localDateTime(row.at);
  leaf(r, 'reportID', `${report.kind.toUpperCase()}${report.number}`);
  leaf(r, 'reportType', report.kind === 'z' ? 'Z report' : 'X report');
  leaf(r, 'companyIdent', party.companyIdent);
  leaf(r, 'companyName', party.companyName);
  leaf(r, 'reportDate', date);
  leaf(r, 'reportTime', time);
  leaf(r, 'registerID', party.registerId);
  leaf(r.ele('reportTotalCashSales'), 'totalCashSaleAmnt', amountText(report.sales.amount));
  const articles = report.articles.length ? report.articles : [{ gtin: 'None', quantity: 0, amount: 0 }];
  list(
    r,
    'reportArtGroups',
    'reportArtGroup',
    articles.map((a) => [
      ['artGroupID', a.gtin],
      ['artGroupNum', String(a.quantity)],
      ['artGroupAmnt', amountText(a.amount)],
    ]),
  );
  const payments = report.payments.length
    ? report.payments
    : [{ type: VIPPS_PAYMENT.basicID, count: 0, amount: 0 }];
  list(
    r,
    'reportPayments',
    'reportPayment',
    payments.map((p) => [
      ['paymentType', p.type],
      ['paymentNum', String(p.count)],
      ['paymentAmnt', amountText(p.amount)],
    ]),
  );
  list(
    r,
    'reportCashSalesVat',
    'reportCashSaleVat',
    [...party.vatCodes].map(([rate, { code }]) => {
      const sold = report.vat.find((v) => v.rate === rate);
      return [
        ['vatCode', code],
        ['vatPerc', (rate / 100).toFixed(2)],
        ['cashSaleAmnt', amountText(sold?.basisAmount ?? 0)],
        ['vatAmnt', amountText(sold?.amount ?? 0)],
        ['vatAmntTp', 'C'],
      ];
    }),
  );
  leaf(r, 'reportOpeningChangeFloat', amountText(0));
  leaf(r, 'reportReceiptNum', String(report.receipts));
  leaf(r, 'reportOpenCashBoxNum', '0');
  leaf(r, 'reportReceiptCopyNum', String(report.copies.count));
  leaf(r, 'reportReceiptCopyAmnt', amountText(report.copies.amount));
  leaf(r, 'reportReceiptProformaNum', '0');
  leaf(r, 'reportReceiptProformaAmnt', amountText(0));
  leaf(r, 'reportReturnNum', String(report.returns.count));
  leaf(r, 'reportReturnAmnt', amountText(report.returns.amount));
  leaf(r, 'reportDiscountNum', String(report.discounts.count));
  leaf(r, 'reportDiscountAmnt', amountText(report.discounts.amount));
  leaf(r, 'reportVoidTransNum', String(report.voids.count));
  leaf(r, 'reportVoidTransAmnt', amountText(report.voids.amount));
  list(r, 'reportCorrLines', 'reportCorrLine', [
    [
      ['corrLineType', 'None'],
      ['corrLineNum', '0'],
      ['corrLineAmnt', amountText(0)],
    ],
  ]);
  list(r, 'reportPriceInquiries', 'reportPriceInquiry', [
    [
      ['priceInquiryGroup', 'All'],
      ['priceInquiryNum', String(report.priceLookups.count)],
      ['priceInquiryAmnt', amountText(report.priceLookups.amount)],
    ],
  ]);
  list(r, 'reportOtherCorrs', 'reportOtherCorr', [
    [
      ['otherCorrType', 'None'],
      ['otherCorrNum', '0'],
      ['otherCorrAmnt', amountText(0)],
    ],
  ]);
  leaf(r, 'reportReceiptDeliveryNum', '0');
  leaf(r, 'reportReceiptDeliveryAmnt', amountText(0));
  leaf(r, 'reportTrainingNum', String(report.training.count));
  leaf(r, 'reportTrainingAmnt', amountText(report.training.amount));
  leaf(r, 'reportGrandTotalSales', amountText(report.grandTotal.salesAmount));
  leaf(r, 'reportGrandTotalReturn', amountText(report.grandTotal.returnsAmount));
  leaf(r, 'reportGrandTotalSalesNet', amountText(report.grandTotal.netAmount));
}
