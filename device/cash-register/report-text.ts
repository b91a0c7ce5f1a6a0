import type { CashRegisterReport, ReportCountAmount as CountAmount } from '../../contracts/telemetry.js';
import { amountText, localDateTime } from './formats.js';

// An X or Z report as the till shows and prints it: Norwegian headings (the README gives them in
// English), local time, amounts with two decimals, one figure a line, as wide as the screen or the paper
// (a label too long for a narrow roll stands on its own line, its figure under it on the right).

export interface ReportHeading {
  companyName: string;
  organisationNumber: string;
  vatRegistered: boolean;
  /** The kiosk (device.id): the till's identity. */
  registerId: string;
}

const WIDTH = 44;

function lineOf(width: number) {
  return (label: string, value: string): string =>
    label.length + 1 + value.length > width
      ? `${label}\n${value.padStart(width)}`
      : `${label.padEnd(width - value.length - 1)} ${value}`;
}

function local(iso: string): string {
  const { date, time } = localDateTime(Date.parse(iso));
  return `${date} ${time}`;
}

export function reportText(report: CashRegisterReport, heading: ReportHeading, width = WIDTH): string {
  const line = lineOf(width);
  const counted = (label: string, figure: CountAmount) =>
    line(`${label} (${figure.count})`, amountText(figure.amount));
  const rule = '-'.repeat(width);
  const title = report.kind === 'z' ? `Z-RAPPORT nr. ${report.number}` : `X-RAPPORT nr. ${report.number}`;
  const vatRates = report.vat.length
    ? report.vat.flatMap((v) => [
        line(`MVA ${v.rate / 100} % grunnlag`, amountText(v.basisAmount)),
        line(`MVA ${v.rate / 100} %`, amountText(v.amount)),
      ])
    : [line('MVA', amountText(0))];
  const payments = report.payments.length
    ? report.payments.map((p) => line(`${p.type} (${p.count})`, amountText(p.amount)))
    : [line('Ingen betalinger', amountText(0))];
  return [
    title,
    heading.companyName,
    `Org.nr. ${heading.organisationNumber}${heading.vatRegistered ? ' MVA' : ''}`,
    `Kasse ${heading.registerId}`,
    `Tidspunkt ${local(report.at)}`,
    `Periode fra ${report.period.from ? local(report.period.from) : '(tom journal)'}` +
      (report.period.previousZ === null ? '' : ` (etter Z-rapport nr. ${report.period.previousZ})`),
    `Journalrader ${report.period.fromRow}-${report.period.toRow}`,
    rule,
    line('Antall salgskvitteringer', String(report.receipts)),
    line('Salg inkl. MVA', amountText(report.sales.amount)),
    line('Salg ekskl. MVA', amountText(report.sales.netAmount)),
    rule,
    'Betalingsmidler',
    ...payments,
    rule,
    ...vatRates,
    rule,
    counted('Returer', report.returns),
    counted('Rabatter', report.discounts),
    counted('Kopikvitteringer', report.copies),
    counted('Treningskvitteringer', report.training),
    counted('Prisoppslag', report.priceLookups),
    counted('Annullerte kvitteringsnr.', report.voids),
    counted('Salg uten utskrevet kvittering', report.notPrinted),
    rule,
    line('Grand total salg', amountText(report.grandTotal.salesAmount)),
    line('Grand total returer', amountText(report.grandTotal.returnsAmount)),
    line('Grand total netto', amountText(report.grandTotal.netAmount)),
    '',
  ].join('\n');
}
