// The ePayment v1 routes (API.md §3). Each call passes, in order: the gateway (subscription key, bearer
// token, rate limit), the headers, the body, and then the operation — under its Idempotency-Key when it has one.
// Over 400 lines on purpose: the route table, the gateway order and what a key remembers are one contract,
// read together when checking the sandbox against API.md §0.4–§0.5 and §3.

import { authorizeCall } from './auth.js';
import type { SandboxContext } from './context.js';
import {
  acceptCreatePayment,
  amountShape,
  customerPhoneShape,
  REFERENCE_PATTERN,
} from './create-payment-rules.js';
import { integerReferenceText } from './exact-reference.js';
import {
  decodePathSegment,
  header,
  type JsonBody,
  json,
  parseJsonBody,
  type Reply,
  type SandboxRequest,
} from './http.js';
import { fingerprint } from './idempotency.js';
import { flag, type Issue, isRecord, object, optional, required, type Shape, text } from './json-shape.js';
import { newQrToken, qrRedirectUrl } from './payment-qr.js';
import { type Amount, aggregateOf, CustomerActionRefused, type Payment } from './payments.js';
import { domainProblem, invalidRequest, ProblemError, renderProblem } from './problem.js';
import type { SlidingWindowLimiter } from './rate-limit.js';
import { type ModifyOperation, refusalProblem } from './refusals.js';
import type { SalesUnit } from './sales-units.js';
import { type EpaymentHeaders, type IdempotencyKeyUse, readEpaymentHeaders } from './vipps-headers.js';

interface Call {
  readonly context: SandboxContext;
  readonly request: SandboxRequest;
  readonly route: Route;
  readonly headers: EpaymentHeaders;
  readonly salesUnit: SalesUnit;
  /** From the path; create has none (its reference is in the body). */
  readonly reference: string;
}

type BodyUse = 'required' | 'optional' | 'none';

interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  readonly limit: 'change' | 'read' | 'none';
  readonly idempotencyKey: IdempotencyKeyUse;
  /** What an Idempotency-Key is remembered for. */
  readonly operation?: 'create' | ModifyOperation;
  readonly body: BodyUse;
  /** Create: a `reference` sent as a JSON number is read as its exact digits. */
  readonly numericReference?: true;
  readonly run: (call: Call, body: unknown) => Reply;
}

// Case-insensitive, as Vipps' gateway matches paths; the reference itself keeps its case.
const paymentsPath = (suffix: string) => new RegExp(`^/epayment/v1/payments${suffix}$`, 'i');
const REFERENCE = '/([^/]+)';

