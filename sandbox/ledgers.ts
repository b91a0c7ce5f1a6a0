// The settlement ledgers of the Report API (its guide: "funds" and "fees" per ledger date), derived from the
// sandbox's own payments so HQ's reconciliation can be tested end to end — the Report API has no test
// environment at Vipps. One ledger per sales unit; a ledger date runs midnight to midnight on the sales
// unit's local clock, is "closed" (its report complete) once the sandbox clock passes that midnight, and
// ends with the fees retained and the rest scheduled for payout, as a daily net settlement does.
//
// The fee is the sandbox's own round figure (1 % of each capture), not a Vipps price: it is there so a
// reconciliation sees fee and payout entries between the captures and refunds it matches.

import type { Market } from './customers.js';
import type { Payment, PaymentEvent } from './payments.js';
import type { SalesUnit } from './sales-units.js';

export const SANDBOX_FEE_BASIS_POINTS = 100;

export type EntryType = 'capture' | 'refund' | 'capture-fee' | 'fees-retained' | 'scheduled-for-payout';

export interface LedgerEntry {
  readonly pspReference: string;
  /** UTC with microseconds, as the Report API writes it. */
  readonly time: string;
  readonly ledgerDate: string;
  readonly entryType: EntryType;
  /** The payment's reference; on a payout, the bank transfer's text; empty on fees retained. */
  readonly reference: string;
  readonly currency: string;
  readonly amount: number;
  readonly balanceBefore: number;
  readonly balanceAfter: number;
  readonly recipientHandle: string;
}

export interface Ledger {
  readonly ledgerId: string;
  readonly currency: string;
  readonly payoutBankAccount: { scheme: string; id: string };
  readonly owner: { scheme: string; id: string };
  readonly settlesForRecipientHandles: string[];
  readonly salesUnit: SalesUnit;
}

const ZONES: Record<Market, string> = {
  NO: 'Europe/Oslo',
  DK: 'Europe/Copenhagen',
  FI: 'Europe/Helsinki',
};

const OWNER_SCHEMES: Record<Market, string> = {
  NO: 'business:NO:ORG',
  DK: 'business:DK:CVR',
  FI: 'business:FI:Y-tunnus',
};

export function ledgerOf(unit: SalesUnit): Ledger {
  return {
    ledgerId: `L${unit.merchantSerialNumber}`,
    currency: unit.currency,
    payoutBankAccount: { scheme: `BBAN:${unit.market}`, id: `9${unit.merchantSerialNumber}0000` },
    owner: { scheme: OWNER_SCHEMES[unit.market], id: `9${unit.merchantSerialNumber.padStart(8, '0')}` },
    // An ePayment sales unit is named by its MSN with the `api:` prefix (the guide's getLedgers notes).
    settlesForRecipientHandles: [`api:${unit.merchantSerialNumber}`],
    salesUnit: unit,
  };
}

/** The calendar date (YYYY-MM-DD) of an instant in a market's time zone. */
export function ledgerDateOf(at: number, market: Market): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONES[market] }).format(at);
}

/** The first instant of the ledger date after `date`, in the market's zone: when `date` closes. */
export function closesAt(date: string, market: Market): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // Midnight UTC of the next day, moved by the zone's offset at that moment (found by formatting it).
  const nextUtcMidnight = Date.UTC(y, m - 1, d + 1);
  const offsetMs = zoneOffsetMs(nextUtcMidnight, ZONES[market]);
  return nextUtcMidnight - offsetMs;
}

function zoneOffsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return local - Math.floor(at / 1000) * 1000;
}

function reportTime(at: number): string {
  return new Date(at).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

interface Movement {
  readonly event: PaymentEvent;
  readonly at: number;
}

/** Successful captures and refunds of the unit's payments, oldest first. */
function movements(payments: readonly Payment[], unit: SalesUnit): Movement[] {
  const moves: Movement[] = [];
  for (const payment of payments) {
    if (payment.merchantSerialNumber !== unit.merchantSerialNumber) continue;
    for (const event of payment.events) {
      if (!event.success || (event.name !== 'CAPTURED' && event.name !== 'REFUNDED')) continue;
      moves.push({ event, at: Date.parse(event.timestamp) });
    }
  }
  return moves.sort((a, b) => a.at - b.at);
}

export interface LedgerBook {
  readonly funds: LedgerEntry[];
  readonly fees: LedgerEntry[];
}

/**
 * Every entry of the ledger up to `now`: captures and refunds as they happen, and for each closed date the
 * fees retained and the payout of a positive balance (a negative one is carried over, as the guide says).
 */
export function ledgerBook(payments: readonly Payment[], ledger: Ledger, now: number): LedgerBook {
  const unit = ledger.salesUnit;
  const handle = `${unit.market}:${unit.merchantSerialNumber}`;
  const funds: LedgerEntry[] = [];
  const fees: LedgerEntry[] = [];
  let balance = 0;
  let feeBalance = 0;
  let feesToday = 0;
  let open: string | undefined;
  const entry = (
    book: LedgerEntry[],
    fields: Omit<LedgerEntry, 'balanceBefore' | 'balanceAfter' | 'currency' | 'recipientHandle'>,
    before: number,
    recipientHandle = handle,
  ) => {
    book.push({
      ...fields,
      currency: ledger.currency,
      recipientHandle,
      balanceBefore: before,
      balanceAfter: before + fields.amount,
    });
  };
  const close = (date: string) => {
    const at = closesAt(date, unit.market);
    const time = reportTime(at);
    if (feesToday > 0) {
      const id = `fees-${ledger.ledgerId}-${date}`;
      entry(
        funds,
        {
          pspReference: id,
          time,
          ledgerDate: date,
          entryType: 'fees-retained',
          reference: '',
          amount: -feesToday,
        },
        balance,
        '',
      );
      balance -= feesToday;
      entry(
        fees,
        {
          pspReference: id,
          time,
          ledgerDate: date,
          entryType: 'fees-retained',
          reference: '',
          amount: feesToday,
        },
        feeBalance,
        '',
      );
      feeBalance += feesToday;
      feesToday = 0;
    }
    if (balance > 0) {
      const payout = `${ledger.ledgerId}-${date.replaceAll('-', '')}`;
      entry(
        funds,
        {
          pspReference: payout,
          time,
          ledgerDate: date,
          entryType: 'scheduled-for-payout',
          reference: `Vipps utbet. ${payout}`,
          amount: -balance,
        },
        balance,
        '',
      );
      balance = 0;
    }
  };
  for (const { event, at } of movements(payments, unit)) {
    if (at > now) break;
    const date = ledgerDateOf(at, unit.market);
    if (open !== undefined && open !== date) close(open);
    open = date;
    const time = reportTime(at);
    const sign = event.name === 'CAPTURED' ? 1 : -1;
    const common = { pspReference: event.pspReference, time, ledgerDate: date, reference: event.reference };
    entry(
      funds,
      { ...common, entryType: sign > 0 ? 'capture' : 'refund', amount: sign * event.amount.value },
      balance,
    );
    balance += sign * event.amount.value;
    if (sign > 0) {
      const fee = Math.round((event.amount.value * SANDBOX_FEE_BASIS_POINTS) / 10_000);
      entry(fees, { ...common, entryType: 'capture-fee', amount: -fee }, feeBalance);
      feeBalance -= fee;
      feesToday += fee;
    }
  }
  if (open !== undefined && closesAt(open, unit.market) <= now) close(open);
  return { funds, fees };
}
