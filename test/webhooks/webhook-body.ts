/** A webhook body as Vipps posts it for an ePayment event (API.md §5.3), with a customer's phone number. */
export function webhookBody(reference: string, name = 'AUTHORIZED', extra: Record<string, unknown> = {}) {
  return {
    msn: '123456',
    reference,
    pspReference: '7686f7788898767977',
    name,
    amount: { currency: 'NOK', value: 2490 },
    timestamp: '2026-11-23T14:01:02.345Z',
    idempotencyKey: null,
    success: true,
    userDetails: { phoneNumber: '4791234567' },
    ...extra,
  };
}
