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

/**
 * The caller cancelled through its AbortSignal: before the call started, or
 * while a policy was waiting (a retry's backoff, a bulkhead's queue). `cause`
 * is the signal's reason.
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
