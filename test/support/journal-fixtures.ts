import type { CreatePaymentRequest } from '../../contracts/vipps-types.js';

/** A small valid create request whose receipt number is read from the reference `<kiosk>-<receipt>-<attempt>`. */
export function journalRequest(reference: string, value = 4990): CreatePaymentRequest {
  return {
    amount: { currency: 'NOK', value },
    paymentMethod: { type: 'WALLET' },
    customer: { phoneNumber: '4791234567' },
    customerInteraction: 'CUSTOMER_PRESENT',
    reference,
    userFlow: 'PUSH_MESSAGE',
    paymentDescription: 'Butikken: 1 vare',
    receipt: {
      orderLines: [
        {
          name: 'Kaffe',
          id: '2000000000039',
          totalAmount: value,
          totalAmountExcludingTax: value,
          totalTaxAmount: 0,
          taxRate: 0,
        },
      ],
      bottomLine: { currency: 'NOK', posId: 'k-1', receiptNumber: reference.split('-').at(-2)! },
    },
  };
}
