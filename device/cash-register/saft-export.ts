import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { ReturnRow } from '../checkout/domain/return-row.js';
import type { Settings } from '../config/schema.js';
import type { JournaledSale } from './cash-register.js';
import {
  MEMBER_DISCOUNT,
  RETURN_LINE,
  ROW_KINDS,
  SALE_LINE,
  TRANSACTION_KINDS,
  VIPPS_PAYMENT,
} from './event-codes.js';
import { amountText, localDateTime } from './formats.js';
import type { JournalRow } from './journal-store.js';
import type { PriceChange } from './price-changes.js';
import type { JournaledReport } from './reports.js';
import { reportEventText, saftReport } from './saft-report.js';

// The SAF-T Cash Register file (Skatteetaten's Norwegian_SAF-T_Cash_Register_Schema_v_1.00.xsd) for a
// period of the cash-register journal, built with an XML library so every text is escaped. Elements come
// in the order the schema's sequences demand; optional ones this kiosk has nothing for are left out
// (general ledger, customers). Employees are those who logged in to staff mode (their log-in rows).

const NAMESPACE = 'urn:StandardAuditFile-Taxation-CashRegister:NO';
export const SOFTWARE_NAME = 'vipps-kiosk';

/** Norway's standard SAF-T VAT codes for output VAT at each rate (basis points). */
const STANDARD_VAT_CODES: ReadonlyMap<number, { code: string; desc: string }> = new Map([
  [2500, { code: '3', desc: 'Output VAT, standard rate 25 %' }],
  [1500, { code: '31', desc: 'Output VAT, middle rate 15 % (food)' }],
  [1200, { code: '33', desc: 'Output VAT, low rate 12 %' }],
  [0, { code: '5', desc: 'No output VAT (zero rate)' }],
]);

export interface SaftInput {
  company: Omit<NonNullable<Settings['cashRegister']>, 'allowSaleWithoutPrinter'>;
  currency: string;
  /** The kiosk (device.id): the cash register's identity. */
  registerId: string;
  locationName: string;
  softwareVersion: string;
  /** Local dates, both included. */
  from: string;
  to: string;
  createdAt: number;
  /** The journal's rows of the period, in order. */
  rows: readonly JournalRow[];
  /** Every article the journal has priced (its `price.change` rows), for the master data. */
  priceRows: readonly JournalRow[];
  /**
   * Every staff log-in the journal holds (`staff.login`), for the employees master data: an event of the
   * period names only employees listed there. Absent, the log-ins of the period's own rows.
   */
  loginRows?: readonly JournalRow[];
}

/** `SAF-T Cash Register_<orgnr>_<yyyyMMddHHmmss>.xml`, the name Skatteetaten's example uses. */
export function saftFileName(organisationNumber: string, createdAt: number): string {
  const { date, time } = localDateTime(createdAt);
  return `SAF-T Cash Register_${organisationNumber}_${date.replaceAll('-', '')}${time.replaceAll(':', '')}.xml`;
}

export function saftXml(input: SaftInput): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele(NAMESPACE, 'auditfile');
  header(root.ele('header'), input);
  const company = root.ele('company');
  const { company: c } = input;
  leaf(company, 'companyIdent', c.organisationNumber);
  leaf(company, 'companyName', c.companyName);
  leaf(company, 'taxRegistrationCountry', 'NO');
  if (c.vatRegistered) leaf(company, 'taxRegIdent', `${c.organisationNumber}MVA`);
  address(company.ele('streetAddress'), c.address);
  vatCodes(company.ele('vatCodeDetails'), input);
  employees(company, input);
  articles(company.ele('articles'), input);
  basics(company.ele('basics'));
  const location = company.ele('location');
  leaf(location, 'name', input.locationName);
  address(location.ele('streetAddress'), c.address);
  const register = location.ele('cashregister');
  leaf(register, 'registerID', input.registerId);
  leaf(register, 'regDesc', 'Self-service Vipps MobilePay kiosk');
  for (const row of input.rows)
    if (!TRANSACTION_KINDS.has(row.kind)) event(register.ele('event'), row, input);
  const copies = copiesPerTransaction(input.rows);
  for (const row of input.rows) {
    if (row.kind === 'sale' || row.kind === 'training.sale')
      transaction(register.ele('cashtransaction'), row, copies.get(row.transNr ?? 0) ?? 0);
    else if (row.kind === 'return') returnTransaction(register.ele('cashtransaction'), row);
  }
  return doc.end({ prettyPrint: true });
}

