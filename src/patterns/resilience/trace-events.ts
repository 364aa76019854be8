/**
 * Trace event kinds added by the resilience patterns (module augmentation of
 * the kernel's `TraceEventMap`). They are recorded only when a pattern is
 * given a trace; breaker state changes are recorded as the kernel's `state`
 * events with `component` = the breaker's name.
 */

/** The states of a circuit breaker. */
export type BreakerStateKind = 'closed' | 'open' | 'halfOpen' | 'isolated';

/** How a call through a breaker ended. */
export type BreakerCallOutcome = 'success' | 'failure' | 'ignored' | 'rejected';

/** Why a retry policy stopped trying. */
export type GiveUpReason = 'attempts' | 'not-retryable' | 'deadline' | 'budget' | 'canceled';

/** How a timeout policy treats a callee that runs too long. */
export type TimeoutStrategy = 'cooperative' | 'aggressive';

declare module '../../sim/trace.js' {
  interface TraceEventMap {
    /** A call went through a breaker (or was refused by it). */
    'breaker.call': {
      breaker: string;
      outcome: BreakerCallOutcome;
      /** State in which the call was admitted (or refused). */
      state: BreakerStateKind;
      durationMs?: number;
      /** The call took at least the slow-call duration. */
      slow?: boolean;
      /** The call started in an earlier state: recorded, but it changed nothing. */
      stale?: boolean;
      error?: string;
    };
    /** A retry policy will try again after `delayMs`. */
    'retry.scheduled': { policy: string; attempt: number; delayMs: number; retryAfterMs?: number; error?: string };
    /** A retry policy stopped trying. */
    'retry.gaveUp': { policy: string; attempts: number; reason: GiveUpReason; error?: string };
    /** A timeout policy fired: the callee was told to stop (and, if aggressive, no longer awaited). */
    'timeout.fired': { policy: string; timeoutMs: number; strategy: TimeoutStrategy };
    /** A callee abandoned by an aggressive timeout finished anyway, `afterMs` after the timeout. */
    'timeout.orphan': { policy: string; outcome: 'resolved' | 'rejected'; afterMs: number; error?: string };
    /** A fallback answered instead of the failed call. */
    'fallback.used': { policy: string; error?: string };
    /** A bulkhead refused a call. */
    'bulkhead.rejected': { bulkhead: string; active: number; queued: number };
    /** An idempotency key was seen again: the first response was replayed. */
    'idempotency.replay': { key: string; method: string; path: string; status: number };
    /** An idempotency key could not be served: in progress (409) or reused for another payload (422). */
    'idempotency.conflict': { key: string; method: string; path: string; status: number; reason: 'in-progress' | 'payload-mismatch' };
    /** A message consumer skipped a message it had already processed. */
    'dedupe.duplicate': { consumer: string; messageId: string };
    /** A request was refused for its service token. */
    'auth.rejected': { path: string; status: number; reason: string };
  }
}
