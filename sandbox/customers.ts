// The sandbox's test users: the only people a payment can be sent to, as in the Vipps test environment where
// test users belong to the sales unit's market (API.md §9). Vipps customers (Norway) have both personal QR
// formats (API.md §2.1): the deprecated clear-text v1 code that ends in the MSISDN, and a tokenized v2 code
// that reveals nothing; MobilePay customers (Denmark, Finland) have only the tokenized one.
// The profile (sub, email, birthdate, address) is what Vipps Login's userinfo releases per scope.

export interface TestAddress {
  street_address: string;
  postal_code: string;
  region: string;
  country: string;
}

/** The market a sales unit and its test users belong to: Vipps in Norway, MobilePay in Denmark and Finland. */
export type Market = 'NO' | 'DK' | 'FI';

export interface SandboxCustomer {
  name: string;
  /** Country code and number, digits only: 47 + 8 digits, 45 + 8 digits, 358 + a Finnish mobile number. */
  msisdn: string;
  market: Market;
  /** The clear-text v1 code; only Vipps (Norwegian) users have one. */
  personalQrV1: string | null;
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

/** A Vipps customer in Norway, with both QR formats. */
export interface TestCustomer extends SandboxCustomer {
  market: 'NO';
  personalQrV1: string;
}

export interface PersonalQrMatch {
  readonly customer: SandboxCustomer;
  readonly version: QrVersion;
}

function testCustomer(name: string, msisdn: string, qrToken: string, profile: Profile): TestCustomer {
  return {
    name,
    msisdn,
    market: 'NO',
    personalQrV1: `https://qr.vipps.no/28/2/01/031/${msisdn}?v=1`,
    personalQrV2: `https://qr.vipps.no/p/${qrToken}`,
    ...profile,
  };
}

/** MobilePay's personal QR codes are tokenized on the same domain (API.md §2.1). */
function mobilePayCustomer(
  name: string,
  msisdn: string,
  market: 'DK' | 'FI',
  qrToken: string,
  profile: Profile,
): SandboxCustomer {
  return {
    name,
    msisdn,
    market,
    personalQrV1: null,
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

/** Test users of the Danish (DKK) and Finnish (EUR) MobilePay sales units. */
export const MOBILEPAY_CUSTOMERS: readonly SandboxCustomer[] = [
  mobilePayCustomer('Mette Hansen', '4520123456', 'DK', 'mK3vQ8zR2pLx7TnW5cYb1dHs', {
    sub: '3b5d7f9a-1c2e-4f6a-8b0c-2d4e6f8a0b1c',
    email: 'mette.hansen@example.com',
    birthdate: '1988-05-17',
    address: { street_address: 'Vesterbrogade 10', postal_code: '1620', region: 'København', country: 'DK' },
  }),
  mobilePayCustomer('Jens Nielsen', '4531234567', 'DK', 'Zq4Wn7Jk2Vb9Xs6Lp3Hd8Ry0', {
    sub: '6c8e0a2b-4d6f-4a8c-9e1b-3f5a7c9e1d2f',
    email: 'jens.nielsen@example.com',
    birthdate: '1975-12-03',
    address: { street_address: 'Strøget 4', postal_code: '1160', region: 'København', country: 'DK' },
  }),
  mobilePayCustomer('Aino Virtanen', '358401234567', 'FI', 'Fi8aT3nU6mY1qW4eR7tZ0pXo', {
    sub: '7d9f1b3c-5e7a-4b9d-8f2a-4c6e8a0b2d3e',
    email: 'aino.virtanen@example.com',
    birthdate: '1990-02-28',
    address: { street_address: 'Mannerheimintie 5', postal_code: '00100', region: 'Helsinki', country: 'FI' },
  }),
  mobilePayCustomer('Mikko Korhonen', '358507654321', 'FI', 'Kx2Lm5Np8Qr1St4Uv7Wy0Za3', {
    sub: '8e0a2c4d-6f8b-4c0e-9a3b-5d7f9b1c3e4f',
    email: 'mikko.korhonen@example.com',
    birthdate: '1983-08-11',
    address: { street_address: 'Hämeenkatu 12', postal_code: '33100', region: 'Tampere', country: 'FI' },
  }),
];

export class CustomerDirectory {
  constructor(private readonly customers: readonly SandboxCustomer[]) {}

  list(): readonly SandboxCustomer[] {
    return this.customers;
  }

  byMsisdn(msisdn: string): SandboxCustomer | undefined {
    return this.customers.find((customer) => customer.msisdn === msisdn);
  }

  /** Only the complete scanned content matches: clients must send the whole code, never a parsed part. */
  byPersonalQr(code: string): PersonalQrMatch | undefined {
    for (const customer of this.customers) {
      if (customer.personalQrV1 !== null && customer.personalQrV1 === code)
        return { customer, version: '1.0' };
      if (customer.personalQrV2 === code) return { customer, version: '2.0' };
    }
    return undefined;
  }
}