function leaf(parent: XMLBuilder, name: string, text: string): void {
  parent.ele(name).txt(text);
}

function header(h: XMLBuilder, input: SaftInput): void {
  const created = localDateTime(input.createdAt);
  leaf(h, 'fiscalYear', input.from.slice(0, 4));
  leaf(h, 'startDate', input.from);
  leaf(h, 'endDate', input.to);
  leaf(h, 'curCode', input.currency);
  leaf(h, 'dateCreated', created.date);
  leaf(h, 'timeCreated', created.time);
  leaf(h, 'softwareDesc', SOFTWARE_NAME);
  leaf(h, 'softwareVersion', input.softwareVersion);
  leaf(h, 'softwareCompanyName', SOFTWARE_NAME);
  leaf(h, 'auditfileVersion', '1.0');
  leaf(h, 'headerComment', `Cash register ${input.registerId}, ${input.from} to ${input.to}`);
}

function address(a: XMLBuilder, where: NonNullable<Settings['cashRegister']>['address']): void {
  leaf(a, 'streetname', where.street);
  leaf(a, 'city', where.city);
  leaf(a, 'postalCode', where.postalCode);
  leaf(a, 'country', 'NO');
}

function vatCodes(parent: XMLBuilder, input: SaftInput): void {
  const since = localDateTime(input.priceRows[0]?.at ?? input.createdAt).date;
  for (const [rate, { code, desc }] of STANDARD_VAT_CODES) {
    const detail = parent.ele('vatCodeDetail');
    leaf(detail, 'vatCode', code);
    leaf(detail, 'dateOfEntry', since);
    leaf(detail, 'vatDesc', `${desc} (${rate / 100} %)`);
    leaf(detail, 'standardVatCode', code);
  }
}

function vatCodeOf(rate: number): string {
  const known = STANDARD_VAT_CODES.get(rate);
  if (!known) throw new Error(`no Norwegian SAF-T VAT code for a rate of ${rate / 100} %`);
  return known.code;
}

/** Each employee who ever logged in, named and dated as at their first log-in. */
function employees(company: XMLBuilder, input: SaftInput): void {
  const logins = input.loginRows ?? input.rows.filter((row) => row.kind === 'staff.login');
  const seen = new Map<string, { name: string; at: number }>();
  for (const row of logins) {
    const { employeeId, name } = JSON.parse(row.data) as { employeeId: string; name: string };
    if (!seen.has(employeeId)) seen.set(employeeId, { name, at: row.at });
  }
  if (seen.size === 0) return;
  const parent = company.ele('employees');
  for (const [id, { name, at }] of seen) {
    const { date, time } = localDateTime(at);
    const employee = parent.ele('employee');
    leaf(employee, 'empID', id);
    leaf(employee, 'dateOfEntry', date);
    leaf(employee, 'timeOfEntry', time);
    leaf(employee, 'surName', name);
  }
}

/** Every article ever priced, named as it was first priced, dated the day it entered the journal. */
function articles(parent: XMLBuilder, input: SaftInput): void {
  const seen = new Map<string, { name: string; at: number }>();
  for (const row of input.priceRows) {
    for (const change of (JSON.parse(row.data) as { changes: PriceChange[] }).changes) {
      if (change.after && !seen.has(change.gtin))
        seen.set(change.gtin, { name: change.after.name, at: row.at });
    }
  }
  // A line sold before its product was journaled (never so for this kiosk) still needs its article.
  for (const row of input.rows) {
    if (row.kind !== 'sale' && row.kind !== 'training.sale') continue;
    for (const line of (JSON.parse(row.data) as JournaledSale).lines) {
      if (!seen.has(line.gtin)) seen.set(line.gtin, { name: line.name, at: row.at });
    }
  }
  for (const [gtin, { name, at }] of seen) {
    const article = parent.ele('article');
    leaf(article, 'artID', gtin);
    leaf(article, 'dateOfEntry', localDateTime(at).date);
    leaf(article, 'artDesc', name);
  }
}

