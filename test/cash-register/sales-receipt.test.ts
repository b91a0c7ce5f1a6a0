import { describe, expect, it } from 'vitest';
import { DEMO_COMPANY } from '../../demo/demo-cash-register.js';
import {
  addProduct,
  emptyBasket,
  setMemberDiscount,
  setQuantity,
} from '../../device/checkout/domain/basket.js';
import { buildReceipt } from '../../device/checkout/domain/receipt.js';
import { type SaleFacts, salesReceipt } from '../../device/checkout/domain/sales-receipt.js';
import type { SaleCompleted } from '../../device/checkout/domain-events.js';
import { batteries, milk } from '../checkout/domain/fixtures.js';
import { CheckoutHarness } from '../support/checkout-harness.js';

// A sale with two VAT rates and a club discount: two milk (food, 15 %) at 3 kr off each for members, and
// batteries (25 %) at shelf price. Paid 7 December 2026 at 14:05:09 UTC, 15:05:09 in Oslo (winter time).
let basket = addProduct(addProduct(emptyBasket, milk), batteries);
basket = setMemberDiscount(setQuantity(basket, milk.gtin, 2), milk.gtin, 300);
const { orderLines } = buildReceipt(basket, {
  market: { country: 'NO', currency: 'NOK' },
  posId: 'kiosk-07',
  receiptNumber: '0000000042',
});
const sale: SaleFacts = {
  reference: 'kiosk-07-0000000042-1',
  receiptNumber: '0000000042',
  paidAt: Date.UTC(2026, 11, 7, 14, 5, 9),
  lines: orderLines,
  amount: 4380 + 7990,
  currency: 'NOK',
  pspReference: 'psp-8841',
};
const receipt = salesReceipt(sale, DEMO_COMPANY, 'kiosk-07');

describe('salesReceipt: the Salgskvittering of a sale (kassasystemforskrifta § 2-8-4)', () => {
  it.each([
    ['heading', receipt.heading, 'Salgskvittering'],
    ["seller's name", receipt.seller.name, 'Butikken Demo AS'],
    ['organisation number followed by MVA', receipt.seller.registration, 'Org.nr 999 999 999 MVA'],
    ['address', receipt.seller.address, ['Demoveien 1', '0150 Oslo']],
    ['date, Norwegian time', receipt.issued.date, '2026-12-07'],
    ['time, Norwegian time', receipt.issued.time, '15:05:09'],
    ['consecutive receipt number', receipt.receiptNumber, '0000000042'],
    ["the till's identity", receipt.kioskId, 'kiosk-07'],
    [
      'each item with quantity, price and the club discount',
      receipt.lines,
      [
        { name: 'Melk 1 l', quantity: 2, unitPrice: 2490, discount: 600, amount: 4380 },
        { name: 'Batterier AA 4 pk', quantity: 1, unitPrice: 7990, discount: 0, amount: 7990 },
      ],
    ],
    [
      'VAT per rate, highest first, with the amount it is on',
      receipt.vat,
      [
        { rate: 2500, base: 6392, amount: 1598 }, // 7990 / 1.25
        { rate: 1500, base: 3809, amount: 571 }, // 4380 / 1.15 = 3808.70
      ],
    ],
    ['total', [receipt.total, receipt.currency], [12370, 'NOK']],
    [
      'payment type, amount and the Vipps reference',
      receipt.payment,
      {
        type: 'Vipps MobilePay',
        amount: 12370,
        reference: 'kiosk-07-0000000042-1',
        pspReference: 'psp-8841',
      },
    ],
  ])('carries the %s', (_field, actual, expected) => {
    expect(actual).toEqual(expected);
  });

  it('adds up: the lines to the total, each rate base + VAT to its lines', () => {
    expect(receipt.lines.reduce((sum, line) => sum + line.amount, 0)).toBe(receipt.total);
    expect(receipt.vat.reduce((sum, vat) => sum + vat.base + vat.amount, 0)).toBe(receipt.total);
  });

  it('says MVA only for a seller registered for VAT', () => {
    const small = salesReceipt(sale, { ...DEMO_COMPANY, vatRegistered: false }, 'kiosk-07');
    expect(small.seller.registration).toBe('Org.nr 999 999 999');
  });

  it('gives the time on the Norwegian wall clock in summer too', () => {
    const summer = salesReceipt({ ...sale, paidAt: Date.UTC(2026, 5, 30, 22, 30, 0) }, DEMO_COMPANY, 'k');
    expect(summer.issued).toEqual({ date: '2026-07-01', time: '00:30:00' });
  });
});

describe('the approved screen of a kiosk that is a cash register', () => {
  it('carries the Salgskvittering of the very sale the journal records, pspReference included', async () => {
    const kiosk = await new CheckoutHarness({ seller: DEMO_COMPANY }).start();
    try {
      const sales: SaleCompleted[] = [];
      kiosk.service.onDomainEvent((event) => {
        if (event.type === 'sale.completed') sales.push(event);
      });
      const reference = await kiosk.startPayment();
      await kiosk.control.act(reference, 'approve');
      kiosk.advance(5_000);
      const model = await kiosk.until('approved');
      expect(sales).toHaveLength(1);
      const sale = sales[0]!;
      expect(sale.pspReference).not.toBeNull();
      expect(model.receipt?.sales).toEqual(salesReceipt(sale, DEMO_COMPANY, 'kiosk-07'));
      expect(model.receipt?.sales).toMatchObject({
        seller: { name: 'Butikken Demo AS', registration: 'Org.nr 999 999 999 MVA' },
        receiptNumber: '0000000001',
        kioskId: 'kiosk-07',
        total: 6780,
        payment: { type: 'Vipps MobilePay', reference, pspReference: sale.pspReference },
      });
    } finally {
      await kiosk.stop();
    }
  });
});
