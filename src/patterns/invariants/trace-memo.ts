import type { TraceEvent } from '../../sim/trace.js';

/**
 * Wraps a reader of a trace so it reads each trace once: the checks of one
 * run (an example's, the saga checkers, explore's metrics) read the same
 * facts many times, and over a thousand runs that was most of the judging.
 * The result is kept for as long as the events array lives, and read again
 * if the array has grown since (a live world's trace grows). Callers share
 * the result, so they must treat it as read-only.
 *
 * @example
 * const factsOf = memoByTrace((events) => events.filter((e) => e.kind === 'saga.effect'));
 * factsOf(run.events) === factsOf(run.events); // true
 */
export function memoByTrace<T>(read: (events: readonly TraceEvent[]) => T): (events: readonly TraceEvent[]) => T {
  const kept = new WeakMap<readonly TraceEvent[], { length: number; value: T }>();
  return (events) => {
    const hit = kept.get(events);
    if (hit && hit.length === events.length) return hit.value;
    const value = read(events);
    kept.set(events, { length: events.length, value });
    return value;
  };
}
