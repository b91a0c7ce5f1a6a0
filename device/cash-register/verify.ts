import { isRowKind, ROW_KINDS } from './event-codes.js';
import { GENESIS_HASH, type JournalRow, rowHash } from './journal-store.js';
import { FIRST_PREVIOUS_SIGNATURE, signatureHolds, signingText } from './signing.js';

// `vipps-kiosk cash-register verify`: walks the whole journal and names the first row where anything is
// wrong, and every one after it: a gap in the numbers (a deleted row), a hash that is not the row's (an
// edited row), a row that does not chain to the one before, a sale or return whose signature does not hold.

export interface Break {
  nr: number;
  kind: string;
  problem: string;
}

export interface Verdict {
  rows: number;
  transactions: number;
  breaks: Break[];
}

export interface VerifyOptions {
  /**
   * The public key (PEM) of each key version. Keys journaled in `signing.key` rows are used for versions
   * not given here; a key given here that differs from the journaled one is itself a break.
   */
  publicKeys: ReadonlyMap<number, string>;
}

export function verifyJournal(rows: Iterable<JournalRow>, options: VerifyOptions): Verdict {
  const breaks: Break[] = [];
  const keys = new Map(options.publicKeys);
  let expectedNr = 1;
  let previousHash = GENESIS_HASH;
  let previousSignature = FIRST_PREVIOUS_SIGNATURE;
  let expectedTransNr = 1;
  let previousAt = Number.NEGATIVE_INFINITY;
  let count = 0;
  let transactions = 0;
  for (const row of rows) {
    count++;
    const problem = (text: string) => breaks.push({ nr: row.nr, kind: row.kind, problem: text });
    if (row.nr !== expectedNr) {
      problem(
        row.nr > expectedNr
          ? `row${row.nr - expectedNr > 1 ? 's' : ''} ${expectedNr}${row.nr - expectedNr > 1 ? `–${row.nr - 1}` : ''} missing (deleted)`
          : `row number ${row.nr} out of order (expected ${expectedNr})`,
      );
    }
    if (rowHash(row) !== row.hash) problem('its content does not match its hash (the row was changed)');
    if (row.prevHash !== previousHash)
      problem('it does not chain to the row before it (previous hash differs)');
    if (!isRowKind(row.kind)) problem(`unknown kind "${row.kind}"`);
    else if (ROW_KINDS[row.kind].code !== row.code)
      problem(`code ${row.code} is not the code of ${row.kind}`);
    if (row.at < previousAt) problem('dated before the row before it');
    let data: Record<string, unknown> | undefined;
    try {
      data = JSON.parse(row.data) as Record<string, unknown>;
    } catch {
      problem('its data is not valid JSON');
    }
    if (row.kind === 'signing.key' && data) {
      const version = data.version as number;
      const given = keys.get(version);
      if (given !== undefined && given !== data.publicKey) {
        problem(`the journaled public key of version ${version} is not the declared one`);
      }
      if (given === undefined) keys.set(version, data.publicKey as string);
    }
    // Any row with a transaction number is a signed transaction: a sale, a training sale, a return.
    if (row.transNr !== null && data) {
      transactions++;
      if (row.transNr !== expectedTransNr) {
        problem(`transaction number ${row.transNr ?? 'missing'} (expected ${expectedTransNr})`);
      }
      const key = row.keyVersion === null ? undefined : keys.get(row.keyVersion);
      const text = signingText({
        previousSignature,
        at: row.at,
        nr: String(row.transNr),
        amountIn: data.amountIn as number,
        amountEx: data.amountEx as number,
      });
      if (key === undefined) problem(`no public key for key version ${row.keyVersion ?? '(none)'}`);
      else if (row.signature === null || !signatureHolds(key, text, row.signature)) {
        problem(`the signature does not hold for "${text}" with key version ${row.keyVersion}`);
      }
      previousSignature = row.signature ?? '';
      expectedTransNr = (row.transNr ?? expectedTransNr) + 1;
    }
    expectedNr = row.nr + 1;
    previousHash = row.hash;
    previousAt = row.at;
  }
  return { rows: count, transactions, breaks };
}
