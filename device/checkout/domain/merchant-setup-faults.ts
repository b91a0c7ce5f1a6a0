import type { OutOfOrder } from '../../../contracts/screen-model.js';
import type { Currency } from '../../../contracts/vipps-types.js';
import { VippsApiError, VippsAuthError } from '../../vipps/errors.js';

// Vipps answers that say the sales unit, or the kiosk's keys for it, are not set up to take these
// payments. No customer can pay here until staff or Vipps MobilePay fix it, so they are not a customer's
// decline: the kiosk goes out of order with the code and what to ask, and HQ gets an alert with the same
// words. Read by HTTP status and numeric ErrorCode, never by Vipps' text (API.md §0.3). Each text says
// what is wrong and whom to ask; none carries anything from the request (no reference, no customer).

export interface SalesUnit {
  /** The merchant serial number the kiosk sells for (`vipps.merchantSerialNumber`). */
  msn: string;
  /** The catalog's currency, the one the payment asked for. */
  currency: Currency;
}

type Fault = (unit: SalesUnit) => OutOfOrder;

const KEYS_REFUSED = 'vipps-keys-refused';
const MERCHANT_NOT_ALLOWED = 'vipps-merchant-not-allowed';

/** By ePayment ErrorCode: API.md §0.3, from Vipps' error table [AGT-ERR] and changelog. */
const BY_ERROR_CODE: Readonly<Record<string, Fault>> = {
  // "PUSH_MESSAGE not allowed — the sales unit needs approval to skip the landing page" (§0.3, §3.1).
  '5080': ({ msn }) => ({
    code: 'vipps-5080',
    message:
      `Vipps error 5080: the sales unit (MSN ${msn}) is not approved for push payments (PUSH_MESSAGE, ` +
      `"skip landing page"). Ask Vipps MobilePay to enable push payments for MSN ${msn}.`,
  }),
  // "Currency not valid for merchant": the currency must match the sales unit's market (§0.2, §0.3).
  '5040': ({ msn, currency }) => ({
    code: 'vipps-5040',
    message:
      `Vipps error 5040: the sales unit (MSN ${msn}) does not take payments in ${currency}. Check that ` +
      "the kiosk's catalog market matches the sales unit (NOK for Norway, DKK for Denmark, EUR for " +
      `Finland), or ask Vipps MobilePay which currency MSN ${msn} is set up for.`,
  }),
  // "Payment cannot be created (precondition / merchant setup)", HTTP 422 since ePayment 1.6.0 (§0.3).
  '5070': ({ msn }) => ({
    code: 'vipps-5070',
    message:
      `Vipps error 5070: Vipps will not create payments for the sales unit (MSN ${msn}); its setup is not ` +
      `complete. Ask Vipps MobilePay what MSN ${msn} is missing.`,
  }),
  // "Invalid URL (returnUrl etc.)" (§0.3). The kiosk sends no URL with a push payment (§3.1), so Vipps
  // asking for one is a matter of the sales unit's setup, not of this payment.
  '4090': ({ msn }) => ({
    code: 'vipps-4090',
    message:
      `Vipps error 4090: Vipps refused the payment for an invalid URL, though the kiosk sends none with ` +
      `push payments. Ask Vipps MobilePay whether MSN ${msn} needs a return URL for push payments.`,
  }),
};

/** 403 from ePayment: the sales unit lacks the product ("Merchant Not Allowed for Ecommerce Payment", §0.3 [KB-ERR]). */
const merchantNotAllowed: Fault = ({ msn }) => ({
  code: MERCHANT_NOT_ALLOWED,
  message:
    `Vipps refused the sales unit (MSN ${msn}) with 403 "Merchant not allowed": it does not have the ` +
    `ePayment API. Ask Vipps MobilePay to add ePayment to MSN ${msn}, and check that the kiosk has the ` +
    'keys of that sales unit.',
});

/** 401/403 on the access token, or on a call after a fresh token: the keys themselves (§1). */
const keysRefused =
  (status: number): Fault =>
  ({ msn }) => ({
    code: KEYS_REFUSED,
    message:
      `Vipps did not accept the kiosk's API keys${status >= 400 ? ` (HTTP ${status})` : ''}. Check the ` +
      'client id, client secret and ' +
      `subscription key in secrets.json against the business portal for MSN ${msn}, and that they are ` +
      'for this environment (test or production); then restart the kiosk.',
  });

/**
 * The out-of-order fault a Vipps error on the payment path (the access token, ePayment) means, or null
 * when it is not a fault of the sales unit's setup: a customer's refusal, an outage, a payment in a state
 * that forbids the call — the caller handles those. Not for Vipps Login errors: a club that cannot log
 * customers in still lets them pay.
 */
export function merchantSetupFault(error: unknown, unit: SalesUnit): OutOfOrder | null {
  if (error instanceof VippsAuthError) {
    // A 403 from API Management on an ePayment call: the subscription does not include the product.
    const fault =
      error.status === 403 && error.operation.name !== 'access token'
        ? merchantNotAllowed
        : keysRefused(error.status);
    return fault(unit);
  }
  if (!(error instanceof VippsApiError)) return null;
  const byCode = error.code === undefined ? undefined : BY_ERROR_CODE[error.code];
  if (byCode) return byCode(unit);
  if (error.code !== undefined) return null;
  // Without an ErrorCode: API Management's own 422, and ePayment's 403 for a sales unit without it.
  if (error.status === 422) return BY_ERROR_CODE['5070']!(unit);
  if (error.status === 403) return merchantNotAllowed(unit);
  return null;
}

/**
 * Whether reading a payment (any reference, one that does not exist included) meets the fault too: refused
 * keys fail at the token, a sales unit without ePayment answers 403 to every ePayment call. The kiosk
 * probes those with a read and comes back by itself once Vipps answers it. The others (5080, 5040, 5070,
 * 4090) show only on a create, which cannot be tried without a customer: they wait for staff.
 */
export function readShowsFault(fault: OutOfOrder): boolean {
  return fault.code === KEYS_REFUSED || fault.code === MERCHANT_NOT_ALLOWED;
}
