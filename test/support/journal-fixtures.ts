import type { PushPaymentRequest } from '../../contracts/vipps-types.js';
import { itemAt, paymentRequest } from './vipps-receipt.js';

/** A small valid create request whose receipt number is read from the reference `<kiosk>-<receipt>-<attempt>`. */
export function journalRequest(reference: string, value = 4990): PushPaymentRequest {
  return paymentRequest({
    reference,
    items: [itemAt(value, 0, 'Kaffe')],
    posId: 'k-1',
    receiptNumber: reference.split('-').at(-2)!,
    paymentDescription: 'Butikken: 1 vare',
  });
}
