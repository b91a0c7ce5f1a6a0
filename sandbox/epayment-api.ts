// The ePayment v1 routes (API.md §3). Each call passes, in order: the gateway (subscription key, bearer
// token, rate limit), the headers, the body, and then the operation — under its Idempotency-Key when it has one.

import { authorizeCall } from './auth.js';
import type { SandboxContext } from './context.js';
import {
  acceptCreatePayment,
  amountShape,
  customerPhoneShape,
  REFERENCE_PATTERN,
} from './create-payment-rules.js';
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
import { aggregateOf, CustomerActionRefused, type Payment } from './payments.js';
import { domainProblem, invalidRequest, ProblemError, renderProblem } from './problem.js';
import type { SlidingWindowLimiter } from './rate-limit.js';
import { type EpaymentHeaders, type IdempotencyKeyUse, readEpaymentHeaders } from './vipps-headers.js';

interface Call {
  readonly context: SandboxContext;
  readonly request: SandboxRequest;
  readonly headers: EpaymentHeaders;
  /** From the path; create has none (its reference is in the body). */
  readonly reference: string;
}

type BodyUse = 'required' | 'optional' | 'none';

interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  readonly limit: 'change' | 'read' | 'none';
  readonly idempotencyKey: IdempotencyKeyUse;
  readonly body: BodyUse;
  readonly run: (call: Call, body: unknown) => Reply;
}

const paymentsPath = (suffix: string) => new RegExp(`^/epayment/v1/payments${suffix}$`);
const REFERENCE = '/([^/]+)';

const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    pattern: paymentsPath(''),
    limit: 'change',
    idempotencyKey: 'required',
    body: 'required',
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
    body: 'required',
    run: moveMoney('capture', '4010'),
  },
  {
    method: 'POST',
    pattern: paymentsPath(`${REFERENCE}/cancel`),
    limit: 'change',
    idempotencyKey: 'accepted',
    body: 'optional',
    run: cancel,
  },
  {
    method: 'POST',
    pattern: paymentsPath(`${REFERENCE}/refund`),
    limit: 'change',
    idempotencyKey: 'required',
    body: 'required',
    run: moveMoney('refund', '4150'),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/epayment/v1/test/payments${REFERENCE}/approve$`),
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
    const body = parseJsonBody(request);
    enforceRateLimit(context, request, route.limit, reference || referenceIn(body));
    const headers = readEpaymentHeaders(request, context.credentials, route.idempotencyKey);
    if (reference !== '' && !REFERENCE_PATTERN.test(reference)) {
      throw invalidRequest([{ field: 'reference', reason: `must match ${REFERENCE_PATTERN.source}` }]);
    }
    return route.run({ context, request, headers, reference }, acceptBody(body, route.body));
  } catch (error) {
    if (error instanceof ProblemError) return renderProblem(error, request.path);
    throw error;
  }
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

/** The gateway reads `reference` from a create body; without one, every such call shares one window. */
function referenceIn(body: JsonBody): string {
  if (body.kind !== 'json' || !isRecord(body.value)) return '';
  const reference = body.value['reference'];
  return typeof reference === 'string' ? reference : '';
}

function enforceRateLimit(
  context: SandboxContext,
  request: SandboxRequest,
  limit: Route['limit'],
  reference: string,
) {
  const limiters: Record<Route['limit'], [SlidingWindowLimiter, string] | undefined> = {
    change: [context.changeLimit, header(request, 'Merchant-Serial-Number') ?? ''],
    read: [context.readLimit, header(request, 'Ocp-Apim-Subscription-Key') ?? ''],
    none: undefined,
  };
  const chosen = limiters[limit];
  if (chosen === undefined) return;
  const [limiter, owner] = chosen;
  const retryAfter = limiter.take(`${owner}\n${reference}`);
  if (retryAfter !== undefined) {
    throw new ProblemError(
      429,
      'Too Many Requests',
      `Rate limit exceeded for ${reference || 'this call'}.`,
      [],
      {
        transient: true,
        headers: { 'retry-after': String(retryAfter) },
      },
    );
  }
}

function readShape<T>(shape: Shape<T>, body: unknown): T {
  const issues: Issue[] = [];
  const value = shape.read(body, '', issues);
  if (value === undefined) throw invalidRequest(issues);
  return value;
}

/**
 * Runs an operation once per Idempotency-Key. A refusal is remembered like a success ("a 4xx stays 4xx for
 * that key", API.md §0.5) unless it is transient, which must stay retryable with the same key.
 */
function once(call: Call, operation: string, body: unknown, conflict: () => Error, run: () => Reply): Reply {
  const key = call.headers.idempotencyKey;
  if (key === null) return run();
  const scope = [call.headers.merchantSerialNumber, operation, call.reference, key].join('\n');
  const remembered = () => {
    try {
      return run();
    } catch (error) {
      if (error instanceof ProblemError && !error.transient) return renderProblem(error, call.request.path);
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
  return once(call, 'create', body, keyReused('4020'), () => {
    const accepted = acceptCreatePayment(body, call.context.customers);
    const { reference, amount, paymentMethod, metadata, userFlow } = accepted.body;
    call.context.payments.create({
      reference,
      amount,
      paymentMethodType: paymentMethod.type,
      customerMsisdn: accepted.customerMsisdn,
      metadata,
      request: body,
      idempotencyKey: call.headers.idempotencyKey,
    });
    // A push goes straight to the phone; the other flows send the customer to a page where anyone can pay.
    if (userFlow === 'PUSH_MESSAGE') return json(201, { reference });
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
    once(call, operation, body, keyReused(conflictCode), () => {
      const { modificationAmount } = readShape(modificationShape, body);
      const payment = call.context.payments[operation](
        call.reference,
        modificationAmount,
        call.headers.idempotencyKey,
      );
      return json(200, modificationView(payment));
    });
}

const cancelShape = object({ cancelTransactionOnly: optional(flag()) });

function cancel(call: Call, body: unknown): Reply {
  return once(call, 'cancel', body, keyReused('4020'), () => {
    const { cancelTransactionOnly = false } = readShape(cancelShape, body);
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
