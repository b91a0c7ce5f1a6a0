import type { ScanFeedback } from '../../contracts/screen-model.js';
import type { Customer } from '../../contracts/vipps-types.js';
import type { CheckoutContext, CheckoutEvent } from './checkout-types.js';
import { addProduct, type Basket, BasketError, removeLine, setQuantity } from './domain/basket.js';
import { withMemberPrices } from './domain/member-prices.js';
import { classifyScan } from './domain/scan.js';

type Changes = Pick<CheckoutContext, 'basket'> & { feedback: ScanFeedback };

function feedback(context: CheckoutContext, kind: ScanFeedback['kind'], subject?: string): ScanFeedback {
  return { seq: (context.feedback?.seq ?? 0) + 1, kind, ...(subject === undefined ? {} : { subject }) };
}

/**
 * What a scan does to the basket, and the feedback the customer sees for it. Every scan gets
 * feedback; only a known product changes the basket; nothing here talks to Vipps.
 */
export function applyScan(context: CheckoutContext, text: string): Changes {
  const scan = classifyScan(text);
  const { basket } = context;
  // Attended: the basket is the POS's; a customer QR reaches here only where it cannot pay (no payment runs).
  if (context.env.attended && scan.kind !== 'unrecognised') {
    return { basket, feedback: feedback(context, 'cashier-scans') };
  }
  switch (scan.kind) {
    case 'product': {
      const product = context.env.catalog.lookup(scan.gtin);
      if (!product) return { basket, feedback: feedback(context, 'unknown-item', scan.gtin) };
      try {
        const added = addProduct(basket, product);
        return {
          basket: memberPriced(context) ? withMemberPrices(added) : added,
          feedback: feedback(context, 'added', product.name),
        };
      } catch (error) {
        if (error instanceof BasketError)
          return { basket, feedback: feedback(context, 'basket-full', product.name) };
        throw error;
      }
    }
    case 'personal-qr':
      // Only reaches here where a customer QR cannot start a payment (an empty basket, say).
      return { basket, feedback: feedback(context, basket.lines.length > 0 ? 'customer' : 'ignored') };
    case 'unrecognised':
      return {
        basket,
        feedback: feedback(
          context,
          scan.hint === 'scanner-keyboard-layout' ? 'scanner-layout' : 'not-recognised',
        ),
      };
  }
}

/** A member pays member prices for what they scan after the club knew them, too. */
function memberPriced(context: CheckoutContext): boolean {
  return context.club.status === 'member' || context.club.status === 'joined';
}

/** The customer as Vipps wants them: the whole scanned text, never a number read out of it. */
export function customerFromScan(text: string): Customer | null {
  const scan = classifyScan(text);
  return scan.kind === 'personal-qr' ? { personalQr: scan.text } : null;
}

/** Quantity and removal taps; a refused change (quantity 0 or 100) leaves the basket as it was. */
export function applyBasketChange(context: CheckoutContext, event: CheckoutEvent): { basket: Basket } {
  try {
    if (event.type === 'set-quantity')
      return { basket: setQuantity(context.basket, event.gtin, event.quantity) };
    if (event.type === 'remove-line') return { basket: removeLine(context.basket, event.gtin) };
  } catch (error) {
    if (!(error instanceof BasketError)) throw error;
  }
  return { basket: context.basket };
}
