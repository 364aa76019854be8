/**
 * Whether `id` has the syntax of an example id: 1–64 characters of
 * `A-Z a-z 0-9 _ . -`, starting with a letter or digit. Such ids are safe in a
 * URL hash and in a storage key without escaping. Whether the example exists
 * is the caller's business (see `isKnownExample` options).
 *
 * @example
 * isValidExampleId('circuit-breaker'); // true
 * isValidExampleId('../etc');          // false
 */
export function isValidExampleId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(id);
}

/** Tells whether an example with this id exists in the page's catalogue. */
export type ExampleCatalogue = (exampleId: string) => boolean;
