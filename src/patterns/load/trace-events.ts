/**
 * Trace event kinds of the load generator (module augmentation of the
 * kernel's `TraceEventMap`). One `load.call` when a call starts and one
 * `load.done` when it settles are enough to compute, from the trace alone,
 * throughput, error rate, latency percentiles and calls in flight at any time.
 */

declare module '../../sim/trace.js' {
  interface TraceEventMap {
    /** A load generator starts sending. */
    'load.start': { load: string; ratePerSecond: number; durationMs: number; clients: number };
    /** A call of a load starts (its arrival); it does not wait for earlier calls. */
    'load.call': { load: string; index: number; client: number };
    /** A call of a load settled: `ok`, or failed with `error`. */
    'load.done': { load: string; index: number; client: number; ok: boolean; durationMs: number; /** The HTTP status of the answer or of the error, when it had one. */ status?: number; error?: string };
    /** Every call of a load has settled: what it amounted to. */
    'load.end': { load: string; sent: number; ok: number; failed: number; p50?: number; p95?: number; p99?: number };
  }
}

export {};
