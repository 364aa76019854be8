/** Breaker states as the views draw them. */
export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

/**
 * Maps a breaker's own spelling of a state (`CLOSED`, `halfOpen`, `HALF_OPEN`,
 * `half-open`, `forcedOpen` …) to a {@link BreakerState}; `undefined` for
 * anything that is not a breaker state. Hand-written breakers record their
 * states as free text, so every common spelling is accepted.
 *
 * @example
 * normalizeBreakerState('HALF_OPEN') // 'half-open'
 */
export function normalizeBreakerState(s: string): BreakerState | undefined {
  const n = s.toLowerCase().replace(/[-_\s]/g, '');
  if (n === 'closed') return 'closed';
  if (n === 'open') return 'open';
  if (n === 'halfopen') return 'half-open';
  if (n === 'isolated' || n === 'forcedopen') return 'isolated';
  return undefined;
}

/** True for the names breakers use for their states, in any spelling. */
export function isBreakerState(s: string): boolean {
  return normalizeBreakerState(s) !== undefined;
}