function basics(parent: XMLBuilder): void {
  const basic = (type: string, id: string, desc: string, predefined?: string) => {
    const b = parent.ele('basic');
    leaf(b, 'basicType', type);
    leaf(b, 'basicID', id);
    if (predefined) leaf(b, 'predefinedBasicID', predefined);
    leaf(b, 'basicDesc', desc);
  };
  basic('05', SALE_LINE.basicID, SALE_LINE.desc);
  basic('05', RETURN_LINE.basicID, RETURN_LINE.desc);
  basic('08', MEMBER_DISCOUNT.basicID, MEMBER_DISCOUNT.desc);
  basic('11', ROW_KINDS.sale.basicID, ROW_KINDS.sale.desc, ROW_KINDS.sale.code);
  basic('11', ROW_KINDS.return.basicID, ROW_KINDS.return.desc, ROW_KINDS.return.code);
  basic('12', VIPPS_PAYMENT.basicID, VIPPS_PAYMENT.desc, VIPPS_PAYMENT.code);
  for (const kind of Object.values(ROW_KINDS)) {
    if (kind.code.startsWith('13')) basic('13', kind.basicID, kind.desc, kind.code);
  }
}

function event(e: XMLBuilder, row: JournalRow, input: SaftInput): void {
  const data = JSON.parse(row.data) as Record<string, unknown>;
  const { date, time } = localDateTime(row.at);
  leaf(e, 'eventID', String(row.nr));
  leaf(e, 'eventType', ROW_KINDS[row.kind].basicID);
  if (
    (row.kind === 'receipt.shown' || row.kind === 'receipt.printed' || row.kind === 'return.receipt') &&
    data.transNr !== null
  )
    leaf(e, 'transID', String(data.transNr));
  // A training receipt and a copy name their transaction, as the official example's COPYREC does.
  if (row.kind === 'training.sale') leaf(e, 'transID', String(row.transNr));
  if (row.kind === 'receipt.copy') leaf(e, 'transID', String(data.transNr));
  if (typeof data.employeeId === 'string') leaf(e, 'empID', data.employeeId);
  leaf(e, 'eventDate', date);
  leaf(e, 'eventTime', time);
  const text = eventText(row, data);
  if (text) leaf(e, 'eventText', text.slice(0, 9999));
  if (row.kind === 'report.x' || row.kind === 'report.z') {
    saftReport(e.ele('eventReport'), row, {
      companyIdent: input.company.organisationNumber,
      companyName: input.company.companyName,
      registerId: input.registerId,
      vatCodes: STANDARD_VAT_CODES,
    });
  }
}

