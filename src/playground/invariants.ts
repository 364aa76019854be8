import type { TraceEvent, TraceRecorder } from '../sim/trace.js';
import { currentHost } from './host.js';

/** A run as far as invariants care: its trace recorder (a world, or a real-mode host). */
export interface RunWithTrace {
  readonly trace: TraceRecorder;
}

/**
 * A property of a whole run, judged on its final trace: `true` when it holds,
 * `false` or a message saying what is wrong when it does not.
 */
export type InvariantPredicate = (trace: readonly TraceEvent[]) => boolean | string;

/** The verdict of one invariant on one run. */
export interface InvariantVerdict {
  name: string;
  passed: boolean;
  /** Why it failed: the returned message, or the error the predicate threw. */
  message?: string;
}

// Per run (keyed by its trace recorder), so nothing registered outlives its run.
const registered = new WeakMap<TraceRecorder, Map<string, InvariantPredicate>>();

/**
 * Registers an invariant of this run: once the run is over, the runner calls
 * `predicate` with the final trace and reports the verdict with the run (the
 * Checks view shows it; Explore counts it over many seeds). Return `true`
 * when it holds, or a message (or `false`) when it does not; a predicate that
 * throws fails with the error's message. Predicates run after the run, so
 * they should only read the trace they are given.
 *
 * @example
 * import { invariant } from 'playground';
 *
 * invariant('every request is answered', (trace) => {
 *   const asked = trace.filter((e) => e.kind === 'http.request').length;
 *   const answered = trace.filter((e) => e.kind === 'http.response').length;
 *   return asked === answered || `${asked - answered} request(s) never answered`;
 * });
 */
export function invariant(name: string, predicate: InvariantPredicate): void {
  if (typeof name !== 'string' || name.trim() === '') throw new TypeError('invariant(name, predicate): give the invariant a name, e.g. invariant("no order pending", (trace) => …)');
  if (typeof predicate !== 'function') throw new TypeError(`invariant("${name}", predicate): the predicate must be a function of the trace`);
  const recorder = currentHost().trace;
  let list = registered.get(recorder);
  if (!list) registered.set(recorder, (list = new Map()));
  if (list.has(name)) throw new Error(`invariant("${name}") is registered twice in this run: give each invariant its own name`);
  list.set(name, predicate);
}

/**
 * Judges the invariants registered in `run` (a world or a real-mode host) on its final trace, in the order
 * they were registered. Called by the runner once the run is over; empty when
 * none were registered.
 *
 * @internal
 */
export function checkInvariants(run: RunWithTrace, trace: readonly TraceEvent[]): InvariantVerdict[] {
  const list = registered.get(run.trace);
  if (!list) return [];
  return [...list].map(([name, predicate]) => {
    try {
      const verdict: unknown = predicate(trace);
      if (verdict === true) return { name, passed: true };
      if (verdict === false) return { name, passed: false, message: 'returned false' };
      if (typeof verdict === 'string') return { name, passed: false, message: verdict || 'returned an empty message' };
      return { name, passed: false, message: `returned ${describe(verdict)}: return true when it holds, or a message saying what is wrong` };
    } catch (e) {
      return { name, passed: false, message: `threw ${e instanceof Error ? `${e.name}: ${e.message}` : describe(e)}` };
    }
  });
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  try {
    return JSON.stringify(v)?.slice(0, 80) ?? String(v);
  } catch {
    return String(v);
  }
}
