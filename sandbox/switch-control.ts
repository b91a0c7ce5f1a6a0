// `/_sandbox/...` switches for what Vipps does that the sandbox cannot bring about by itself: sales units
// set up wrongly, payments that are locked or fail to capture, and whether "come back later" refusals are
// remembered under their Idempotency-Key.

import type { SandboxContext } from './context.js';
import { readControlBody, refuse } from './control-body.js';
import { decodePathSegment, json, type Reply, type SandboxRequest } from './http.js';
import { flag, integer, list, object, oneOf, optional, refine, required } from './json-shape.js';
import { CURRENCIES } from './payments.js';
import { defaultOperations, MODIFY_OPERATIONS, REFUSAL_ANSWERS } from './refusals.js';

const salesUnitShape = object({
  currencies: optional(list(oneOf(CURRENCIES))),
  pushMessage: optional(flag()),
  epayment: optional(flag()),
});

const refuseShape = refine(
  object({
    answer: required(oneOf(REFUSAL_ANSWERS)),
    count: optional(integer({ min: 1, max: 1000 })),
    operations: optional(list(oneOf(MODIFY_OPERATIONS), { minItems: 1 })),
  }),
  (refusal, field) =>
    (refusal.answer === '6260' || refusal.answer === '6280') &&
    refusal.operations?.some((operation) => operation !== 'capture')
      ? { field: `${field}operations`, reason: `${refusal.answer} is a capture failure: capture only` }
      : undefined,
);

const idempotencyShape = object({ rememberRetryLater: required(flag()) });

const SALES_UNIT = /^\/_sandbox\/sales-units\/([^/]+)$/;
const REFUSE = /^\/_sandbox\/payments\/([^/]+)\/refuse$/;

/** Answers a switch route, or undefined when the path is not one. */
export function serveSwitches(context: SandboxContext, request: SandboxRequest): Reply | undefined {
  const { method, path } = request;
  if (path === '/_sandbox/sales-units' && method === 'GET') return json(200, salesUnitsView(context));
  if (path === '/_sandbox/idempotency') {
    if (method === 'POST') {
      const change = readControlBody(request, idempotencyShape);
      context.idempotency.rememberRetryLater = change.rememberRetryLater;
    } else if (method !== 'GET') {
      throw refuse(405, 'GET or POST');
    }
    return json(200, { rememberRetryLater: context.idempotency.rememberRetryLater });
  }
  const unit = method === 'POST' ? SALES_UNIT.exec(path) : null;
  if (unit?.[1] !== undefined) {
    const msn = decodePathSegment(unit[1]);
    const changed = context.salesUnits.configure(msn, readControlBody(request, salesUnitShape));
    if (changed === undefined) throw refuse(404, `no sales unit ${msn}`);
    return json(
      200,
      salesUnitsView(context).find((view) => view.merchantSerialNumber === msn),
    );
  }
  const refusal = method === 'POST' ? REFUSE.exec(path) : null;
  if (refusal?.[1] !== undefined) {
    const reference = decodePathSegment(refusal[1]);
    if (context.payments.get(reference) === undefined)
      throw refuse(404, `no payment with reference ${reference}`);
    const {
      answer,
      count = 1,
      operations = defaultOperations(answer),
    } = readControlBody(request, refuseShape);
    context.refusals.add(reference, { answer, count, operations });
    return json(200, { reference, refusals: context.refusals.pending(reference) });
  }
  return undefined;
}

function salesUnitsView(context: SandboxContext) {
  return context.salesUnits.list().map((unit) => ({
    ...unit,
    customers: context.customers.list().filter((customer) => customer.market === unit.market),
  }));
}