const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    pattern: paymentsPath(''),
    limit: 'change',
    idempotencyKey: 'required',
    operation: 'create',
    body: 'required',
    numericReference: true,
    run: createPayment,
  },
  {
    method: 'GET',
    pattern: paymentsPath(REFERENCE),
    limit: 'read',
    idempotencyKey: 'ignored',
    body: 'none',
    run: getPayment,
  },
  {
    method: 'GET',
    pattern: paymentsPath(`${REFERENCE}/events`),
    limit: 'read',
    idempotencyKey: 'ignored',
    body: 'none',
    run: getEvents,
  },
  {
    method: 'POST',
    pattern: paymentsPath(`${REFERENCE}/capture`),
    limit: 'change',
    idempotencyKey: 'required',
    operation: 'capture',
    body: 'required',
    run: moveMoney('capture', '4010'),
  },
  {
    method: 'POST',
    pattern: paymentsPath(`${REFERENCE}/cancel`),
    limit: 'change',
    idempotencyKey: 'accepted',
    operation: 'cancel',
    body: 'optional',
    run: cancel,
  },
  {
    method: 'POST',
    pattern: paymentsPath(`${REFERENCE}/refund`),
    limit: 'change',
    idempotencyKey: 'required',
    operation: 'refund',
    body: 'required',
    run: moveMoney('refund', '4150'),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/epayment/v1/test/payments${REFERENCE}/approve$`, 'i'),
    limit: 'none',
    idempotencyKey: 'ignored',
    body: 'required',
    run: forceApprove,
  },
];

/** Answers an ePayment call, or returns undefined when the path is not an ePayment operation. */
export function serveEpayment(context: SandboxContext, request: SandboxRequest): Reply | undefined {
  for (const candidate of ROUTES) {
    const match = candidate.method === request.method ? candidate.pattern.exec(request.path) : null;
    if (match !== null) return answer(context, request, candidate, decodePathSegment(match[1] ?? ''));
  }
  return undefined;
}

function answer(context: SandboxContext, request: SandboxRequest, route: Route, reference: string): Reply {
  authorizeCall(context, request);
  try {
    const parsed = parseJsonBody(request);
    const body = route.numericReference === true ? withExactReference(parsed, request) : parsed;
    const limited = rateLimited(context, request, route.limit, reference || referenceIn(body));
    if (limited !== undefined) return refusedBeforeRunning(context, request, route, reference, body, limited);
    const headers = readEpaymentHeaders(
      request,
      (msn) => context.salesUnits.get(msn) !== undefined,
      route.idempotencyKey,
    );
    const salesUnit = context.salesUnits.get(headers.merchantSerialNumber);
    if (salesUnit === undefined || !salesUnit.epayment) {
      // The gateway's answer for keys whose sales unit lacks the ePayment product (API.md §0.3).
      throw new ProblemError(403, 'Merchant Not Allowed', 'Merchant Not Allowed for Ecommerce Payment');
    }
    if (reference !== '' && !REFERENCE_PATTERN.test(reference)) {
      throw invalidRequest([{ field: 'reference', reason: `must match ${REFERENCE_PATTERN.source}` }]);
    }
    requireOwnPayment(context, reference, salesUnit);
    const call = { context, request, route, headers, salesUnit, reference };
    return route.run(call, acceptBody(body, route.body));
  } catch (error) {
    if (error instanceof ProblemError) return renderProblem(error, request.path);
    throw error;
  }
}

/** Another sales unit's payment is as unknown to this one as a reference never used. */
function requireOwnPayment(context: SandboxContext, reference: string, salesUnit: SalesUnit): void {
  const payment = reference === '' ? undefined : context.payments.get(reference);
  if (payment !== undefined && payment.merchantSerialNumber !== salesUnit.merchantSerialNumber) {
    throw domainProblem('5090', `No payment with reference ${reference} for this merchant.`, { status: 404 });
  }
}

/**
 * A refusal given before the operation ran (the rate limit). When "come back later" answers are
 * remembered, it is kept under the call's Idempotency-Key if that key is still unused, so a retry with
 * the same key gets it again.
 */
function refusedBeforeRunning(
  context: SandboxContext,
  request: SandboxRequest,
  route: Route,
  reference: string,
  body: JsonBody,
  problem: ProblemError,
): Reply {
  const reply = renderProblem(problem, request.path);
  const key = header(request, 'Idempotency-Key');
  const msn = header(request, 'Merchant-Serial-Number');
  if (!remembers(context, problem) || route.operation === undefined || !key || msn === undefined)
    return reply;
  let accepted: unknown;
  try {
    accepted = acceptBody(body, route.body);
  } catch {
    return reply;
  }
  const scope = idempotencyScope(msn, route.operation, reference, key);
  context.idempotency.rememberIfUnused(scope, fingerprint(accepted), reply);
  return reply;
}

function idempotencyScope(msn: string, operation: string, reference: string, key: string): string {
  return [msn, operation, reference, key].join('\n');
}

/** Whether a refusal stays the answer for its Idempotency-Key. */
function remembers(context: SandboxContext, problem: ProblemError): boolean {
  if (problem.retry === 'same-key') return false;
  if (problem.retry === 'later') return context.idempotency.rememberRetryLater;
  return true;
}

function acceptBody(body: JsonBody, use: BodyUse): unknown {
  if (use === 'none') return undefined;
  if (body.kind === 'json') return body.value;
  if (body.kind === 'empty' && use === 'optional') return {};
  const issue: Issue =
    body.kind === 'empty'
      ? { field: 'body', reason: 'is required' }
      : { field: body.reason.startsWith('Content-Type') ? 'Content-Type' : 'body', reason: body.reason };
  throw invalidRequest([issue]);
}

/** A numeric `reference` becomes the string of its exact digits, as Vipps evidently takes it. */
function withExactReference(body: JsonBody, request: SandboxRequest): JsonBody {
  if (body.kind !== 'json' || !isRecord(body.value) || typeof body.value['reference'] !== 'number')
    return body;
  const digits = integerReferenceText(request.rawBody.toString('utf8'));
  return digits === undefined ? body : { kind: 'json', value: { ...body.value, reference: digits } };
}

/** The gateway reads `reference` from a create body; without one, every such call shares one window. */
function referenceIn(body: JsonBody): string {
  if (body.kind !== 'json' || !isRecord(body.value)) return '';
  const reference = body.value['reference'];
  return typeof reference === 'string' ? reference : '';
}

function rateLimited(
  context: SandboxContext,
  request: SandboxRequest,
  limit: Route['limit'],
  reference: string,
): ProblemError | undefined {
  const limiters: Record<Route['limit'], [SlidingWindowLimiter, string] | undefined> = {
    change: [context.changeLimit, header(request, 'Merchant-Serial-Number') ?? ''],
    read: [context.readLimit, header(request, 'Ocp-Apim-Subscription-Key') ?? ''],
    none: undefined,
  };
  const chosen = limiters[limit];
  if (chosen === undefined) return undefined;
  const [limiter, owner] = chosen;
  const retryAfter = limiter.take(`${owner}\n${reference}`);
  if (retryAfter === undefined) return undefined;
  return new ProblemError(
    429,
    'Too Many Requests',
    `Rate limit exceeded for ${reference || 'this call'}.`,
    [],
    {
      retry: 'later',
      headers: { 'retry-after': String(retryAfter) },
    },
  );
}

function readShape<T>(shape: Shape<T>, body: unknown): T {
  const issues: Issue[] = [];
  const value = shape.read(body, '', issues);
  if (value === undefined) throw invalidRequest(issues);
  return value;
}

/**
 * Runs an operation once per Idempotency-Key. A refusal is remembered like a success ("a 4xx stays 4xx for
 * that key", API.md §0.5) except 6260/6280, which Vipps asks to be retried with the same key, and — when
 * switched so — the "come back later" ones.
 */
function once(call: Call, body: unknown, conflict: () => Error, run: () => Reply): Reply {
  const key = call.headers.idempotencyKey;
  const operation = call.route.operation;
  if (key === null || operation === undefined) return run();
  const scope = idempotencyScope(call.headers.merchantSerialNumber, operation, call.reference, key);
  const remembered = () => {
    try {
      return run();
    } catch (error) {
      if (error instanceof ProblemError && remembers(call.context, error)) {
        return renderProblem(error, call.request.path);
      }
      throw error;
    }
  };
  return call.context.idempotency.run(scope, fingerprint(body), remembered, conflict);
}

function keyReused(code: '4010' | '4020' | '4150'): () => Error {
  return () =>
    domainProblem(code, 'This Idempotency-Key was already used with a different body.', {
      status: 409,
      title: 'Idempotency conflict',
    });
}

function paymentView(payment: Payment) {
  return {
    aggregate: aggregateOf(payment),
    amount: payment.amount,
    state: payment.state,
    paymentMethod: { type: payment.paymentMethodType },
    profile: {},
    pspReference: payment.pspReference,
    reference: payment.reference,
    ...(payment.metadata === undefined ? {} : { metadata: payment.metadata }),
  };
}

function modificationView(payment: Payment) {
  return {
    amount: payment.amount,
    state: payment.state,
    aggregate: aggregateOf(payment),
    pspReference: payment.pspReference,
    reference: payment.reference,
  };
}

function createPayment(call: Call, body: unknown): Reply {
  return once(call, body, keyReused('4020'), () => {
    const accepted = acceptCreatePayment(body, call.context.customers, call.salesUnit);
    const { reference, amount, paymentMethod, metadata, userFlow } = accepted.body;
    const qrToken = userFlow === 'QR' ? newQrToken() : null;
    call.context.payments.create({
      merchantSerialNumber: call.salesUnit.merchantSerialNumber,
      reference,
      amount,
      paymentMethodType: paymentMethod.type,
      customerMsisdn: accepted.customerMsisdn,
      metadata,
      request: body,
      idempotencyKey: call.headers.idempotencyKey,
      qrToken,
    });
    // A push goes straight to the phone; a QR is for whoever scans it (payment-qr.ts); the redirect flows
    // send the customer to a page where anyone can pay.
    if (userFlow === 'PUSH_MESSAGE') return json(201, { reference });
    if (qrToken !== null) {
      return json(201, {
        reference,
        redirectUrl: qrRedirectUrl(call.request, qrToken, accepted.body.qrFormat),
      });
    }
    return json(201, {
      reference,
      redirectUrl: `http://${header(call.request, 'host') ?? 'localhost'}/phone`,
    });
  });
}

