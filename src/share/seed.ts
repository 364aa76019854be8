/**
 * A run's seed: a safe integer, or 1–32 characters of `A-Z a-z 0-9 _ -`.
 * The kernel hashes `String(seed)`, so the number `42` and the string `'42'`
 * give the same run.
 */
export type Seed = string | number;

const SEED_TEXT = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Whether `seed` is a seed a link can carry.
 *
 * @example
 * isValidSeed(42);        // true
 * isValidSeed('demo_1');  // true
 * isValidSeed('a b');     // false
 * isValidSeed(1.5);       // false
 */
export function isValidSeed(seed: unknown): seed is Seed {
  if (typeof seed === 'number') return Number.isSafeInteger(seed);
  return typeof seed === 'string' && SEED_TEXT.test(seed);
}

/**
 * The text of a seed in a link: the decimal integer, or the string itself.
 *
 * @example
 * formatSeed(-7); // '-7'
 */
export function formatSeed(seed: Seed): string {
  return String(seed);
}

/**
 * Reads a seed written by {@link formatSeed}. Text that is the canonical
 * decimal form of a safe integer (`'42'`, `'-7'`, not `'007'`) becomes a
 * number, any other valid seed text stays a string; invalid text gives
 * `undefined`.
 *
 * @example
 * parseSeed('42');     // 42
 * parseSeed('007');    // '007'
 * parseSeed('x y');    // undefined
 */
export function parseSeed(text: string): Seed | undefined {
  if (!SEED_TEXT.test(text)) return undefined;
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n) && String(n) === text) return n;
  }
  return text;
}
