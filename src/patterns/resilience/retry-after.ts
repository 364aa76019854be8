/**
 * Reading the `Retry-After` header: a server that answers 429 or 503 may say
 * how long to wait, as a number of seconds (`Retry-After: 120`) or as an
 * HTTP date (`Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`).
 */

/**
 * Milliseconds to wait according to a `Retry-After` value, or `undefined`
 * when it is absent or unreadable. A date is measured from `nowWallMs`
 * (wall-clock ms since 1970: the world's epoch plus its virtual time); a
 * date in the past gives 0.
 *
 * @example
 * parseRetryAfter('2', 0); // 2000
 * parseRetryAfter('Mon, 01 Jan 2024 00:00:05 GMT', Date.UTC(2024, 0, 1)); // 5000
 */
export function parseRetryAfter(value: string | undefined, nowWallMs: number): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at) || !/[a-z]/i.test(text)) return undefined; // a date has a month or day name
  return Math.max(0, at - nowWallMs);
}

/**
 * The `Retry-After` wait carried by an error's response (`error.response.headers`)
 * or by a response itself (`response.headers`), in ms, or `undefined`.
 */
export function retryAfterMs(source: unknown, nowWallMs: number): number | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const response = (source as { response?: unknown }).response;
  const holder = typeof response === 'object' && response !== null ? response : source;
  const headers = (holder as { headers?: unknown }).headers;
  if (typeof headers !== 'object' || headers === null) return undefined;
  const h = headers as Record<string, unknown>;
  let value = h['retry-after'];
  if (value === undefined) {
    const key = Object.keys(h).find((k) => k.toLowerCase() === 'retry-after');
    value = key === undefined ? undefined : h[key];
  }
  return parseRetryAfter(typeof value === 'number' ? String(value) : (value as string | undefined), nowWallMs);
}
