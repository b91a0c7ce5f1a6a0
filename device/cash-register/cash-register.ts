import type { Product } from '../checkout/domain/product.js';
import { type JournaledReturn, type ReturnRow, returnNumberText } from '../checkout/domain/return-row.js';
import type { SaleCompleted } from '../checkout/domain-events.js';
import type { RowKind } from './event-codes.js';
import {
  type CashRegisterStore,
  ClockWentBackwardsError,
  type JournalRow,
  type Signer,
  WriteRefusedError,
} from './journal-store.js';
import { journaledPrices, priceChanges } from './price-changes.js';
import { type JournaledReport, type ReportKind, reportOf } from './reports.js';
import {
  FIRST_PREVIOUS_SIGNATURE,
  type SigningKey,
  SigningKeyError,
  signingText,
  signText,
} from './signing.js';

/** One sold line as the journal keeps it: what the receipt says, nothing about who bought it. */
export interface JournaledLine {
  gtin: string;
  name: string;
  quantity: string;
  unitPrice: number | null;
  amountIn: number;
  amountEx: number;
  vat: number;
  /** Basis points: 2500 is 25 %. */
  vatRate: number;
  /** The club price's discount on this line, VAT included (0 at shelf price). */
  discount: number;
}

export interface JournaledSale {
  reference: string;
  receiptNumber: string;
  pspReference: string | null;
  paymentType: 'VIPPS';
  currency: string;
  amountIn: number;
  amountEx: number;
  lines: JournaledLine[];
  vat: Array<{ rate: number; amount: number; basis: number }>;
  memberSavings: number;
  /** The machine's time of the sale; the row's own time differs only after the clock went backwards. */
  paidAt: number;
}

export function journaledSale(event: SaleCompleted): JournaledSale {
  const lines = event.lines.map(
    (line): JournaledLine => ({
      gtin: line.id,
      name: line.name,
      quantity: line.unitInfo?.quantity ?? '1',
      unitPrice: line.unitInfo?.unitPrice ?? null,
      amountIn: line.totalAmount,
      amountEx: line.totalAmountExcludingTax,
      vat: line.totalTaxAmount,
      vatRate: line.taxRate,
      discount: line.discount ?? 0,
    }),
  );
  return {
    reference: event.reference,
    receiptNumber: event.receiptNumber,
    pspReference: event.pspReference,
    paymentType: 'VIPPS',
    currency: event.currency,
    amountIn: event.amount,
    amountEx: lines.reduce((sum, line) => sum + line.amountEx, 0),
    lines,
    vat: event.vat.map(({ rate, amount }) => ({
      rate,
      amount,
      basis: lines.filter((l) => l.vatRate === rate).reduce((sum, l) => sum + l.amountEx, 0),
    })),
    memberSavings: event.memberSavings,
    paidAt: event.paidAt,
  };
}

/** Why staff mode closed: staff logged out, nobody pressed anything, or the daemon stopped. */
export type StaffLogOutReason = 'logged-out' | 'timed-out' | 'kiosk-stopped';

/** A Z report for a period already closed: the clock says now is before the last Z report. */
export class PeriodAlreadyClosedError extends WriteRefusedError {
  override readonly name = 'PeriodAlreadyClosedError';
}

/** The return is in the journal already (recovery after a crash that came after its row). */
class ReturnAlreadyJournaledError extends WriteRefusedError {
  override readonly name = 'ReturnAlreadyJournaledError';

  constructor(returnId: string) {
    super(`return ${returnId} is journaled already`);
  }
}

/**
 * The till's side of the law: writes what happens at the kiosk to the cash-register journal in order and
 * signs each sale. A row the clock would date before the last one is not refused outright (the sale has
 * happened; the money is Vipps'): the journal first records that the clock went backwards, with both
 * times, and then the row at the last row's time, so the journal's order and its dates agree.
 */
