// Idempotency-Key bookkeeping (API.md §0.5). The first answer under a key is remembered together with a
// fingerprint of the body; a retry with the same body gets that answer again, byte for byte, and the
// operation does not run twice. A retry with another body is a client bug and is refused.

import type { Reply } from './http.js';
import { isRecord } from './json-shape.js';

interface Remembered {
  readonly fingerprint: string;
  readonly reply: Reply;
}

/**
 * Key order does not matter: two bodies are "the same" when they hold the same JSON values. Vipps does not
 * document how it compares bodies; a client that re-serializes the same object must not be punished here.
 */
export function fingerprint(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical(value[key])]),
  );
}

export class IdempotencyStore {
  private readonly remembered = new Map<string, Remembered>();
  /**
   * Whether "come back later" refusals (423, 6160, 6250, 429) are remembered under their key. Default
   * the stricter reading of "a 4xx stays 4xx for that key" (API.md §0.5): yes.
   */
  rememberRetryLater = true;

  /**
   * Runs `operation` once per `scope` (operation + payment + key). Only what `operation` returns is
   * remembered; anything it throws (refusals not to be remembered, gateway errors) leaves the key unused.
   */
  run(scope: string, bodyFingerprint: string, operation: () => Reply, onConflict: () => Error): Reply {
    const seen = this.remembered.get(scope);
    if (seen !== undefined) {
      if (seen.fingerprint === bodyFingerprint) return seen.reply;
      throw onConflict();
    }
    const reply = operation();
    this.remembered.set(scope, { fingerprint: bodyFingerprint, reply });
    return reply;
  }

  /** Keeps `reply` under a key not used yet (a refusal given before the operation ran, such as a 429). */
  rememberIfUnused(scope: string, bodyFingerprint: string, reply: Reply): void {
    if (!this.remembered.has(scope)) this.remembered.set(scope, { fingerprint: bodyFingerprint, reply });
  }

  clear(): void {
    this.remembered.clear();
    this.rememberRetryLater = true;
  }
}
