import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSigningKey } from '../device/cash-register/signing.js';
import type { Settings } from '../device/config/schema.js';
import { Employees, STAFF_FILE } from '../device/staff/employees.js';
import { staffCardCode } from '../device/staff/staff-card.js';

// The demo store is a Norwegian cash register too, so a newcomer can sell and then export a SAF-T file of
// the day: a made-up company (999999999 is the organisation number of Skatteetaten's own example and
// passes the mod-11 check), and a signing key made on the first start and kept in the state directory, so
// a demo restarted on the same --state-dir goes on signing the same chain.

export const DEMO_COMPANY = {
  organisationNumber: '999999999',
  companyName: 'Butikken Demo AS',
  address: { street: 'Demoveien 1', postalCode: '0150', city: 'Oslo' },
  vatRegistered: true,
};

const KEY_FILE = 'demo-signing-key.pem';

/** The demo's signing key: the one in the state directory, or a new one written there (0600). */
export async function demoSigningKey(stateDir: string): Promise<{ signingKey: string; keyVersion: number }> {
  const path = join(stateDir, KEY_FILE);
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  if (existing !== undefined) return { signingKey: existing, keyVersion: 1 };
  const { privateKeyPem } = generateSigningKey();
  await mkdir(stateDir, { recursive: true });
  await writeFile(path, privateKeyPem, { mode: 0o600, flag: 'wx' });
  return { signingKey: privateKeyPem, keyVersion: 1 };
}

/**
 * The demo's settings as config.json and secrets.json in DIR, so `vipps-kiosk saft export`, `cash-register
 * verify` and `cash-register public-key` read a demo day with --config-dir DIR (sandbox keys only).
 */
export async function writeDemoConfigDir(dir: string, settings: Settings): Promise<void> {
  const { secrets, ...config } = settings;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o644 });
  await writeFile(join(dir, 'secrets.json'), `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
}

const STAFF_KEY_FILE = 'demo-staff-card-key';
/** The demo's one employee: anyone trying the demo can open staff mode with this card and PIN. */
export const DEMO_EMPLOYEE = { id: 'demo', name: 'Demo Ansatt', pin: '1234' } as const;

/**
 * Staff mode for the demo: the card key kept in the state directory (0600, made once), and the demo
 * employee with PIN 1234 in its staff file. What a store does with `vipps-kiosk provision` and
 * `vipps-kiosk staff add`, done for a newcomer; the card code is printed with the demo's addresses.
 */
export async function demoStaff(stateDir: string): Promise<{ staffCardKey: string; card: string }> {
  const path = join(stateDir, STAFF_KEY_FILE);
  let staffCardKey = await readFile(path, 'utf8').catch(() => undefined);
  if (staffCardKey === undefined) {
    staffCardKey = randomBytes(32).toString('hex');
    await mkdir(stateDir, { recursive: true });
    await writeFile(path, staffCardKey, { mode: 0o600, flag: 'wx' });
  }
  const employees = Employees.open(join(stateDir, STAFF_FILE));
  try {
    if (employees.find(DEMO_EMPLOYEE.id, Date.now()) === null) await employees.add(DEMO_EMPLOYEE, Date.now());
  } finally {
    employees.close();
  }
  return { staffCardKey, card: staffCardCode(DEMO_EMPLOYEE.id, staffCardKey) };
}
