// Vipps takes a createPayment `reference` sent as a JSON number (its own in-store examples send
// `"reference": 2486791679658155992`). JSON.parse turns such a number into a double and loses every digit
// beyond 2^53, so the sandbox reads that one member's digits from the raw text instead. The text has
// already been parsed successfully, so this scanner only has to follow strings and nesting.

const WHITESPACE = /\s/;
const DIGITS = /^\d+$/;

/**
 * The exact digits of the top-level `reference` member when it is a non-negative whole number, else
 * undefined (absent, a string, or a number with a sign, fraction or exponent: that stays a number, for the
 * shape to refuse as not a string).
 */
export function integerReferenceText(json: string): string | undefined {
  let depth = 0;
  let index = 0;
  let expectKey = false;
  while (index < json.length) {
    const char = json[index];
    if (char === '"') {
      const end = endOfString(json, index);
      if (depth === 1 && expectKey && json.slice(index, end) === '"reference"') {
        const value = valueAfterColon(json, end);
        if (value !== undefined) return value;
      }
      expectKey = false;
      index = end;
      continue;
    }
    if (char === '{' || char === '[') {
      depth += 1;
      expectKey = char === '{' && depth === 1;
    } else if (char === '}' || char === ']') {
      depth -= 1;
    } else if (char === ',' && depth === 1) {
      expectKey = true;
    }
    index += 1;
  }
  return undefined;
}

/** Index just past the closing quote of the string that opens at `start`. */
function endOfString(json: string, start: number): number {
  let index = start + 1;
  while (index < json.length && json[index] !== '"') index += json[index] === '\\' ? 2 : 1;
  return index + 1;
}

function valueAfterColon(json: string, from: number): string | undefined {
  let index = from;
  while (WHITESPACE.test(json[index] ?? '')) index += 1;
  if (json[index] !== ':') return undefined;
  index += 1;
  while (WHITESPACE.test(json[index] ?? '')) index += 1;
  const token = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(json.slice(index))?.[0];
  return token !== undefined && DIGITS.test(token) ? token : undefined;
}
