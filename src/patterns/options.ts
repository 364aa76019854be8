/**
 * Checks for the options of every pattern. Each failed check throws an
 * {@link InvalidOptionError} whose message names the pattern and the option,
 * says what was expected and shows what was given, e.g.
 * `circuitBreaker: "policy.failureRateThreshold" must be a number in (0, 1], got 1.5`.
 */

/** An option of a pattern has a value it cannot work with. */
export class InvalidOptionError extends RangeError {
  constructor(
    /** The pattern whose option is wrong, e.g. `circuitBreaker`. */
    readonly owner: string,
    /** The option's path, e.g. `policy.windowSize`. */
    readonly option: string,
    /** What the option must be. */
    readonly expected: string,
    /** The value that was given. */
    readonly value: unknown,
  ) {
    super(`${owner}: "${option}" must be ${expected}, got ${show(value)}`);
    this.name = 'InvalidOptionError';
  }
}

function show(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

/** A finite number ≥ 0 (a duration, a delay). */
export function nonNegative(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new InvalidOptionError(owner, option, 'a finite number ≥ 0', value);
  return value;
}

/** A finite number > 0. */
export function positive(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new InvalidOptionError(owner, option, 'a finite number > 0', value);
  return value;
}

/** A number > 0, or Infinity (a wait that may be unbounded). */
export function positiveOrInfinite(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) throw new InvalidOptionError(owner, option, 'a number > 0 (Infinity allowed)', value);
  return value;
}

/** An integer ≥ `min`. */
export function integerAtLeast(owner: string, option: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new InvalidOptionError(owner, option, `an integer ≥ ${min}`, value);
  return value;
}

/** A ratio in (0, 1]: a rate threshold such as 0.5 for 50 %. */
export function ratio(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) throw new InvalidOptionError(owner, option, 'a number in (0, 1]', value);
  return value;
}

/** A function, when given. */
export function optionalFunction<F>(owner: string, option: string, value: F | undefined): F | undefined {
  if (value !== undefined && typeof value !== 'function') throw new InvalidOptionError(owner, option, 'a function', value);
  return value;
}

/** One of a fixed set of strings. */
export function oneOf<S extends string>(owner: string, option: string, value: unknown, allowed: readonly S[]): S {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw new InvalidOptionError(owner, option, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, value);
  return value as S;
}
