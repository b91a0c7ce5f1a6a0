import { operationKey } from '../vipps/request-rules.js';

// The two rules every capture and cancel of a reference follows, in the checkout and in recovery alike:
// which Idempotency-Key the next try uses (API.md §0.5), and when it may go out (§0.4).

export type SettleOperation = 'capture' | 'cancel';

/**
 * The last key an operation used: `<reference>-<operation>-<n>`, the body it carried (a key may only be
 * repeated with the same body), and whether Vipps' answer spent it.
 */
export interface SettleKey {
  operation: SettleOperation;
  n: number;
  body: string;
  /** False after an unknown outcome or 6260/6280: the same key is asked again. */
  spent: boolean;
}

/** Before the first call of `operation`: its first try uses key number `first`. */
export function firstKey(operation: SettleOperation, first: number): SettleKey {
  return { operation, n: first - 1, body: '', spent: true };
}

/** The key for a call with `body`: the last one again if it is unspent and for the same body, else the next. */
export function keyFor(last: SettleKey, body: string): SettleKey {
  if (!last.spent && last.body === body) return last;
  return { operation: last.operation, n: last.n + 1, body, spent: false };
}

export function keyText(reference: string, key: SettleKey): string {
  return operationKey(reference, `${key.operation}-${key.n}`);
}

const KEY_NUMBER = /-(capture|cancel)-(\d+)$/;

/** The operation and number of a key this module made, or null for any other key (create, refund). */
export function parseKey(key: string): { operation: SettleOperation; n: number } | null {
  const match = KEY_NUMBER.exec(key);
  return match ? { operation: match[1] as SettleOperation, n: Number(match[2]) } : null;
}

/** Vipps' limit on create/capture/cancel/refund calls, per reference (API.md §0.4). */
export const MUTATING_CALLS_PER_WINDOW = 5;
export const RATE_WINDOW_MS = 60_000;

/** The calls still inside the window at `now`, oldest first. */
export function callsInWindow(sentAt: readonly number[], now: number): number[] {
  return sentAt.filter((at) => at > now - RATE_WINDOW_MS);
}

/** How long until one more call fits the sliding minute; 0 when it fits now. */
export function msUntilCallAllowed(sentAt: readonly number[], now: number): number {
  const recent = callsInWindow(sentAt, now);
  if (recent.length < MUTATING_CALLS_PER_WINDOW) return 0;
  const freeing = recent[recent.length - MUTATING_CALLS_PER_WINDOW] ?? now;
  return Math.max(0, freeing + RATE_WINDOW_MS - now);
}
