import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CashRegister } from '../../device/cash-register/cash-register.js';
import {
  CASH_REGISTER_FILE,
  CashRegisterStore,
  type JournalRow,
} from '../../device/cash-register/journal-store.js';
import { saftFileName, saftXml } from '../../device/cash-register/saft-export.js';
import { generateSigningKey, signingKeyOf } from '../../device/cash-register/signing.js';
import type { SaleCompleted } from '../../device/checkout/domain-events.js';

// Shared by the cash-register tests: a till on a fresh state directory with a new key, a configuration
// directory as provisioning writes it, and xmllint against the official schema in the repository.

export const XSD = new URL(
  '../../device/cash-register/saf-t-schema/Norwegian_SAF-T_Cash_Register_Schema_v_1.00.xsd',
  import.meta.url,
).pathname;

export const COMPANY = {
  organisationNumber: '974760673',
  companyName: 'Butikken Test AS',
  address: { street: 'Storgata 1', postalCode: '0155', city: 'Oslo' },
  vatRegistered: true,
};

export async function newTill(now: () => number) {
  const stateDir = await mkdtemp(join(tmpdir(), 'vk-cash-register-'));
  const pair = generateSigningKey();
  const key = signingKeyOf(pair.privateKeyPem, 1);
  const store = CashRegisterStore.open(join(stateDir, CASH_REGISTER_FILE));
  return { stateDir, pair, key, store, register: new CashRegister(store, key, now) };
}

/** config.json + secrets.json for the commands (`--config-dir`), with the till's key. */
export async function configDirFor(stateDir: string, privateKeyPem: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vk-cash-register-config-'));
  const config = {
    device: { id: 'kiosk-07', site: 'oslo-1' },
    store: { name: 'Butikken Test' },
    vipps: { environment: 'sandbox', baseUrl: 'http://127.0.0.1:9', merchantSerialNumber: '123456' },
    stateDir,
    cashRegister: COMPANY,
  };
  const secrets = {
    vipps: { clientId: 'id', clientSecret: 'secret', subscriptionKey: 'key' },
    cashRegister: { signingKey: privateKeyPem, keyVersion: 1 },
  };
  await writeFile(join(dir, 'config.json'), JSON.stringify(config), { mode: 0o644 });
  await writeFile(join(dir, 'secrets.json'), JSON.stringify(secrets), { mode: 0o600 });
  return dir;
}

/** xmllint's verdict on a file: its exit code and what it said. */
export function xmllint(file: string): { code: number; output: string } {
  try {
    const output = execFileSync('/usr/bin/xmllint', ['--noout', '--schema', XSD, file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, output };
  } catch (error) {
    const e = error as { status: number; stderr: string };
    return { code: e.status, output: e.stderr };
  }
}

export const SALE_DAY = Date.parse('2026-11-23T09:00:00Z');

/** A sale of one coffee at a club price (1000 øre off), as the checkout emits it. */
export function saleOf(receipt: number, amount: number): SaleCompleted {
  const ex = Math.round((amount * 10_000) / 11_500);
  return {
    type: 'sale.completed',
    reference: `kiosk-07-${String(receipt).padStart(10, '0')}-1`,
    receiptNumber: String(receipt).padStart(10, '0'),
    paidAt: SALE_DAY,
    lines: [
      {
        name: 'Kaffe 250 g',
        id: '2000000000039',
        totalAmount: amount,
        totalAmountExcludingTax: ex,
        totalTaxAmount: amount - ex,
        taxRate: 1500,
        unitInfo: { unitPrice: amount + 1000, quantity: '1', quantityUnit: 'PCS' },
        discount: 1000,
      },
    ],
    amount,
    currency: 'NOK',
    vat: [{ rate: 1500, amount: amount - ex }],
    memberSavings: 1000,
    pspReference: `psp-${receipt}`,
  };
}

/**
 * The test store's SAF-T file of `rows` for one day (the sale day unless told), as `saft export` builds it,
 * written into the till's state directory under its official name.
 */
export async function saftFileOf(
  stateDir: string,
  rows: JournalRow[],
  options: { createdAt: number; date?: string; loginRows?: JournalRow[] },
): Promise<{ xml: string; file: string }> {
  const date = options.date ?? '2026-11-23';
  const xml = saftXml({
    company: COMPANY,
    currency: 'NOK',
    registerId: 'kiosk-07',
    locationName: 'Butikken Test',
    softwareVersion: '0.1.0',
    from: date,
    to: date,
    createdAt: options.createdAt,
    rows,
    priceRows: rows.filter((row) => row.kind === 'price.change'),
    loginRows: options.loginRows ?? [],
  });
  const file = join(stateDir, saftFileName(COMPANY.organisationNumber, options.createdAt));
  await writeFile(file, xml);
  return { xml, file };
}
