import type { CreatePaymentRequest } from '../../contracts/vipps-types.js';

/**
 * What the journal keeps of a create request once the payment is settled: what the money needs to be
 * accounted for (the reference, the amount and currency, the receipt's lines and receipt number) and
 * nothing about who paid. A list of what stays rather than of what goes, so a field added to the request
 * later (and possibly personal) is dropped until someone decides the books need it.
 */
export interface SettledRequest {
  reference: string;
  amount: CreatePaymentRequest['amount'];
  receipt: CreatePaymentRequest['receipt'];
}

export function settledRequest(request: CreatePaymentRequest): SettledRequest {
  return { reference: request.reference, amount: request.amount, receipt: request.receipt };
}