export class CashRegister {
  constructor(
    private readonly store: CashRegisterStore,
    private readonly key: SigningKey,
    private readonly now: () => number,
  ) {}

  /**
   * Application start: the key version in use, the start itself (on a new journal with the first receipt
   * number it will account for), then prices changed since last known.
   */
  started(
    products: readonly Product[],
    softwareVersion: string,
    numbering: { receiptNumbersFrom?: string } = {},
  ): void {
    this.journalKey();
    this.write('application.start', { softwareVersion, ...numbering });
    this.prices(products);
  }

  stopped(): void {
    this.write('application.stop', {});
  }

  /** A catalog (re)load: journals every price that differs from what the journal last knew. */
  prices(products: readonly Product[]): void {
    const changes = priceChanges(journaledPrices(this.store.ofKind('price.change')), products);
    if (changes.length > 0) this.write('price.change', { changes });
  }

  /** The sale, signed. */
  sale(event: SaleCompleted): JournalRow {
    const sale = journaledSale(event);
    return this.write('sale', { ...sale }, (at) => this.signer(at, sale));
  }

  /**
   * A return refunded through Vipps, signed like a sale (negative amounts) and numbered consecutively
   * among the returns. Exactly once per return id, whoever asks (the desk, or recovery after a crash):
   * the check runs inside the row's own write, and a return already journaled gives back its row.
   */
  returned(refund: JournaledReturn): JournalRow {
    try {
      return this.write(
        'return',
        () => {
          if (this.store.ofKindWhere('return', 'returnId', refund.returnId).length > 0) {
            throw new ReturnAlreadyJournaledError(refund.returnId);
          }
          const number = this.store.ofKind('return').length + 1;
          const row: ReturnRow = { ...refund, returnNumber: returnNumberText(number) };
          return { ...row };
        },
        (at) => this.signer(at, refund),
      );
    } catch (error) {
      if (!(error instanceof ReturnAlreadyJournaledError)) throw error;
      return this.store.ofKindWhere('return', 'returnId', refund.returnId)[0]!;
    }
  }

  /** A Returkvittering shown to staff (13013). */
  returnReceiptShown(transNr: number | null, returnNumber: string, returnOf: string): void {
    this.write('return.receipt', { transNr, returnNumber, returnOf });
  }

  /**
   * A sale made in training mode (paid to the Vipps sandbox): signed in the same chain as real sales, since
   * SAF-T lists it as a cashtransaction (trainingID true), but never counted as a sale.
   */
  trainingSale(event: SaleCompleted): JournalRow {
    const sale = journaledSale(event);
    return this.write('training.sale', { ...sale }, (at) => this.signer(at, sale));
  }

  /**
   * Training mode switched on or off by a staff member (13023/13024), or a copy of a receipt made (13014):
   * rows with no money of their own, whose rules live with copies.ts and training.ts.
   */
  staffEvent(
    kind: 'training.on' | 'training.off' | 'receipt.copy',
    data: Record<string, unknown>,
  ): JournalRow {
    return this.write(kind, data);
  }

  /**
   * The sale concluded without a printed receipt: shown on screen and in the Vipps app only (13030),
   * because the kiosk has no printer or it could not print this one.
   */
  receiptShown(transNr: number | null, receiptNumber: string): void {
    this.write('receipt.shown', { transNr, receiptNumber });
  }

  /** The sale's receipt came out of the printer in full (13012). */
  receiptPrinted(transNr: number | null, receiptNumber: string): void {
    this.write('receipt.printed', { transNr, receiptNumber });
  }

