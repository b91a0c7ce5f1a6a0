import { createPublicKey, createVerify } from 'node:crypto';

// A second, independent reading of Skatteetaten's signature rules (their validator's checks, written from
// the specification, not from the kiosk's code): the signed text has six fields separated by ";", the
// previous signature ("0" for the first), a date YYYY-MM-DD and a time HH:MM:SS on Norwegian wall-clock
// time, nr of at most 35 characters, and two amounts with a point and two decimals; RSA-SHA1 over it.

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^(?:2[0-3]|[01][0-9]):[0-5][0-9]:[0-5][0-9]$/;
const DECIMAL = /^-?[0-9]+[.]([0-9]{2})?$/;

export interface SignedTransaction {
  transDate: string;
  transTime: string;
  nr: string;
  transAmntIn: string;
  transAmntEx: string;
  signature: string;
}

/** Norwegian wall-clock date and time of an instant, via the sv-SE locale's ISO-like form. */
export function osloDateTime(ms: number): { date: string; time: string } {
  const [date, time] = new Date(ms).toLocaleString('sv-SE', { timeZone: 'Europe/Oslo' }).split(' ');
  return { date: date!, time: time! };
}

/** Each transaction's problem, or an empty list when the whole chain holds. */
export function checkChain(publicKeyPem: string, transactions: readonly SignedTransaction[]): string[] {
  const key = createPublicKey(publicKeyPem);
  const details = key.asymmetricKeyDetails;
  const problems: string[] = [];
  if (details?.modulusLength !== 1024 || details.publicExponent !== 65537n) {
    problems.push('the key is not RSA 1024-bit with exponent 65537');
  }
  let previous = '0';
  for (const t of transactions) {
    const fields = [previous, t.transDate, t.transTime, t.nr, t.transAmntIn, t.transAmntEx];
    if (!DATE.test(t.transDate)) problems.push(`${t.nr}: transDate ${t.transDate}`);
    if (!TIME.test(t.transTime)) problems.push(`${t.nr}: transTime ${t.transTime}`);
    if (t.nr.length > 35) problems.push(`${t.nr}: nr longer than 35`);
    if (!DECIMAL.test(t.transAmntIn) || !DECIMAL.test(t.transAmntEx)) problems.push(`${t.nr}: amounts`);
    const verifier = createVerify('RSA-SHA1');
    verifier.update(fields.join(';'));
    if (!verifier.verify(key, t.signature, 'base64')) problems.push(`${t.nr}: signature does not hold`);
    previous = t.signature;
  }
  return problems;
}
