import { PROBLEM_TYPE_BASE, type Problem, type ProblemCode } from '../../contracts/terminal-api.js';

// The terminal API's refusals as problem+json (RFC 9457): a stable `code` for the POS's program, words
// for the person at the till.

const TITLES: Record<ProblemCode, string> = {
  unauthorized: 'Not paired',
  'invalid-request': 'Invalid request',
  'wrong-total': 'The lines do not add up to the amount',
  'wrong-vat': 'Not a VAT rate of this market',
  'wrong-currency': 'Not the currency of this terminal',
  'different-body': 'Another request under the same id',
  busy: 'Another payment or club enrolment is running',
  'too-late': 'Too late to abort',
  'not-found': 'No such transaction or enrolment',
  'not-refundable': 'Not refundable',
  'refund-too-large': 'More than is left to refund',
  'no-club': 'No customer club',
  'club-unavailable': 'The customer club cannot answer',
  'out-of-order': 'The terminal cannot take a payment now',
};

export function problem(
  status: number,
  code: ProblemCode,
  detail: string,
  extra: Pick<Problem, 'field' | 'runningPosTransactionId' | 'runningEnrolmentId' | 'transaction'> = {},
): Problem {
  return { type: `${PROBLEM_TYPE_BASE}${code}`, title: TITLES[code], status, detail, code, ...extra };
}
