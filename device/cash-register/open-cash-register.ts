import { join } from 'node:path';
import type { Settings } from '../config/schema.js';
import { CashRegister } from './cash-register.js';
import { CASH_REGISTER_FILE, CashRegisterStore } from './journal-store.js';
import { type SigningKey, SigningKeyError, signingKeyOf } from './signing.js';

/** The key in secrets.json that signs sales; a clear error when it is missing or unusable. */
export function signingKeyFrom(settings: Settings): SigningKey {
  const { signingKey, keyVersion } = settings.secrets.cashRegister;
  if (signingKey === undefined || keyVersion === undefined) {
    throw new SigningKeyError(
      'the cash register has no signing key: cashRegister is configured but secrets.cashRegister.signingKey ' +
        'and keyVersion are not both set; run `vipps-kiosk provision` (it makes the key) — the kiosk records ' +
        'no sale it cannot sign',
    );
  }
  return signingKeyOf(signingKey, keyVersion);
}

/** The journal and the till that writes it, when this kiosk is configured as a cash register. */
export function openCashRegister(
  settings: Settings,
  now: () => number,
): { store: CashRegisterStore; register: CashRegister } | undefined {
  if (!settings.cashRegister) return undefined;
  const key = signingKeyFrom(settings);
  const store = CashRegisterStore.open(join(settings.stateDir, CASH_REGISTER_FILE));
  return { store, register: new CashRegister(store, key, now) };
}
