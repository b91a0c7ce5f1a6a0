// A small reader for untrusted JSON. The sandbox must judge what a client really sent, independently of
// the client's own types or validation library, so each body is read through these shapes: every problem
// is recorded as an Issue naming the field, and a value comes out typed only if nothing was wrong with it.

export interface Issue {
  readonly field: string;
  readonly reason: string;
  /** A Vipps domain error code ("4070"); plain validation issues have none. */
  readonly errorCode?: string;
}

export interface Shape<T> {
  /** The typed value, or undefined after recording at least one issue. */
  read(value: unknown, field: string, issues: Issue[]): T | undefined;
}

export type Infer<S> = S extends Shape<infer T> ? T : never;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function issue(field: string, reason: string, errorCode: string | undefined): Issue {
  return errorCode === undefined ? { field, reason } : { field, reason, errorCode };
}

function join(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

export interface TextRules {
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  /** Stamped on every issue of this field (Vipps gives some fields their own code). */
  errorCode?: string;
}

export function text(rules: TextRules = {}): Shape<string> {
  return {
    read(value, field, issues) {
      const fail = (reason: string): undefined => {
        issues.push(issue(field, reason, rules.errorCode));
        return undefined;
      };
      if (typeof value !== 'string') return fail('must be a string');
      // Lengths in the specs count characters, not UTF-16 units.
      const length = Array.from(value).length;
      if (rules.minLength !== undefined && length < rules.minLength) {
        return fail(`must be at least ${rules.minLength} characters`);
      }
      if (rules.maxLength !== undefined && length > rules.maxLength) {
        return fail(`must be at most ${rules.maxLength} characters`);
      }
      if (rules.pattern !== undefined && !rules.pattern.test(value)) {
        return fail(`must match ${rules.pattern.source}`);
      }
      return value;
    },
  };
}

export function oneOf<const V extends string>(values: readonly V[]): Shape<V> {
  const isMember = (value: unknown): value is V => values.some((candidate) => candidate === value);
  return {
    read(value, field, issues) {
      if (isMember(value)) return value;
      issues.push({ field, reason: `must be one of ${values.join(', ')}` });
      return undefined;
    },
  };
}

export interface IntegerRules {
  min?: number;
  max?: number;
  /** Code for a number with decimals (Vipps answers 4040 for fractional amounts). */
  fractionErrorCode?: string;
}

export function integer(rules: IntegerRules = {}): Shape<number> {
  return {
    read(value, field, issues) {
      if (typeof value !== 'number') {
        issues.push({ field, reason: 'must be an integer number' });
        return undefined;
      }
      if (!Number.isSafeInteger(value)) {
        issues.push(issue(field, 'must be a whole number (minor units)', rules.fractionErrorCode));
        return undefined;
      }
      return withinRange(value, rules, field, issues);
    },
  };
}

export function decimal(rules: { min?: number; max?: number } = {}): Shape<number> {
  return {
    read(value, field, issues) {
      if (typeof value !== 'number') {
        issues.push({ field, reason: 'must be a number' });
        return undefined;
      }
      return withinRange(value, rules, field, issues);
    },
  };
}

function withinRange(
  value: number,
  rules: { min?: number; max?: number },
  field: string,
  issues: Issue[],
): number | undefined {
  if ((rules.min !== undefined && value < rules.min) || (rules.max !== undefined && value > rules.max)) {
    issues.push({ field, reason: `must be between ${rules.min ?? '-inf'} and ${rules.max ?? 'inf'}` });
    return undefined;
  }
  return value;
}

export function flag(): Shape<boolean> {
  return {
    read(value, field, issues) {
      if (typeof value === 'boolean') return value;
      issues.push({ field, reason: 'must be true or false' });
      return undefined;
    },
  };
}

export function list<T>(item: Shape<T>, rules: { minItems?: number } = {}): Shape<T[]> {
  return {
    read(value, field, issues) {
      if (!Array.isArray(value)) {
        issues.push({ field, reason: 'must be an array' });
        return undefined;
      }
      if (rules.minItems !== undefined && value.length < rules.minItems) {
        issues.push({ field, reason: `must hold at least ${rules.minItems} item(s)` });
        return undefined;
      }
      const before = issues.length;
      const out: T[] = [];
      value.forEach((element, index) => {
        const read = item.read(element, `${field}[${index}]`, issues);
        if (read !== undefined) out.push(read);
      });
      return issues.length === before ? out : undefined;
    },
  };
}

export interface DictionaryRules {
  maxEntries: number;
  maxKeyLength: number;
  entriesErrorCode?: string;
  keyErrorCode?: string;
}

/** A string-keyed map with a bounded number of entries (ePayment `metadata`). */
export function dictionary<T>(value: Shape<T>, rules: DictionaryRules): Shape<Record<string, T>> {
  return {
    read(input, field, issues) {
      if (!isRecord(input)) {
        issues.push({ field, reason: 'must be a JSON object' });
        return undefined;
      }
      const entries = Object.entries(input);
      if (entries.length > rules.maxEntries) {
        issues.push(issue(field, `must hold at most ${rules.maxEntries} entries`, rules.entriesErrorCode));
        return undefined;
      }
      const before = issues.length;
      const out: Array<[string, T]> = [];
      for (const [key, raw] of entries) {
        if (Array.from(key).length > rules.maxKeyLength) {
          issues.push(
            issue(field, `keys must be at most ${rules.maxKeyLength} characters`, rules.keyErrorCode),
          );
          continue;
        }
        const read = value.read(raw, join(field, key), issues);
        if (read !== undefined) out.push([key, read]);
      }
      // fromEntries defines own properties, so even a key named "__proto__" stays an ordinary entry.
      return issues.length === before ? Object.fromEntries(out) : undefined;
    },
  };
}

type Presence = 'required' | 'present' | 'optional' | 'nullable';

export interface Prop<T, P extends Presence = Presence> {
  readonly shape: Shape<T>;
  readonly presence: P;
}

/** Must be present and not null. */
export const required = <T>(shape: Shape<T>): Prop<T, 'required'> => ({ shape, presence: 'required' });
/** May be absent, but null is rejected (the spec does not mark it nullable). */
export const optional = <T>(shape: Shape<T>): Prop<T, 'optional'> => ({ shape, presence: 'optional' });
/** Must be present but may be null (OpenAPI required + nullable); null reads as absent. */
export const present = <T>(shape: Shape<T>): Prop<T, 'present'> => ({ shape, presence: 'present' });
/** May be absent or null; null reads as absent. */
export const nullable = <T>(shape: Shape<T>): Prop<T, 'nullable'> => ({ shape, presence: 'nullable' });

type Props = Record<string, Prop<unknown>>;
type ValueOf<P> = P extends Prop<infer T> ? T : never;
type RequiredKeys<P extends Props> = {
  [K in keyof P]: P[K] extends Prop<unknown, 'required'> ? K : never;
}[keyof P];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<P extends Props> = Simplify<
  { [K in RequiredKeys<P>]: ValueOf<P[K]> } & { [K in Exclude<keyof P, RequiredKeys<P>>]?: ValueOf<P[K]> }
>;

/**
 * A JSON object with exactly these properties. Unknown properties are rejected: the real API may ignore
 * them, but a misspelt field (`receiptInfo` for `receipt`) would then be silently dropped, and that is a
 * client bug the sandbox exists to catch.
 */
export function object<P extends Props>(props: P): Shape<ObjectOf<P>> {
  return {
    read(value, field, issues) {
      if (!isRecord(value)) {
        issues.push({ field: field === '' ? 'body' : field, reason: 'must be a JSON object' });
        return undefined;
      }
      const before = issues.length;
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(props, key))
          issues.push({ field: join(field, key), reason: 'is not a known property' });
      }
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(props)) {
        const raw = value[key];
        const at = join(field, key);
        if (raw === undefined || (raw === null && prop.presence === 'required')) {
          if (prop.presence === 'required' || prop.presence === 'present') {
            issues.push({ field: at, reason: 'is required' });
          }
        } else if (raw === null) {
          if (prop.presence === 'optional') issues.push({ field: at, reason: 'must not be null' });
        } else {
          const read = prop.shape.read(raw, at, issues);
          if (read !== undefined) out[key] = read;
        }
      }
      // Every declared property was read through its own shape above, so `out` has the declared type.
      return issues.length === before ? (out as ObjectOf<P>) : undefined;
    },
  };
}

/** Adds a rule that needs the whole (already well-formed) value, such as "exactly one of". */
export function refine<T>(shape: Shape<T>, check: (value: T, field: string) => Issue | undefined): Shape<T> {
  return {
    read(value, field, issues) {
      const read = shape.read(value, field, issues);
      if (read === undefined) return undefined;
      const problem = check(read, field);
      if (problem === undefined) return read;
      issues.push(problem);
      return undefined;
    },
  };
}
