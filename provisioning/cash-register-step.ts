import { createHash, randomBytes } from 'node:crypto';
import { generateSigningKey, signingKeyOf } from '../device/cash-register/signing.js';
import { type Draft, setAt, valueAt } from './draft.js';
import type { Step } from './steps.js';

// The kiosk as a Norwegian cash register: the seller's organisation number, name and address, and the key
// pair that signs each sale. The private key goes into secrets.json with the other secrets (0640,
// root:kiosk); the public key is for the declaration (`vipps-kiosk cash-register public-key`). Left empty,
// the organisation number means this kiosk is no cash register (the store's own POS registers the sale).
// A cash register gets staff mode too: its staff-card key (`staffCardKey`) is made here once.

const text = (draft: Draft, path: string): string | undefined => {
  const value = valueAt(draft, path);
  return typeof value === 'string' && value !== '' ? value : undefined;
};

const isCashRegister = (draft: Draft) =>
  text(draft, 'store.country') === 'NO' && text(draft, 'cashRegister.organisationNumber') !== undefined;

/**
 * The step; with `rotateKey` a new key pair replaces the one there and its version is counted up (the
 * journal keeps the old public key, so sales signed before still verify).
 */
export function cashRegisterStep(options: { rotateKey: boolean }): Step {
  let rotated = false;
  return {
    id: 'cash-register',
    title: 'Cash register (Norway: signed journal and SAF-T export)',
    fields: [
      {
        path: 'cashRegister.organisationNumber',
        label: "Organisation number (empty: the store's POS registers sales)",
        flag: 'org-number',
        optional: true,
        when: (draft) => text(draft, 'store.country') === 'NO',
      },
      {
        path: 'cashRegister.companyName',
        label: 'Registered company name',
        flag: 'company-name',
        when: isCashRegister,
      },
      {
        path: 'cashRegister.address.street',
        label: 'Street and number',
        flag: 'street',
        when: isCashRegister,
      },
      {
        path: 'cashRegister.address.postalCode',
        label: 'Postal code',
        flag: 'postal-code',
        when: isCashRegister,
      },
      { path: 'cashRegister.address.city', label: 'Postal town', flag: 'city', when: isCashRegister },
    ],
    derive(draft) {
      if (!isCashRegister(draft)) {
        setAt(draft, 'cashRegister', undefined);
        return;
      }
      // The key that checks staff cards: made once and kept, so cards already printed stay valid.
      if (text(draft, 'secrets.staffCardKey') === undefined)
        setAt(draft, 'secrets.staffCardKey', randomBytes(32).toString('base64url'));
      const version = valueAt(draft, 'secrets.cashRegister.keyVersion');
      const hasKey =
        text(draft, 'secrets.cashRegister.signingKey') !== undefined && typeof version === 'number';
      if (hasKey && !(options.rotateKey && !rotated)) return;
      rotated = true;
      setAt(draft, 'secrets.cashRegister.signingKey', generateSigningKey().privateKeyPem);
      setAt(draft, 'secrets.cashRegister.keyVersion', typeof version === 'number' ? version + 1 : 1);
    },
    async verify(draft) {
      const name = 'cash-register signing key';
      if (!isCashRegister(draft)) {
        return { name, status: 'pass', detail: "none: the store's own POS is the cash register" };
      }
      try {
        const key = signingKeyOf(
          text(draft, 'secrets.cashRegister.signingKey') ?? '',
          valueAt(draft, 'secrets.cashRegister.keyVersion') as number,
        );
        const fingerprint = createHash('sha256').update(key.publicKeyPem).digest('hex').slice(0, 16);
        return {
          name,
          status: 'pass',
          detail:
            `version ${key.version}, RSA 1024-bit (public key sha256 ${fingerprint}…); ` +
            'give `vipps-kiosk cash-register public-key` with the declaration',
        };
      } catch (error) {
        return { name, status: 'fail', detail: (error as Error).message };
      }
    },
  };
}