function getPayment(call: Call): Reply {
  return json(200, paymentView(call.context.payments.getOrThrow(call.reference)));
}

function getEvents(call: Call): Reply {
  return json(200, call.context.payments.getOrThrow(call.reference).events);
}

/** Capture and refund zero would move nothing; the sandbox treats it as a client bug. */
const modificationShape = object({ modificationAmount: required(amountShape(1)) });

/** Capture and refund share their shape and rules; only the payment's bookkeeping differs. */
function moveMoney(operation: 'capture' | 'refund', conflictCode: '4010' | '4150'): Route['run'] {
  return (call, body) =>
    once(call, body, keyReused(conflictCode), () => {
      const { modificationAmount } = readShape(modificationShape, body);
      refuseIfSwitched(call, operation, modificationAmount);
      const payment = call.context.payments[operation](
        call.reference,
        modificationAmount,
        call.headers.idempotencyKey,
      );
      return json(200, modificationView(payment));
    });
}

/** A per-payment switch (423, 6160, 6250, 6260, 6280) answers this call; a failed capture is logged. */
function refuseIfSwitched(call: Call, operation: ModifyOperation, amount?: Amount): void {
  const { payments, refusals } = call.context;
  payments.getOrThrow(call.reference);
  const answer = refusals.take(call.reference, operation);
  if (answer === undefined) return;
  if (operation === 'capture' && amount !== undefined && (answer === '6260' || answer === '6280')) {
    payments.failCapture(call.reference, amount, call.headers.idempotencyKey);
  }
  throw refusalProblem(answer, operation);
}

