// Reconciliation: what the kiosks said they took and gave back, against what Vipps settled (the Report
// API's funds ledger), matched per payment reference and kind of money movement. Vipps' ledger is the
// source of truth for money paid out; the kiosks' events are what HQ collected. Three lists come out:
// matched, settled but never reported by a kiosk (a sale HQ cannot account for), and reported but not
// settled (money a kiosk believes it has that Vipps has not paid) — plus amounts that disagree.

export type Movement = 'capture' | 'refund';

/** A kiosk's report of money moved, as the collector stored it. Amounts are positive minor units. */
export interface ReportedMoney {
  reference: string;
  movement: Movement;
  amount: number;
  currency: string;
  /** Where it was reported from, e.g. `oslo-1/kiosk-07`. */
  kiosk: string;
}

/** A capture or refund line of Vipps' funds ledger. Refunds are negative there, as in the API. */
export interface SettledMoney {
  reference: string;
  movement: Movement;
  amount: number;
  currency: string;
  pspReferences: string[];
}

export interface MatchedMoney {
  reference: string;
  movement: Movement;
  amount: number;
  currency: string;
  kiosk: string;
  pspReferences: string[];
}

export interface DisagreeingMoney {
  reference: string;
  movement: Movement;
  currency: string;
  reported: number;
  settled: number;
  kiosk: string;
}

export interface Reconciliation {
  matched: MatchedMoney[];
  settledNotReported: SettledMoney[];
  reportedNotSettled: ReportedMoney[];
  disagreeing: DisagreeingMoney[];
  totals: { reported: number; settled: number };
}

const key = (reference: string, movement: Movement) => `${movement} ${reference}`;

/** Sums several lines for the same reference and movement (partial captures, two refunds). */
function summed<T extends { reference: string; movement: Movement; amount: number }>(
  lines: readonly T[],
  merge: (into: T, line: T) => void,
): Map<string, T> {
  const sums = new Map<string, T>();
  for (const line of lines) {
    const k = key(line.reference, line.movement);
    const seen = sums.get(k);
    if (seen === undefined) sums.set(k, { ...line });
    else {
      seen.amount += line.amount;
      merge(seen, line);
    }
  }
  return sums;
}

export function reconcile(
  reported: readonly ReportedMoney[],
  settled: readonly SettledMoney[],
): Reconciliation {
  const kiosks = summed(reported, () => {});
  const vipps = summed(
    settled.map((line) => ({
      ...line,
      amount: Math.abs(line.amount),
      pspReferences: [...line.pspReferences],
    })),
    (into, line) => into.pspReferences.push(...line.pspReferences),
  );
  const result: Reconciliation = {
    matched: [],
    settledNotReported: [],
    reportedNotSettled: [],
    disagreeing: [],
    totals: { reported: 0, settled: 0 },
  };
  const signed = (movement: Movement, amount: number) => (movement === 'capture' ? amount : -amount);
  for (const [k, mine] of kiosks) {
    result.totals.reported += signed(mine.movement, mine.amount);
    const theirs = vipps.get(k);
    if (theirs === undefined) result.reportedNotSettled.push(mine);
    else if (theirs.amount !== mine.amount || theirs.currency !== mine.currency) {
      result.disagreeing.push({
        reference: mine.reference,
        movement: mine.movement,
        currency: mine.currency,
        reported: mine.amount,
        settled: theirs.amount,
        kiosk: mine.kiosk,
      });
    } else {
      result.matched.push({ ...mine, pspReferences: theirs.pspReferences });
    }
  }
  for (const [k, theirs] of vipps) {
    result.totals.settled += signed(theirs.movement, theirs.amount);
    if (!kiosks.has(k)) result.settledNotReported.push(theirs);
  }
  return result;
}