  /**
   * An X report (any time) or a Z report (closes the period since the last Z), journaled with what it
   * says. Computed inside the row's own write, so nothing journaled meanwhile falls between two periods.
   * A Z report while the clock stands before the last Z report is refused (PeriodAlreadyClosedError):
   * that period is closed, and a new one cannot start before it ended.
   */
  report(kind: ReportKind): JournaledReport {
    const machineTime = this.now();
    const row = this.write(`report.${kind}`, (at) => {
      const lastZ = this.store.lastOfKind('report.z');
      if (kind === 'z' && lastZ && machineTime < lastZ.at) {
        throw new PeriodAlreadyClosedError(
          `no Z report made: Z report ${(JSON.parse(lastZ.data) as JournaledReport).number} already closed ` +
            `the period up to ${new Date(lastZ.at).toISOString()}, and the clock says it is ` +
            `${new Date(machineTime).toISOString()}, before that. The clock went backwards: set it right ` +
            '(check NTP), then make the Z report',
        );
      }
      const last = this.store.lastOfKind(`report.${kind}`);
      const previousZ = lastZ ? { row: lastZ, report: JSON.parse(lastZ.data) as JournaledReport } : null;
      return {
        ...reportOf({
          kind,
          number: last ? (JSON.parse(last.data) as JournaledReport).number + 1 : 1,
          at,
          rows: this.store.after(lastZ?.nr ?? 0),
          previousZ,
          toRow: (this.store.last()?.nr ?? 0) + 1,
        }),
      };
    });
    return JSON.parse(row.data) as JournaledReport;
  }

  /** A receipt number that no sale will use (the payment did not complete), with why. */
  voided(details: { receiptNumber: string; reason: string; amount: number | null }): void {
    this.write('receipt.void', details);
  }

  /** Staff mode opened with a card and its PIN: who (the SAF-T export lists them as employees). */
  staffLoggedIn(employee: { id: string; name: string }): void {
    this.write('staff.login', { employeeId: employee.id, name: employee.name });
  }

  /** Staff mode closed, and why. */
  staffLoggedOut(employeeId: string, reason: StaffLogOutReason): void {
    this.write('staff.logout', { employeeId, reason });
  }

  /** A SAF-T export was written: what period, which file. */
  exported(details: { from: string; to: string; file: string }): void {
    this.write('journal.export', details);
  }

  private journalKey(): void {
    const journaled = this.store
      .ofKind('signing.key')
      .map((row) => JSON.parse(row.data) as { version: number; publicKey: string })
      .find((k) => k.version === this.key.version);
    if (journaled === undefined) {
      this.write('signing.key', { version: this.key.version, publicKey: this.key.publicKeyPem });
    } else if (journaled.publicKey !== this.key.publicKeyPem) {
      throw new SigningKeyError(
        `the signing key in secrets.json is not the key the journal knows as version ${this.key.version}; ` +
          'a new key needs a new version (secrets.cashRegister.keyVersion): provision the kiosk again',
      );
    }
  }

  private signer(at: number, sale: Pick<JournaledSale, 'amountIn' | 'amountEx'>): Signer {
    return (previous) => {
      const transNr = previous.transNr + 1;
      const text = signingText({
        previousSignature: previous.signature ?? FIRST_PREVIOUS_SIGNATURE,
        at,
        nr: String(transNr),
        amountIn: sale.amountIn,
        amountEx: sale.amountEx,
      });
      return { transNr, signature: signText(this.key, text), keyVersion: this.key.version };
    };
  }

  private write(
    kind: RowKind,
    data: Record<string, unknown> | ((at: number) => Record<string, unknown>),
    signer?: (at: number) => Signer,
  ): JournalRow {
    const at = this.now();
    try {
      return this.store.append(at, kind, data, signer?.(at));
    } catch (error) {
      if (!(error instanceof ClockWentBackwardsError)) throw error;
      this.store.append(error.lastAt, 'clock.backwards', {
        machineTime: new Date(error.at).toISOString(),
        lastRowTime: new Date(error.lastAt).toISOString(),
        journaledAt: 'the last row time',
        row: kind,
      });
      return this.store.append(error.lastAt, kind, data, signer?.(error.lastAt));
    }
  }
}
