// The sandbox's test users: the only people a payment can be sent to, as in the Vipps test environment where
// test users are created per sales unit (API.md §9). Each has both personal QR formats (API.md §2.1): the
// deprecated clear-text v1 code that ends in the MSISDN, and a tokenized v2 code that reveals nothing.
// The profile (sub, email, birthdate, address) is what Vipps Login's userinfo releases per scope.

export interface TestAddress {
  street_address: string;
  postal_code: string;
  region: string;
  country: string;
}

export interface TestCustomer {
  name: string;
  msisdn: string;
  personalQrV1: string;
  personalQrV2: string;
  /** Vipps' stable user id for the sales unit (the Login `sub`). */
  sub: string;
  email: string;
  birthdate: string;
  address: TestAddress;
}

interface Profile {
  readonly sub: string;
  readonly email: string;
  readonly birthdate: string;
  readonly address: TestAddress;
}

export type QrVersion = '1.0' | '2.0';

export interface PersonalQrMatch {
  readonly customer: TestCustomer;
  readonly version: QrVersion;
}

function testCustomer(name: string, msisdn: string, qrToken: string, profile: Profile): TestCustomer {
  return {
    name,
    msisdn,
    personalQrV1: `https://qr.vipps.no/28/2/01/031/${msisdn}?v=1`,
    personalQrV2: `https://qr.vipps.no/p/${qrToken}`,
    ...profile,
  };
}

const oslo = (street: string, postalCode: string): TestAddress => ({
  street_address: street,
  postal_code: postalCode,
  region: 'Oslo',
  country: 'NO',
});

// Tokens and subs are fixed so tests, fixtures, club databases and a printed demo sheet of QR codes stay
// valid across restarts.
export const TEST_CUSTOMERS: readonly TestCustomer[] = [
  testCustomer('Kari Nordmann', '4791234567', 'UKW7tX4psZtwVUayqIydBmIh', {
    sub: '5c7f3e2a-91d4-4b6e-a0f8-1d2c3b4a5e61',
    email: 'kari.nordmann@example.com',
    birthdate: '1985-03-14',
    address: oslo('Storgata 1', '0155'),
  }),
  testCustomer('Ola Nordmann', '4798765432', 'sZY46wT3KpAktP3W4x54srsO', {
    sub: '8a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d',
    email: 'ola.nordmann@example.com',
    birthdate: '1979-11-02',
    address: oslo('Karl Johans gate 22', '0159'),
  }),
  testCustomer('Ingrid Berg', '4741234500', 'nNHWkRYuXv7DDslnvlS9I3oq', {
    sub: 'f350ef33-6b2a-4c1d-8e9f-a0b1c2d3e4f5',
    email: 'ingrid.berg@example.com',
    birthdate: '1992-07-21',
    address: oslo('Thorvald Meyers gate 5', '0555'),
  }),
  testCustomer('Lars Haugen', '4790011223', '0f-ogbU6kyfkuytLTmwm8gPT', {
    sub: '2d4f6a8c-0e1b-4d3f-b5a7-c9e1f3a5b7d9',
    email: 'lars.haugen@example.com',
    birthdate: '1968-01-30',
    address: oslo('Bogstadveien 40', '0366'),
  }),
  testCustomer('Sofie Johansen', '4745566778', 'AfIyo70-hTBrCVrA6WZ01E63', {
    sub: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
    email: 'sofie.johansen@example.com',
    birthdate: '2001-09-09',
    address: oslo('Grønlandsleiret 3', '0190'),
  }),
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
