// Fault injection on the Vipps paths, so tests can prove the kiosk survives a flaky network and a flaky
// Vipps: error statuses, dropped connections, calls that never answer, slow answers.
//
// A rule fires BEFORE the request is processed unless it says `after: true`. Before means the call never
// reached Vipps: an injected 503 on capture has captured nothing. After means the operation really
// happened and only the answer was lost (500, reset or hang) — the case that proves a retry with the same
// Idempotency-Key does not charge twice. A status may carry a Vipps error code (`code: "5080"`), answered
// as ePayment shapes it; with `after: true` the operation happened although the answer says it did not.
// Injected answers are never remembered under an Idempotency-Key: before, nothing reached Vipps; after,
// what Vipps remembered is the real outcome, not the answer the client saw.

import {
  decimal,
  flag,
  type Infer,
  type Issue,
  integer,
  list,
  type ObjectOf,
  object,
  oneOf,
  optional,
  refine,
  text,
} from './json-shape.js';

const ruleProps = {
  /** Prefix of the request path; absent matches every Vipps path. */
  path: optional(text({ pattern: /^\// })),
  method: optional(oneOf(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])),
  status: optional(integer({ min: 400, max: 599 })),
  /** A Vipps error code for `extraDetails: [{ name: "ErrorCode", reason }]`; needs `status`. */
  code: optional(text({ pattern: /^\d{4,5}$/ })),
  /** The problem's `detail`; default a sentence saying the answer was injected. */
  detail: optional(text({ minLength: 1, maxLength: 500 })),
  /** Seconds for the Retry-After header of an injected 429 (default 1). */
  retryAfter: optional(integer({ min: 0, max: 3600 })),
  reset: optional(flag()),
  hang: optional(flag()),
  /** Applies to the next N matching requests, then the rule is used up. Absent: no limit. */
  count: optional(integer({ min: 1 })),
  /** Probability per matching request. Absent: always. */
  rate: optional(decimal({ min: 0, max: 1 })),
  after: optional(flag()),
};

export type FaultRule = ObjectOf<typeof ruleProps>;

function wellFormedRule(rule: FaultRule, field: string): Issue | undefined {
  const actions = [rule.status !== undefined, rule.reset === true, rule.hang === true].filter(Boolean).length;
  if (actions !== 1) return { field, reason: 'needs exactly one of status, reset: true or hang: true' };
  if ((rule.code !== undefined || rule.detail !== undefined) && rule.status === undefined) {
    return { field, reason: 'code and detail belong to a status answer' };
  }
  return undefined;
}

export const faultPlanShape = object({
  latencyMs: optional(integer({ min: 0, max: 60_000 })),
  rules: optional(list(refine(object(ruleProps), wellFormedRule))),
});

export type FaultPlanInput = Infer<typeof faultPlanShape>;

export type FaultAction =
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly retryAfterSeconds: number;
      readonly code: string | undefined;
      readonly detail: string | undefined;
    }
  | { readonly kind: 'reset' }
  | { readonly kind: 'hang' };

export type FaultPhase = 'before' | 'after';

interface ActiveRule {
  readonly rule: FaultRule;
  remaining: number | undefined;
}

export class FaultInjector {
  private latencyMs = 0;
  private rules: ActiveRule[] = [];

  /** Replaces the whole plan: what a test posts is exactly what is in force. */
  configure(plan: FaultPlanInput): void {
    this.latencyMs = plan.latencyMs ?? 0;
    this.rules = (plan.rules ?? []).map((rule) => ({ rule, remaining: rule.count }));
  }

  clear(): void {
    this.configure({});
  }

  /** The plan in force, with `count` showing what is left of each rule. */
  describe(): { latencyMs: number; rules: FaultRule[] } {
    return {
      latencyMs: this.latencyMs,
      rules: this.rules.map(({ rule, remaining }) =>
        remaining === undefined ? rule : { ...rule, count: remaining },
      ),
    };
  }

  latency(): number {
    return this.latencyMs;
  }

  /** The fault to apply to this request in this phase, if any; using it counts against the rule's `count`. */
  take(phase: FaultPhase, method: string, path: string): FaultAction | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      if ((rule.after === true ? 'after' : 'before') !== phase) continue;
      if (rule.method !== undefined && rule.method !== method) continue;
      // Paths match regardless of case, as Vipps' gateway matches them.
      if (rule.path !== undefined && !path.toLowerCase().startsWith(rule.path.toLowerCase())) continue;
      if (rule.rate !== undefined && Math.random() >= rule.rate) continue;
      if (active.remaining !== undefined) active.remaining -= 1;
      this.rules = this.rules.filter((candidate) => candidate.remaining !== 0);
      return actionOf(rule);
    }
    return undefined;
  }
}

function actionOf(rule: FaultRule): FaultAction {
  if (rule.reset === true) return { kind: 'reset' };
  if (rule.hang === true) return { kind: 'hang' };
  return {
    kind: 'status',
    status: rule.status ?? 500,
    retryAfterSeconds: rule.retryAfter ?? 1,
    code: rule.code,
    detail: rule.detail,
  };
}
