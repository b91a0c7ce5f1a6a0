import { expect, it } from 'vitest';
import { CLUB_ENROLMENT_OUTCOMES } from '../../contracts/telemetry.js';
import { hqEventOf } from '../../device/telemetry/kiosk-telemetry.js';

// What HQ hears of each checkout fact: the payloads of contracts/asyncapi.yaml, and nobody named.
// (Which facts the machine emits, and when, is test/checkout/machine-alone.test.ts.)

it('reports a sale with what reconciles it with Vipps', () => {
  const event = hqEventOf({
    type: 'sale.completed',
    reference: 'kiosk-07-0000000001-1',
    receiptNumber: '0000000001',
    paidAt: 0,
    lines: [
      {
        name: 'Melk',
        id: 'a',
        totalAmount: 4980,
        totalAmountExcludingTax: 3984,
        totalTaxAmount: 996,
        taxRate: 2500,
        unitInfo: { unitPrice: 2490, quantity: '2', quantityUnit: 'PCS' },
      },
      {
        name: 'Brød',
        id: 'b',
        totalAmount: 4290,
        totalAmountExcludingTax: 3432,
        totalTaxAmount: 858,
        taxRate: 2500,
      },
    ],
    amount: 9270,
    currency: 'NOK',
    vat: [{ rate: 2500, amount: 1854 }],
    memberSavings: 0,
    pspReference: 'psp-1',
  });
  expect(event).toEqual({
    type: 'checkout-completed',
    class: 'money',
    payload: {
      reference: 'kiosk-07-0000000001-1',
      receiptNumber: '0000000001',
      amount: 9270,
      currency: 'NOK',
      items: 3,
      vat: [{ rate: 2500, amount: 1854 }],
      memberSavings: 0,
    },
  });
});

it('reports declines and cancellations as money events, and a payment let go not at all', () => {
  expect(
    hqEventOf({
      type: 'payment.declined',
      reference: 'kiosk-07-0000000001-1',
      reason: 'rejected',
      amount: 2490,
    }),
  ).toEqual({
    type: 'checkout-declined',
    class: 'money',
    payload: { reference: 'kiosk-07-0000000001-1', reason: 'rejected', amount: 2490 },
  });
  expect(hqEventOf({ type: 'payment.cancelled', reference: 'kiosk-07-0000000001-2', amount: 2490 })).toEqual({
    type: 'checkout-cancelled',
    class: 'money',
    payload: { reference: 'kiosk-07-0000000001-2', amount: 2490 },
  });
  expect(hqEventOf({ type: 'payment.abandoned', reference: 'kiosk-07-0000000001-1' })).toBeUndefined();
});

it('reports each way a club offer ends with the saving it was about', () => {
  for (const outcome of CLUB_ENROLMENT_OUTCOMES) {
    expect(hqEventOf({ type: 'club.enrolment', outcome, basketSavings: 8000 }), outcome).toEqual({
      type: 'club-enrolment',
      class: 'info',
      payload: { outcome, basketSavings: 8000 },
    });
  }
});
