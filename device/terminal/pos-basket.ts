import type { PaymentRequest, ProblemCode } from '../../contracts/terminal-api.js';
import type { Customer } from '../../contracts/vipps-types.js';
import { type Basket, MAX_BASKET_TOTAL } from '../checkout/domain/basket.js';
import type { Market } from '../checkout/domain/market.js';
import { VAT_CLASSES, VAT_RATES, type VatClass } from '../checkout/domain/vat.js';

// A POS's payment request as the checkout's basket: its lines become the basket's lines (so the receipt
// Vipps shows is built exactly as for the kiosk's own sales, VAT split and all), after the checks a
// kiosk's own basket passes by construction: the market's currency, its VAT rates, and sums that add up.

export type PosBasket =
  | { ok: true; basket: Basket; customer: Customer | null; msisdn: string | null }
  | { ok: false; code: ProblemCode; field: string; detail: string };

function vatClassOf(market: Market, rate: number): VatClass | undefined {
  const rates = VAT_RATES[market.country];
  return VAT_CLASSES.find((vatClass) => rates[vatClass] === rate);
}

export function posBasket(request: PaymentRequest, market: Market): PosBasket {
  if (request.amount.currency !== market.currency) {
    return {
      ok: false,
      code: 'wrong-currency',
      field: 'amount.currency',
      detail: `this kiosk takes payments in ${market.currency} only (its Vipps sales unit's currency), not ${request.amount.currency}`,
    };
  }
  const seen = new Set<string>();
  const lines: Basket['lines'][number][] = [];
  for (const [index, line] of request.lines.entries()) {
    const vatClass = vatClassOf(market, line.vatRate);
    if (vatClass === undefined) {
      const rates = Object.values(VAT_RATES[market.country]).join(', ');
      return {
        ok: false,
        code: 'wrong-vat',
        field: `lines.${index}.vatRate`,
        detail: `${line.vatRate} is not a VAT rate of ${market.country}; expected one of ${rates} (basis points: 2500 is 25 %)`,
      };
    }
    if (seen.has(line.id)) {
      return {
        ok: false,
        code: 'invalid-request',
        field: `lines.${index}.id`,
        detail: `line id "${line.id}" comes twice; put the quantity on one line`,
      };
    }
    seen.add(line.id);
    lines.push({
      product: { gtin: line.id, name: line.name, unitPrice: line.unitPrice, vatClass },
      quantity: line.quantity,
      memberDiscountPerUnit: 0,
    });
  }
  const total = request.lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  if (total !== request.amount.value) {
    return {
      ok: false,
      code: 'wrong-total',
      field: 'amount.value',
      detail: `the lines add up to ${total} (quantity × unitPrice, minor units), but the amount is ${request.amount.value}`,
    };
  }
  if (total > MAX_BASKET_TOTAL) {
    return {
      ok: false,
      code: 'wrong-total',
      field: 'amount.value',
      detail: `Vipps takes at most ${MAX_BASKET_TOTAL} minor units per payment`,
    };
  }
  const { customer } = request;
  if (customer === undefined) return { ok: true, basket: { lines }, customer: null, msisdn: null };
  if ('phoneNumber' in customer) {
    return { ok: true, basket: { lines }, customer, msisdn: customer.phoneNumber };
  }
  return { ok: true, basket: { lines }, customer: { personalQr: customer.personalQr }, msisdn: null };
}
