/**
 * The typed errors the resilience patterns throw. Each says which pattern
 * refused the call and why, so a caller (or a fallback predicate) can tell a
 * refusal by a local policy from a failure of the remote service.
 */

/** What a breaker was doing when it refused a call. */
export type BrokenCircuitState = 'open' | 'halfOpen' | 'isolated';

/**
 * A circuit breaker refused the call without running it.
 *
 * `retryAt` is the virtual time from which a new call may be let through:
 * the end of the break when the breaker is open. It is `undefined` when no
 * one can say: the breaker is half-open with all its trial calls in flight
 * (they decide), or it is held open by hand ({@link IsolatedCircuitError}).
 *
 * @example
 * try { await breaker.execute(() => http.get('http://stock/items')); }
 * catch (e) { if (e instanceof BrokenCircuitError) log.warn(`stock is down, retry at ${e.retryAt}`); }
 */
export class BrokenCircuitError extends Error {
  constructor(
    /** Name of the breaker. */
    readonly breaker: string,
    /** State that refused the call. */
    readonly state: BrokenCircuitState,
    /** Virtual time (ms) from which a call may be let through, when known. */
    readonly retryAt: number | undefined,
    /** Virtual time (ms) of the refusal. */
    readonly rejectedAt: number,
  ) {
    super(
      state === 'isolated'
        ? `circuit breaker "${breaker}" is isolated (held open by hand)`
        : state === 'halfOpen'
          ? `circuit breaker "${breaker}" is half-open and all its trial calls are taken`
          : `circuit breaker "${breaker}" is open until ${String(retryAt)} ms`,
    );
    this.name = 'BrokenCircuitError';
  }

  /** Milliseconds from the refusal until a call may be let through (`undefined` when unknown). */
  get retryAfterMs(): number | undefined {
    return this.retryAt === undefined ? undefined : Math.max(0, this.retryAt - this.rejectedAt);
  }
}

/** A breaker held open by hand ({@link CircuitBreaker.isolate}) refused the call. */
export class IsolatedCircuitError extends BrokenCircuitError {
  constructor(breaker: string, rejectedAt: number) {
    super(breaker, 'isolated', undefined, rejectedAt);
    this.name = 'IsolatedCircuitError';
  }
}

/** A bulkhead had no free slot and no room in its queue. */
export class BulkheadRejectedError extends Error {
  constructor(
    /** Name of the bulkhead. */
    readonly bulkhead: string,
    /** Calls running when it refused. */
    readonly active: number,
    /** Calls waiting when it refused. */
    readonly queued: number,
  ) {
    super(`bulkhead "${bulkhead}" is full (${active} running, ${queued} queued)`);
    this.name = 'BulkheadRejectedError';
  }
}

/** A timeout policy gave up on the call after `timeoutMs` of virtual time. */
export class TimeoutRejectedError extends Error {
  constructor(
    /** Name of the timeout policy. */
    readonly policy: string,
    /** The limit that was exceeded. */
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(`"${policy}" timed out after ${timeoutMs} ms`, options);
    this.name = 'TimeoutRejectedError';
  }
}

/** Where a retry policy stood when its deadline ended the retries. */
export type RetryDeadlinePhase = 'attempt' | 'wait';

/**
 * A retry policy's overall deadline (`deadlineMs`) ended its retries. It is
 * the one rejection for both ways this happens:
 * - `phase: 'attempt'`: the deadline passed while an attempt was running; the
 *   attempt's signal was aborted, and `cause` is what the attempt then threw.
 * - `phase: 'wait'`: the backoff before the next attempt would have ended
 *   past the deadline, so the policy stopped at once instead of waiting in
 *   vain; `cause` is the last attempt's error (a 503, a timeout, …).
 *
 * @example
 * try { await retry.execute(({ signal }) => http.get('http://stock/items', { signal })); }
 * catch (e) {
 *   if (e instanceof RetryDeadlineExceededError) log.warn(`gave up after ${e.attempts} attempts: ${String(e.cause)}`);
 * }
 */
export class RetryDeadlineExceededError extends Error {
  constructor(
    /** Name of the retry policy. */
    readonly policy: string,
    /** The policy's deadline, in ms of virtual time from the first call. */
    readonly deadlineMs: number,
    /** Attempts made, the first call included. */
    readonly attempts: number,
    /** Whether an attempt was cut short or a wait was skipped. */
    readonly phase: RetryDeadlinePhase,
    options: { cause: unknown },
  ) {
    super(
      `"${policy}" stopped retrying at its deadline of ${deadlineMs} ms after ${attempts} attempt${attempts === 1 ? '' : 's'}` +
        (phase === 'attempt' ? ' (the last one was cut short)' : ' (the next wait would have passed it)') +
        `; last error: ${describeCause(options.cause)}`,
      options,
    );
    this.name = 'RetryDeadlineExceededError';
  }
}

/**
 * The caller cancelled through its AbortSignal: before the call started, or
 * while a policy was running it or waiting (a retry's attempt or backoff, a
 * bulkhead's queue). `cause` is the original: the signal's reason when the
 * policy itself noticed the abort, or the error the interrupted call threw
 * (e.g. an `HttpCanceledError`).
 */
export class OperationCanceledError extends Error {
  constructor(
    /** Which pattern noticed the cancellation. */
    readonly by: string,
    options?: { cause?: unknown },
  ) {
    super(`${by}: operation canceled`, options);
    this.name = 'OperationCanceledError';
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
