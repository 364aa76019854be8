/**
 * Helpers for checks over a run that used `load()`: its calls as they
 * started and settled, error rates over windows of time, percentiles, and
 * how many calls reached a service per call of the load.
 */
import type { TraceEventOf } from 'playground';
import { eventsOf } from './check-helpers.js';
import type { RunOutcome } from './types.js';

/** One call of a load, from its `load.call` and `load.done` events. */
export interface LoadedCall {
  index: number;
  /** When it started (ms). */
  start: number;
  ok: boolean;
  durationMs: number;
  done: TraceEventOf<'load.done'>;
}

/** The settled calls of the load called `name`, in the order they started. */
export function loadedCalls(run: RunOutcome, name: string): LoadedCall[] {
  return eventsOf(run, 'load.done', (e) => e.load === name)
    .map((done) => ({ index: done.index, start: done.time - done.durationMs, ok: done.ok, durationMs: done.durationMs, done }))
    .sort((a, b) => a.start - b.start || a.index - b.index);
}

/** The `load.start` of the load called `name`, if it ran. */
export function loadStart(run: RunOutcome, name: string): TraceEventOf<'load.start'> | undefined {
  return eventsOf(run, 'load.start', (e) => e.load === name)[0];
}

/** Calls that started in [from, to). */
export const startedIn = (calls: readonly LoadedCall[], from: number, to: number) => calls.filter((c) => c.start >= from && c.start < to);

/** Share of `calls` that failed (0 without calls). */
export const errorRate = (calls: readonly LoadedCall[]) => (calls.length ? calls.filter((c) => !c.ok).length / calls.length : 0);

/** Nearest-rank percentile (`q` in (0, 1]) of some numbers; undefined without any. */
export function percentileOf(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1];
}

/** Formats a share as a percentage: `4.2%`. */
export const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** Formats ms: `850 ms`, `1.25 s`. */
export const ms = (x: number) => (x < 1000 ? `${Math.round(x)} ms` : `${Math.round(x / 10) / 100} s`);

/**
 * How long after `from` the error rate stayed at or above `threshold`: calls
 * are grouped by start time into buckets of `bucketMs` from `from` to `until`;
 * the answer is the start of the first bucket after which no bucket is as
 * bad, minus `from` (0 when none ever was). `undefined` when the last bucket
 * is still that bad: no recovery before `until`.
 */
export function recoveryTime(calls: readonly LoadedCall[], from: number, until: number, threshold: number, bucketMs = 500): number | undefined {
  let recoveredAt = from;
  for (let t = from; t < until; t += bucketMs) {
    const bucket = startedIn(calls, t, Math.min(until, t + bucketMs));
    if (bucket.length > 0 && errorRate(bucket) >= threshold) recoveredAt = t + bucketMs;
  }
  return recoveredAt >= until ? undefined : recoveredAt - from;
}

/** HTTP requests sent to `service` in [from, to). */
export const requestsTo = (run: RunOutcome, service: string, from: number, to: number) =>
  eventsOf(run, 'http.request', (e) => e.target === service && e.time >= from && e.time < to);
