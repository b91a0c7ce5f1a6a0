// Per-payment switches for the refusals Vipps gives that the sandbox cannot bring about by itself: a payment
// locked by a concurrent operation (423, 6160), one being processed (6250), and captures that fail on
// Vipps' side (6260 funds not available, 6280 "try again later"). Each applies to the next N matching
// calls of that payment, then it is used up.

import { domainProblem, ProblemError } from './problem.js';

export const REFUSAL_ANSWERS = ['423', '6160', '6250', '6260', '6280'] as const;
export type RefusalAnswer = (typeof REFUSAL_ANSWERS)[number];

export const MODIFY_OPERATIONS = ['capture', 'cancel', 'refund'] as const;
export type ModifyOperation = (typeof MODIFY_OPERATIONS)[number];

export interface Refusal {
  readonly answer: RefusalAnswer;
  readonly operations: readonly ModifyOperation[];
  /** Calls left. */
  count: number;
}

/** Where each answer applies unless the switch names the operations. */
export function defaultOperations(answer: RefusalAnswer): readonly ModifyOperation[] {
  if (answer === '6260' || answer === '6280') return ['capture'];
  if (answer === '6250') return ['cancel'];
  return MODIFY_OPERATIONS;
}

export class PaymentRefusals {
  private readonly byReference = new Map<string, Refusal[]>();

  add(reference: string, refusal: Refusal): void {
    this.byReference.set(reference, [...this.pending(reference), refusal]);
  }

  pending(reference: string): readonly Refusal[] {
    return this.byReference.get(reference) ?? [];
  }

  /** The answer for this call, if a switch applies; using it counts against its `count`. */
  take(reference: string, operation: ModifyOperation): RefusalAnswer | undefined {
    const refusals = this.byReference.get(reference) ?? [];
    const refusal = refusals.find((candidate) => candidate.operations.includes(operation));
    if (refusal === undefined) return undefined;
    refusal.count -= 1;
    this.byReference.set(
      reference,
      refusals.filter((candidate) => candidate.count > 0),
    );
    return refusal.answer;
  }

  clear(): void {
    this.byReference.clear();
  }
}

/** The problem Vipps answers with. Statuses the sources leave open ("4xx") are the sandbox's choice. */
export function refusalProblem(answer: RefusalAnswer, operation: ModifyOperation): ProblemError {
  switch (answer) {
    case '423':
      return new ProblemError(
        423,
        'Locked',
        `The payment is locked by a concurrent operation; ${operation} again shortly.`,
        [],
        { retry: 'later' },
      );
    case '6160':
      return domainProblem(
        '6160',
        `Another operation is processing this payment; ${operation} again shortly.`,
        {
          status: 409,
          retry: 'later',
        },
      );
    case '6250':
      return domainProblem('6250', 'The payment is being processed; try again shortly.', {
        status: 409,
        retry: 'later',
      });
    case '6260':
      return domainProblem('6260', 'The funds are not available yet; retry the capture with the same key.', {
        retry: 'same-key',
      });
    case '6280':
      return domainProblem('6280', 'The capture failed; retry it later with the same key.', {
        retry: 'same-key',
      });
  }
}
