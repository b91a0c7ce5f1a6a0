// `/_sandbox/...`: what tests, the demo and the phone page use to look inside the sandbox and to act as the
// customer or as the network. No credentials, plain JSON, errors as `{ error }`.

import type { SandboxContext } from './context.js';
import { resetContext } from './context.js';
import { iso, readControlBody, refuse } from './control-body.js';
import { faultPlanShape } from './faults.js';
import { decodePathSegment, json, type Reply, type SandboxRequest } from './http.js';
import { decimal, flag, integer, object, optional, required, text } from './json-shape.js';
import { serveLoginControl } from './login-control.js';
import { qrTargetUrl, qrTokenOf } from './payment-qr.js';
import { aggregateOf, CustomerActionRefused, expiresAt, isProcessing, type Payment } from './payments.js';
import { serveSwitches } from './switch-control.js';

function paymentView(context: SandboxContext, payment: Payment) {
  return {
    reference: payment.reference,
    merchant: `Sales unit ${payment.merchantSerialNumber}`,
    merchantSerialNumber: payment.merchantSerialNumber,
    state: payment.state,
    processing: isProcessing(payment),
    amount: payment.amount,
    aggregate: aggregateOf(payment),
    customer: payment.customerMsisdn,
    request: payment.request,
    events: payment.events,
    createdAt: iso(payment.createdAt),
    openedAt: payment.openedAt === null ? null : iso(payment.openedAt),
    expiresAt: iso(expiresAt(payment)),
    refusals: context.refusals.pending(payment.reference),
  };
}

function clockView(context: SandboxContext) {
  const now = context.clock.now();
  return { now, iso: iso(now), speed: context.clock.getSpeed() };
}

const clockShape = object({
  advanceMs: optional(integer({ min: 0 })),
  speed: optional(decimal({ min: 0, max: 10_000 })),
});

/** `success: false`: the customer's approval fails (an AUTHORIZED event with success false). */
const approveShape = object({ msisdn: optional(text()), success: optional(flag()) });
const emptyShape = object({});

const CUSTOMER_ACTION = /^\/_sandbox\/payments\/([^/]+)\/(open|approve|reject)$/;

export function serveControl(context: SandboxContext, request: SandboxRequest): Reply {
  const { method, path } = request;
  const route = `${method} ${path}`;
  switch (route) {
    case 'GET /_sandbox/payments': {
      const msisdn = request.query.get('msisdn');
      const payments = context.payments
        .list()
        .filter((payment) => msisdn === null || payment.customerMsisdn === msisdn);
      return json(
        200,
        payments.map((payment) => paymentView(context, payment)),
      );
    }
    case 'GET /_sandbox/users': {
      // The Norwegian unit's customers unless asked for a market (or `all`), so clients of a NOK kiosk
      // (the demo) list only customers who can pay it.
      const market = request.query.get('market') ?? 'NO';
      const customers = context.customers.list();
      return json(200, market === 'all' ? customers : customers.filter((c) => c.market === market));
    }
    case 'GET /_sandbox/credentials':
      return json(200, context.credentials);
    case 'GET /_sandbox/clock':
      return json(200, clockView(context));
    case 'POST /_sandbox/clock': {
      const change = readControlBody(request, clockShape);
      if (change.speed !== undefined) context.clock.setSpeed(change.speed);
      if (change.advanceMs !== undefined) context.clock.advance(change.advanceMs);
      return json(200, clockView(context));
    }
    case 'GET /_sandbox/faults':
      return json(200, context.faults.describe());
    case 'POST /_sandbox/faults':
      context.faults.configure(readControlBody(request, faultPlanShape));
      return json(200, context.faults.describe());
    case 'DELETE /_sandbox/faults':
      context.faults.clear();
      return json(200, context.faults.describe());
    case 'GET /_sandbox/qr':
      return json(200, openQrCodes(context, request));
    case 'POST /_sandbox/qr/scan':
      return scanQr(context, readControlBody(request, scanShape));
    case 'POST /_sandbox/reset':
      readControlBody(request, emptyShape);
      resetContext(context);
      return { status: 204 };
  }
  const other = serveLoginControl(context, request) ?? serveSwitches(context, request);
  if (other !== undefined) return other;
  const action = method === 'POST' ? CUSTOMER_ACTION.exec(path) : null;
  if (action?.[1] !== undefined && action[2] !== undefined) {
    return actAsCustomer(context, request, decodePathSegment(action[1]), action[2]);
  }
  throw refuse(404, `no control route ${route}`);
}

const scanShape = object({ url: required(text()), msisdn: required(text()) });

/** The one-time payment QR codes nobody has scanned yet, for the phone page to pick one as if seen. */
function openQrCodes(context: SandboxContext, request: SandboxRequest) {
  return context.payments
    .list()
    .filter((payment) => payment.qrToken !== null && payment.state === 'CREATED' && payment.openedAt === null)
    .map((payment) => ({
      reference: payment.reference,
      merchant: `Sales unit ${payment.merchantSerialNumber}`,
      amount: payment.amount,
      url: qrTargetUrl(request, payment.qrToken ?? ''),
      expiresAt: iso(expiresAt(payment)),
    }));
}

/** A test customer's phone scans a payment's one-time QR: it is theirs to approve, as an opened push. */
function scanQr(context: SandboxContext, scan: { url: string; msisdn: string }): Reply {
  const token = qrTokenOf(scan.url);
  if (token === null) throw refuse(404, 'That is not a payment QR code of this sandbox.');
  const customer = context.customers.byMsisdn(scan.msisdn);
  if (customer === undefined) throw refuse(404, `no test customer ${scan.msisdn}`);
  const payment = context.payments.list().find((each) => each.qrToken === token);
  const unit = payment && context.salesUnits.get(payment.merchantSerialNumber);
  if (unit !== undefined && unit.market !== customer.market) {
    throw refuse(409, `${customer.name} cannot pay a sales unit in ${unit.market}.`);
  }
  try {
    return json(200, paymentView(context, context.payments.scanQr(token, customer.msisdn)));
  } catch (error) {
    if (error instanceof CustomerActionRefused) throw refuse(409, error.message);
    throw error;
  }
}

function actAsCustomer(
  context: SandboxContext,
  request: SandboxRequest,
  reference: string,
  action: string,
): Reply {
  const { payments } = context;
  if (payments.get(reference) === undefined) throw refuse(404, `no payment with reference ${reference}`);
  const perform = (): Payment => {
    if (action === 'open') return payments.open(reference);
    if (action === 'reject') return payments.reject(reference);
    const { msisdn, success = true } = readControlBody(request, approveShape);
    return success ? payments.approve(reference, msisdn) : payments.failAuthorization(reference);
  };
  try {
    return json(200, paymentView(context, perform()));
  } catch (error) {
    if (error instanceof CustomerActionRefused) throw refuse(409, error.message);
    throw error;
  }
}
