// GS1 barcode numbers (EAN-8, UPC-A, EAN-13) as the scanner and the catalog both see them.

const GTIN_LENGTHS = new Set([8, 12, 13]);

/**
 * The GS1 check digit for a code without its check digit. Weights alternate 3, 1, 3 ... starting from
 * the rightmost digit, which is the same rule for every GTIN length.
 */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  let sum = 0;
  for (let i = 0; i < digitsWithoutCheck.length; i++) {
    const digit = digitsWithoutCheck.charCodeAt(digitsWithoutCheck.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** True for 8, 12 or 13 ASCII digits, whatever the check digit. */
export function hasGtinShape(code: string): boolean {
  return /^\d+$/.test(code) && GTIN_LENGTHS.has(code.length);
}

export function hasValidCheckDigit(code: string): boolean {
  return hasGtinShape(code) && gs1CheckDigit(code.slice(0, -1)) === Number(code.slice(-1));
}

/**
 * The one key a product is known by: UPC-A becomes its EAN-13 form (a leading 0), so a catalog entry
 * written either way matches a scan read either way. EAN-8 and EAN-13 stay as they are.
 */
export function normaliseGtin(code: string): string {
  return code.length === 12 ? `0${code}` : code;
}
