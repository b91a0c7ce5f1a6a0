import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Currency } from '../../contracts/vipps-types.js';
import { MAX_BASKET_TOTAL } from '../checkout/domain/basket.js';
import { gs1CheckDigit, hasGtinShape, hasValidCheckDigit, normaliseGtin } from '../checkout/domain/gtin.js';
import { COUNTRIES, CURRENCY_OF } from '../checkout/domain/market.js';
import { VAT_CLASSES, vatClassesOf } from '../checkout/domain/vat.js';
import { type Catalog, catalogOf } from './catalog.js';

/** The catalog file cannot be used; `problems` lists every one found, each naming where it is. */
export class CatalogFileError extends Error {
  override readonly name = 'CatalogFileError';
  readonly path: string;
  readonly problems: readonly string[];

  constructor(path: string, problems: readonly string[], options?: ErrorOptions) {
    super(`Catalog ${path} cannot be used:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
    this.path = path;
    this.problems = problems;
  }
}

// Each message is the expected form; the formatter puts the offending value and its place in front.
const PRICE = `a whole number of minor units (øre/cents) VAT included, 1 to ${MAX_BASKET_TOTAL}`;
const NAME = 'a product name of 1 to 100 characters';
const oneOf = (values: readonly string[]): string => `one of ${values.map((v) => `"${v}"`).join(', ')}`;

const CURRENCIES = ['NOK', 'DKK', 'EUR'] as const satisfies readonly Currency[];

const productSchema = z.strictObject(
  {
    gtin: z
      .string({ error: 'an EAN-8, UPC-A or EAN-13 barcode as a string of digits' })
      .superRefine((gtin, ctx) => {
        if (!hasGtinShape(gtin)) {
          ctx.addIssue({ code: 'custom', message: 'an EAN-8, UPC-A or EAN-13 barcode: 8, 12 or 13 digits' });
        } else if (!hasValidCheckDigit(gtin)) {
          ctx.addIssue({
            code: 'custom',
            message: `check digit ${gs1CheckDigit(gtin.slice(0, -1))} (GS1) as the last digit`,
          });
        }
      })
      .transform(normaliseGtin),
    name: z.string({ error: NAME }).trim().min(1, { error: NAME }).max(100, { error: NAME }),
    unitPrice: z.int({ error: PRICE }).min(1, { error: PRICE }).max(MAX_BASKET_TOTAL, { error: PRICE }),
    vatClass: z.enum(VAT_CLASSES, { error: oneOf(VAT_CLASSES) }),
    memberPrice: z
      .int({ error: PRICE })
      .min(1, { error: PRICE })
      .max(MAX_BASKET_TOTAL, { error: PRICE })
      .optional(),
  },
  {
    error:
      'a product: an object with "gtin", "name", "unitPrice" and "vatClass" (and optionally "memberPrice")',
  },
);

const catalogSchema = z
  .strictObject(
    {
      currency: z.enum(CURRENCIES, { error: oneOf(CURRENCIES) }),
      country: z.enum(COUNTRIES, { error: oneOf(COUNTRIES) }),
      products: z
        .array(productSchema, { error: 'a list of products' })
        .min(1, { error: 'at least one product' }),
    },
    { error: 'an object with "currency", "country" and "products"' },
  )
  // Rules between fields; zod runs these only once every field has the right form.
  .superRefine((catalog, ctx) => {
    const currency = CURRENCY_OF[catalog.country];
    if (catalog.currency !== currency) {
      ctx.addIssue({
        code: 'custom',
        path: ['currency'],
        message: `"${currency}", the currency of ${catalog.country}`,
      });
    }
    const classes = vatClassesOf(catalog.country);
    const firstIndexOf = new Map<string, number>();
    catalog.products.forEach((product, index) => {
      if (!classes.includes(product.vatClass)) {
        ctx.addIssue({
          code: 'custom',
          path: ['products', index, 'vatClass'],
          message: `${oneOf(classes)} (the VAT classes of ${catalog.country})`,
        });
      }
      if (product.memberPrice !== undefined && product.memberPrice >= product.unitPrice) {
        ctx.addIssue({
          code: 'custom',
          path: ['products', index, 'memberPrice'],
          message: `a member price below the unit price ${product.unitPrice}, or no member price at all`,
        });
      }
      const first = firstIndexOf.get(product.gtin);
      if (first === undefined) firstIndexOf.set(product.gtin, index);
      else {
        ctx.addIssue({
          code: 'custom',
          path: ['products', index, 'gtin'],
          message: `a barcode used once only; products[${first}] already has ${product.gtin}`,
        });
      }
    });
  });

/** Reads and checks a catalog file such as `demo-catalog.json`. */
export async function loadCatalogFile(path: string): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CatalogFileError(path, [`cannot be read: ${(error as Error).message}`], { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CatalogFileError(path, [`is not valid JSON: ${(error as Error).message}`], { cause: error });
  }
  return catalogFromJson(data, path);
}

/** Checks parsed catalog JSON; `source` names it in errors. */
export function catalogFromJson(data: unknown, source: string): Catalog {
  const result = catalogSchema.safeParse(data);
  if (!result.success) {
    throw new CatalogFileError(
      source,
      result.error.issues.map((issue) => describeIssue(data, issue)),
    );
  }
  const { country, currency, products } = result.data;
  return catalogOf({ country, currency }, products);
}

function describeIssue(data: unknown, issue: z.core.$ZodIssue): string {
  const where = locate(data, issue.path);
  if (issue.code === 'unrecognized_keys') {
    return `${where}unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; expected only the documented fields`;
  }
  const value = valueAt(data, issue.path);
  const got = value === undefined ? 'missing' : `got ${abbreviate(JSON.stringify(value))}`;
  return `${where}${got}; expected ${issue.message}`;
}

// `products[3] ("Melk 1 l") unitPrice: ` — the index to find it, the name to recognise it.
function locate(data: unknown, path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the file: ';
  const [first, index, ...rest] = path;
  if (first !== 'products' || typeof index !== 'number') return `${path.map(String).join('.')}: `;
  const name = valueAt(data, ['products', index, 'name']);
  const label = typeof name === 'string' ? ` (${abbreviate(JSON.stringify(name))})` : '';
  return `products[${index}]${label}${rest.length > 0 ? ` ${rest.map(String).join('.')}` : ''}: `;
}

// A whole misplaced section of the file would drown the message.
function abbreviate(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 77)}...`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
