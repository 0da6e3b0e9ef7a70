import { characterCount } from './storable-text';

/**
 * Precompiled validators for event contracts. Each validator is a plain
 * function built once at module load, so checking a message on a consumer's
 * hot path costs a few property reads and typeof checks, no reflection.
 */

export class ContractViolation extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'ContractViolation';
  }
}

export type Validator<T> = (value: unknown, path: string) => T;

type Shape = Record<string, Validator<unknown>>;
type Infer<S extends Shape> = { [K in keyof S]: S[K] extends Validator<infer T> ? T : never };

function fail(path: string, reason: string): never {
  throw new ContractViolation(path, reason);
}

export function string(opts: { min?: number; max?: number; pattern?: RegExp } = {}): Validator<string> {
  const min = opts.min ?? 0;
  const max = opts.max ?? 8192;
  return (value, path) => {
    if (typeof value !== 'string') fail(path, 'must be a string');
    const characters = characterCount(value);
    if (characters < min) fail(path, `must be at least ${min} characters`);
    if (characters > max) fail(path, `must be at most ${max} characters`);
    if (opts.pattern && !opts.pattern.test(value)) fail(path, `must match ${opts.pattern}`);
    return value;
  };
}

export function literal<const L extends string | number>(expected: L): Validator<L> {
  return (value, path) => (value === expected ? (value as L) : fail(path, `must be ${JSON.stringify(expected)}`));
}

export function oneOf<const L extends string>(allowed: readonly L[]): Validator<L> {
  const set = new Set<string>(allowed);
  return (value, path) =>
    typeof value === 'string' && set.has(value) ? (value as L) : fail(path, `must be one of ${allowed.join(', ')}`);
}

export function integer(opts: { min?: number; max?: number } = {}): Validator<number> {
  const min = opts.min ?? Number.MIN_SAFE_INTEGER;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  return (value, path) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) fail(path, 'must be an integer');
    if (value < min || value > max) fail(path, `must be between ${min} and ${max}`);
    return value;
  };
}

export function boolean(): Validator<boolean> {
  return (value, path) => (typeof value === 'boolean' ? value : fail(path, 'must be a boolean'));
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** An ISO 8601 instant in UTC, as produced by Date#toISOString. */
export function isoInstant(): Validator<string> {
  return (value, path) => {
    if (typeof value !== 'string' || !ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
      fail(path, 'must be an ISO 8601 UTC instant');
    }
    return value;
  };
}

const DECIMAL = /^-?\d{1,14}(\.\d{1,4})?$/;

/** Money and amounts travel as decimal strings (at most 4 places), never floats. */
export function decimal(opts: { nonNegative?: boolean } = {}): Validator<string> {
  return (value, path) => {
    if (typeof value !== 'string' || !DECIMAL.test(value)) fail(path, 'must be a decimal string with at most 4 places');
    if (opts.nonNegative && value.startsWith('-')) fail(path, 'must not be negative');
    return value;
  };
}

export function nullable<T>(inner: Validator<T>): Validator<T | null> {
  return (value, path) => (value === null || value === undefined ? null : inner(value, path));
}

export function arrayOf<T>(inner: Validator<T>, opts: { max?: number } = {}): Validator<T[]> {
  const max = opts.max ?? 64;
  return (value, path) => {
    if (!Array.isArray(value)) fail(path, 'must be an array');
    if (value.length > max) fail(path, `must have at most ${max} items`);
    for (let i = 0; i < value.length; i++) inner(value[i], `${path}[${i}]`);
    return value as T[];
  };
}

/** A flat map of string to string, bounded in size (raw parameters, extras). */
export function stringMap(opts: { maxEntries?: number; maxValueLength?: number } = {}): Validator<Record<string, string>> {
  const maxEntries = opts.maxEntries ?? 64;
  const maxValueLength = opts.maxValueLength ?? 2048;
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be an object');
    const keys = Object.keys(value);
    if (keys.length > maxEntries) fail(path, `must have at most ${maxEntries} entries`);
    for (const key of keys) {
      const entry = (value as Record<string, unknown>)[key];
      if (typeof entry !== 'string') fail(`${path}.${key}`, 'must be a string');
      if (characterCount(entry) > maxValueLength) fail(`${path}.${key}`, `must be at most ${maxValueLength} characters`);
    }
    return value as Record<string, string>;
  };
}

/** Checks every declared field; undeclared fields are ignored (forward compatible). */
export function object<S extends Shape>(shape: S): Validator<Infer<S>> {
  const entries = Object.entries(shape);
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path || '$', 'must be an object');
    const input = value as Record<string, unknown>;
    for (const [key, check] of entries) check(input[key], path ? `${path}.${key}` : key);
    return value as Infer<S>;
  };
}
