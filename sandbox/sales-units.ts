// The sales units (MSNs) the sandbox's API keys may act for: a Norwegian Vipps unit in NOK (the configured
// Merchant-Serial-Number) and MobilePay units in Denmark (DKK) and Finland (EUR), for the markets work.
// Each can be switched into the merchant setup faults Vipps answers for (API.md §0.3): no approval to
// skip the landing page (PUSH_MESSAGE, 5080), no ePayment product (403), a currency it does not take (5040).

import type { Market } from './customers.js';
import type { Currency } from './payments.js';

export interface SalesUnit {
  readonly merchantSerialNumber: string;
  readonly name: string;
  readonly market: Market;
  /** The market's currency. */
  readonly currency: Currency;
  /** Currencies a payment may be in; default the market's own. Anything else answers 5040. */
  currencies: Currency[];
  /** Approved to skip the landing page; false answers PUSH_MESSAGE creates with 5080. */
  pushMessage: boolean;
  /** Has the ePayment product; false answers every ePayment call with 403 "Merchant Not Allowed". */
  epayment: boolean;
}

export const DANISH_MSN = '234567';
export const FINNISH_MSN = '345678';

export interface SalesUnitSwitches {
  readonly currencies?: Currency[];
  readonly pushMessage?: boolean;
  readonly epayment?: boolean;
}

export class SalesUnits {
  private units: SalesUnit[] = [];

  constructor(private readonly norwegianMsn: string) {
    if (norwegianMsn === DANISH_MSN || norwegianMsn === FINNISH_MSN) {
      throw new RangeError(`merchantSerialNumber ${norwegianMsn} is taken by a MobilePay sales unit`);
    }
    this.reset();
  }

  /** Back to every unit fully set up. */
  reset(): void {
    const unit = (merchantSerialNumber: string, name: string, market: Market, currency: Currency) => ({
      merchantSerialNumber,
      name,
      market,
      currency,
      currencies: [currency],
      pushMessage: true,
      epayment: true,
    });
    this.units = [
      unit(this.norwegianMsn, `Sales unit ${this.norwegianMsn}`, 'NO', 'NOK'),
      unit(DANISH_MSN, `Sales unit ${DANISH_MSN} (MobilePay DK)`, 'DK', 'DKK'),
      unit(FINNISH_MSN, `Sales unit ${FINNISH_MSN} (MobilePay FI)`, 'FI', 'EUR'),
    ];
  }

  list(): readonly SalesUnit[] {
    return this.units;
  }

  get(merchantSerialNumber: string): SalesUnit | undefined {
    return this.units.find((unit) => unit.merchantSerialNumber === merchantSerialNumber);
  }

  /** Changes the named switches of one unit; undefined when there is no such unit. */
  configure(merchantSerialNumber: string, switches: SalesUnitSwitches): SalesUnit | undefined {
    const unit = this.get(merchantSerialNumber);
    if (unit === undefined) return undefined;
    if (switches.currencies !== undefined) unit.currencies = [...switches.currencies];
    if (switches.pushMessage !== undefined) unit.pushMessage = switches.pushMessage;
    if (switches.epayment !== undefined) unit.epayment = switches.epayment;
    return unit;
  }
}
