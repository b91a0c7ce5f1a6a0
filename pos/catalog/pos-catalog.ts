import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { vatClassesOf, vatRateOf } from '../../contracts/vat-rates.js';
import type { Currency } from '../../contracts/vipps-types.js';
import type { PosProduct } from '../sale/basket.js';

// The cashier screen prices wares from the same catalog file the kiosk sells from (device/catalog's
// format, e.g. device/catalog/demo-catalog.json), so a store keeps one price list. The kiosk's loader
// checks the file in full (check digits, member prices below shelf prices, one barcode once); the POS
// may not import it, so it reads only the fields it prices with and leaves the rest of the checking to
// the terminal, which refuses a payment whose lines do not add up.

const CURRENCY_OF = { NO: 'NOK', DK: 'DKK', FI: 'EUR' } as const satisfies Record<string, Currency>;

const fileSchema = z.object({
  country: z.enum(['NO', 'DK', 'FI']),
  currency: z.enum(['NOK', 'DKK', 'EUR']),
  products: z
    .array(
      z.object({
        gtin: z.string().regex(/^(\d{8}|\d{12}|\d{13})$/, 'an EAN-8, UPC-A or EAN-13 barcode'),
        name: z.string().trim().min(1).max(100),
        unitPrice: z.int().positive(),
        vatClass: z.string(),
        memberPrice: z.int().positive().optional(),
      }),
    )
    .min(1),
});

export class PosCatalogError extends Error {
  override readonly name = 'PosCatalogError';
}

export interface PosCatalog {
  readonly currency: Currency;
  lookup(gtin: string): PosProduct | undefined;
}

/** A UPC-A code is held in its EAN-13 form, so a scan and the file may write it either way. */
export function normaliseGtin(code: string): string {
  return code.length === 12 ? `0${code}` : code;
}

export async function loadPosCatalog(path: string): Promise<PosCatalog> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new PosCatalogError(`catalog ${path} cannot be read as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return posCatalogFrom(data, path);
}

export function posCatalogFrom(data: unknown, source: string): PosCatalog {
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'the file'}: ${issue.message}`,
    );
    throw new PosCatalogError(`catalog ${source} cannot be used:\n  - ${problems.join('\n  - ')}`);
  }
  const { country, currency, products } = parsed.data;
  if (CURRENCY_OF[country] !== currency) {
    throw new PosCatalogError(`catalog ${source}: currency ${currency} is not the currency of ${country}`);
  }
  const byGtin = new Map<string, PosProduct>();
  for (const product of products) {
    const vatRate = vatRateOf(country, product.vatClass);
    if (vatRate === undefined) {
      throw new PosCatalogError(
        `catalog ${source}: ${product.name} has VAT class "${product.vatClass}", which ${country} does not have (${vatClassesOf(country).join(', ')})`,
      );
    }
    const { gtin, name, unitPrice, memberPrice } = product;
    byGtin.set(normaliseGtin(gtin), {
      gtin: normaliseGtin(gtin),
      name,
      unitPrice,
      vatRate,
      ...(memberPrice !== undefined && memberPrice < unitPrice ? { memberPrice } : {}),
    });
  }
  return { currency, lookup: (gtin) => byGtin.get(normaliseGtin(gtin)) };
}