function eventText(row: JournalRow, data: Record<string, unknown>): string {
  switch (row.kind) {
    case 'application.start':
      return `${SOFTWARE_NAME} ${String(data.softwareVersion)}`;
    case 'receipt.shown':
      return `Receipt ${String(data.receiptNumber)} shown on screen and in the Vipps app; not printed`;
    case 'receipt.printed':
      return `Receipt ${String(data.receiptNumber)} printed`;
    case 'price.change':
      return (data.changes as PriceChange[])
        .map((c) => {
          const price = (t: PriceChange['before']) =>
            t
              ? `${amountText(t.unitPrice)}${t.memberPrice === null ? '' : ` (member ${amountText(t.memberPrice)})`}`
              : 'none';
          return `artID ${c.gtin} ${c.after?.name ?? c.before?.name ?? ''}: ${price(c.before)} -> ${price(c.after)}`;
        })
        .join('; ');
    case 'journal.export':
      return `SAF-T export ${String(data.from)} to ${String(data.to)}: ${String(data.file)}`;
    case 'signing.key':
      return `Signing key version ${String(data.version)} taken into use`;
    case 'report.x':
    case 'report.z':
      return reportEventText(data as unknown as JournaledReport);
    case 'return.receipt':
      return `Returkvittering ${String(data.returnNumber)} for receipt ${String(data.returnOf)} shown to staff`;
    case 'receipt.void':
      return `Receipt number ${String(data.receiptNumber)} void: ${String(data.reason)}`;
    case 'receipt.copy':
      return `Copy (KOPI) of receipt ${String(data.receiptNumber)}, ${amountText(data.amount as number)}, made by employee ${String(data.employeeId)}`;
    case 'training.on':
    case 'training.off':
      return `Training mode ${row.kind === 'training.on' ? 'on' : 'off'}, by employee ${String(data.employeeId)}`;
    case 'training.sale':
      return `Training receipt ${String(data.receiptNumber)}, ${amountText(data.amountIn as number)}: not a sale; paid to the Vipps sandbox`;
    case 'staff.login':
      return `Staff mode: ${String(data.name)} logged in`;
    case 'staff.logout':
      return `Staff mode closed: ${String(data.reason)}`;
    case 'clock.backwards':
      return `Machine time ${String(data.machineTime)} was before the last row (${String(data.lastRowTime)}); the next row is dated at the last row's time`;
    default:
      return '';
  }
}

function vat(parent: XMLBuilder, rate: number, amount: number, basis: number, tp: 'C' | 'D' = 'C'): void {
  const v = parent.ele('vat');
  leaf(v, 'vatCode', vatCodeOf(rate));
  leaf(v, 'vatPerc', (rate / 100).toFixed(2));
  leaf(v, 'vatAmnt', amountText(amount));
  leaf(v, 'vatAmntTp', tp);
  leaf(v, 'vatBasAmnt', amountText(basis));
}

/** How many copies (KOPI) the rows hold of each transaction number: its receiptCopyNum. */
function copiesPerTransaction(rows: readonly JournalRow[]): Map<number, number> {
  const copies = new Map<number, number>();
  for (const row of rows) {
    if (row.kind !== 'receipt.copy') continue;
    const { transNr } = JSON.parse(row.data) as { transNr: number };
    copies.set(transNr, (copies.get(transNr) ?? 0) + 1);
  }
  return copies;
}

/** What a sale's and a return's cashtransaction open with, in the schema's order. */
function transactionHead(
  t: XMLBuilder,
  row: JournalRow,
  head: {
    transType: string;
    amountIn: number;
    amountEx: number;
    amntTp: 'C' | 'D';
    empID?: string;
    refID: string;
  },
): { nr: string; date: string; time: string } {
  const { date, time } = localDateTime(row.at);
  const nr = String(row.transNr);
  leaf(t, 'nr', nr);
  leaf(t, 'transID', nr);
  leaf(t, 'transType', head.transType);
  leaf(t, 'transAmntIn', amountText(head.amountIn));
  leaf(t, 'transAmntEx', amountText(head.amountEx));
  leaf(t, 'amntTp', head.amntTp);
  if (head.empID !== undefined) leaf(t, 'empID', head.empID);
  leaf(t, 'transDate', date);
  leaf(t, 'transTime', time);
  leaf(t, 'refID', head.refID);
  return { nr, date, time };
}

/** The Vipps payment of a sale, or the Vipps refund of a return (negative), and the signature after it. */
function vippsPaymentAndSignature(
  t: XMLBuilder,
  row: JournalRow,
  payment: { amountIn: number; empID?: string; currency: string; refID: string },
): void {
  const p = t.ele('payment');
  leaf(p, 'paymentType', VIPPS_PAYMENT.basicID);
  leaf(p, 'paidAmnt', amountText(payment.amountIn));
  if (payment.empID !== undefined) leaf(p, 'empID', payment.empID);
  leaf(p, 'curCode', payment.currency);
  leaf(p, 'exchRt', '1.000000');
  leaf(p, 'paymentRefID', payment.refID);
  leaf(t, 'signature', row.signature ?? '');
  leaf(t, 'keyVersion', String(row.keyVersion ?? ''));
}

