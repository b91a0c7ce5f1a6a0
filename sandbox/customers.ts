// The sandbox's test users: the only people a payment can be sent to, as in the Vipps test environment where
// test users are created per sales unit (API.md §9). Each has both personal QR formats (API.md §2.1): the
// deprecated clear-text v1 code that ends in the MSISDN, and a tokenized v2 code that reveals nothing.

export interface TestCustomer {
  name: string;
  msisdn: string;
  personalQrV1: string;
  personalQrV2: string;
}

export type QrVersion = '1.0' | '2.0';

export interface PersonalQrMatch {
  readonly customer: TestCustomer;
  readonly version: QrVersion;
}

function testCustomer(name: string, msisdn: string, qrToken: string): TestCustomer {
  return {
    name,
    msisdn,
    personalQrV1: `https://qr.vipps.no/28/2/01/031/${msisdn}?v=1`,
    personalQrV2: `https://qr.vipps.no/p/${qrToken}`,
  };
}

// Tokens are fixed so tests, fixtures and a printed demo sheet of QR codes stay valid across restarts.
export const TEST_CUSTOMERS: readonly TestCustomer[] = [
  testCustomer('Kari Nordmann', '4791234567', 'UKW7tX4psZtwVUayqIydBmIh'),
  testCustomer('Ola Nordmann', '4798765432', 'sZY46wT3KpAktP3W4x54srsO'),
  testCustomer('Ingrid Berg', '4741234500', 'nNHWkRYuXv7DDslnvlS9I3oq'),
  testCustomer('Lars Haugen', '4790011223', '0f-ogbU6kyfkuytLTmwm8gPT'),
  testCustomer('Sofie Johansen', '4745566778', 'AfIyo70-hTBrCVrA6WZ01E63'),
];

export class CustomerDirectory {
  constructor(private readonly customers: readonly TestCustomer[]) {}

  list(): readonly TestCustomer[] {
    return this.customers;
  }

  byMsisdn(msisdn: string): TestCustomer | undefined {
    return this.customers.find((customer) => customer.msisdn === msisdn);
  }

  /** Only the complete scanned content matches: clients must send the whole code, never a parsed part. */
  byPersonalQr(code: string): PersonalQrMatch | undefined {
    for (const customer of this.customers) {
      if (customer.personalQrV1 === code) return { customer, version: '1.0' };
      if (customer.personalQrV2 === code) return { customer, version: '2.0' };
    }
    return undefined;
  }
}