const cancelShape = object({ cancelTransactionOnly: optional(flag()) });

function cancel(call: Call, body: unknown): Reply {
  return once(call, body, keyReused('4020'), () => {
    const { cancelTransactionOnly = false } = readShape(cancelShape, body);
    refuseIfSwitched(call, 'cancel');
    const payment = call.context.payments.cancel(
      call.reference,
      cancelTransactionOnly,
      call.headers.idempotencyKey,
    );
    return json(200, modificationView(payment));
  });
}

const forceApproveShape = object({
  customer: optional(object({ phoneNumber: required(customerPhoneShape) })),
  token: optional(text()),
});

/** Test-environment shortcut: approve as the customer without the app (API.md §3.9). */
function forceApprove(call: Call, body: unknown): Reply {
  const { payments, customers } = call.context;
  payments.getOrThrow(call.reference);
  const approval = readShape(forceApproveShape, body);
  const phoneNumber = approval.customer?.phoneNumber;
  if (phoneNumber === undefined) {
    throw domainProblem(
      '10020',
      'The sandbox approves by customer.phoneNumber; it issues no landing-page tokens.',
    );
  }
  if (customers.byMsisdn(phoneNumber) === undefined) {
    throw domainProblem('7010', 'No test customer has that phone number.');
  }
  try {
    payments.approve(call.reference, phoneNumber);
  } catch (error) {
    if (error instanceof CustomerActionRefused) throw domainProblem('10020', error.message);
    throw error;
  }
  return { status: 200 };
}