function transaction(t: XMLBuilder, row: JournalRow, copies: number): void {
  const sale = JSON.parse(row.data) as JournaledSale;
  const { nr, date, time } = transactionHead(t, row, {
    transType: ROW_KINDS.sale.basicID,
    amountIn: sale.amountIn,
    amountEx: sale.amountEx,
    amntTp: 'C',
    refID: `Receipt ${sale.receiptNumber}`,
  });
  sale.lines.forEach((line, index) => {
    const l = t.ele('ctLine');
    leaf(l, 'nr', nr);
    leaf(l, 'lineID', String(index + 1));
    leaf(l, 'lineType', SALE_LINE.basicID);
    leaf(l, 'artID', line.gtin);
    leaf(l, 'qnt', line.quantity);
    leaf(l, 'lineAmntIn', amountText(line.amountIn));
    leaf(l, 'lineAmntEx', amountText(line.amountEx));
    leaf(l, 'amntTp', 'C');
    if (line.unitPrice !== null) leaf(l, 'ppu', amountText(line.unitPrice));
    leaf(l, 'cashTransLineDescr', line.name);
    leaf(l, 'lineDate', date);
    leaf(l, 'lineTime', time);
    vat(l, line.vatRate, line.vat, line.amountEx);
    if (line.discount > 0) {
      const d = l.ele('discount');
      leaf(d, 'dscTp', MEMBER_DISCOUNT.basicID);
      leaf(d, 'dscAmnt', amountText(line.discount));
    }
  });
  for (const v of sale.vat) vat(t, v.rate, v.amount, v.basis);
  vippsPaymentAndSignature(t, row, {
    amountIn: sale.amountIn,
    currency: sale.currency,
    refID: `Vipps reference ${sale.reference}${sale.pspReference ? `; pspReference ${sale.pspReference}` : ''}`,
  });
  if (copies > 0) leaf(t, 'receiptCopyNum', String(copies));
  leaf(t, 'voidTransaction', 'false');
  leaf(t, 'trainingID', row.kind === 'training.sale' ? 'true' : 'false');
}

/**
 * A return: the money went back to the customer, so every amount is negative and debit (D), lines and
 * VAT included, and the signature is over those negative amounts. Its refund is named like a sale's
 * payment, and the employee who made it is on the transaction.
 */
function returnTransaction(t: XMLBuilder, row: JournalRow): void {
  const refund = JSON.parse(row.data) as ReturnRow;
  const { nr, date, time } = transactionHead(t, row, {
    transType: ROW_KINDS.return.basicID,
    amountIn: refund.amountIn,
    amountEx: refund.amountEx,
    amntTp: 'D',
    empID: refund.employeeId,
    refID: `Return ${refund.returnNumber} of receipt ${refund.returnOf}`,
  });
  refund.lines.forEach((line, index) => {
    const l = t.ele('ctLine');
    leaf(l, 'nr', nr);
    leaf(l, 'lineID', String(index + 1));
    leaf(l, 'lineType', RETURN_LINE.basicID);
    leaf(l, 'artID', line.gtin);
    leaf(l, 'qnt', String(-line.quantity));
    leaf(l, 'lineAmntIn', amountText(line.amountIn));
    leaf(l, 'lineAmntEx', amountText(line.amountEx));
    leaf(l, 'amntTp', 'D');
    leaf(l, 'ppu', amountText(line.unitPrice));
    leaf(l, 'cashTransLineDescr', `${line.name} (returned from line ${line.index + 1})`);
    leaf(l, 'lineDate', date);
    leaf(l, 'lineTime', time);
    vat(l, line.vatRate, line.vat, line.amountEx, 'D');
  });
  for (const v of refund.vat) vat(t, v.rate, v.amount, v.basis, 'D');
  vippsPaymentAndSignature(t, row, {
    amountIn: refund.amountIn,
    empID: refund.employeeId,
    currency: refund.currency,
    refID: `Vipps refund on ${refund.reference}${refund.pspReference ? `; pspReference ${refund.pspReference}` : ''}`,
  });
  leaf(t, 'voidTransaction', 'false');
  leaf(t, 'trainingID', 'false');
}
