import type { SalesReceipt } from '../../contracts/sales-receipt.js';
import type { Currency } from '../../contracts/vipps-types.js';
import type { CopyOutcome } from '../cash-register/copies.js';
import type { JournaledReport } from '../cash-register/reports.js';

// What staff mode's menu can do, as the staff screens see it. Each service lives with what it is about
// (reports in device/cash-register/, returns in device/returns/, copies and training in
// device/cash-register/); staff mode only calls them with the employee who is logged in, so every
// journal row says who did it.

/** A line of an earlier sale as a return sees it: what was bought and how many may still come back. */
export interface ReturnableLine {
  /** Position in the sale's lines, from 0: how a return names a line. */
  index: number;
  name: string;
  quantity: number;
  /** What the customer paid per unit, VAT and club price included (minor units). */
  unitPrice: number;
  /** Units not yet returned. */
  returnable: number;
}

export interface ReturnableSale {
  receiptNumber: string;
  /** When the sale was concluded (ms since epoch). */
  paidAt: number;
  currency: Currency;
  lines: ReturnableLine[];
  /** Captured minus refunded: no return can ever take more than this. */
  refundable: number;
}

export type ReturnLookup =
  | { ok: true; sale: ReturnableSale }
  | {
      ok: false;
      code: 'unknown-receipt' | 'training-receipt' | 'nothing-left' | 'not-captured';
      message: string;
    };

export interface ReturnRequest {
  receiptNumber: string;
  lines: ReadonlyArray<{ index: number; quantity: number }>;
  employeeId: string;
}

export type ReturnOutcome =
  | { ok: true; receipt: SalesReceipt }
  /**
   * Refused before any money moved (`too-much`, `unknown-receipt`, …), or — `pending: true` — Vipps has
   * not answered the refund yet: it is journaled and recovery finishes it; staff must not refund it again.
   */
  | { ok: false; code: string; message: string; pending?: true };

/** Returns: staff scans the receipt's barcode or types its number, picks lines, the kiosk refunds. */
export interface ReturnDesk {
  find(receiptNumber: string): ReturnLookup;
  refund(request: ReturnRequest): Promise<ReturnOutcome>;
}

/** The copy's outcome is defined where copies are made (device/cash-register/copies.ts). */
export type { CopyOutcome } from '../cash-register/copies.js';

export interface StaffServices {
  /** X any time; Z closes the day (journaled, sent to HQ, printed when a printer exists). */
  report(kind: 'x' | 'z', employeeId: string): JournaledReport;
  /** The one copy the law allows of the last receipt, marked KOPI and journaled. */
  copyOfLastReceipt(employeeId: string): CopyOutcome;
  training: { isOn(): boolean; set(on: boolean, employeeId: string): void };
  returns: ReturnDesk;
}
