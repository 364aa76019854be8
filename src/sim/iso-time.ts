// The host's own Date, taken when this module loads (before any run binds the global `Date` to virtual
// time). The virtual Date is a Proxy around a subclass of it: building one per timestamp went through the
// Proxy's construct path on every published event, which an explore pays tens of times per run.
const HostDate = Date;
const format = HostDate.prototype.toISOString;

/**
 * The ISO 8601 text of `epochMs` (milliseconds since 1970, UTC), as
 * `new Date(epochMs).toISOString()` gives it.
 *
 * @example
 * isoTime(1_704_067_200_078); // '2024-01-01T00:00:00.078Z'
 */
export function isoTime(epochMs: number): string {
  return format.call(new HostDate(epochMs));
}

/**
 * An event's `timestamp` as it is stored: a Date (real or virtual) as its
 * ISO text, anything else as it is, `fallback()` when there is none. (The
 * check is against the host's Date, which the virtual one extends: no Proxy
 * trap on the way.)
 */
export function timestampOf<T>(timestamp: T | Date | undefined, fallback: () => string): T | string {
  if (timestamp instanceof HostDate) return timestamp.toISOString();
  return timestamp ?? fallback();
}
