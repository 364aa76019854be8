import { HttpCanceledError, HttpTimeoutError } from '../../sim/http-errors.js';
import { BrokenCircuitError, BulkheadRejectedError, OperationCanceledError, RetryDeadlineExceededError, TimeoutRejectedError } from './errors.js';

/**
 * Ready-made predicates that decide what counts as a failure. The defaults of
 * the breaker and the retry policy are built from these; pass your own to
 * change them.
 */

/**
 * The HTTP status of an error that carries a response (an `HttpStatusError`
 * or anything axios-shaped with `response.status`), else `undefined`.
 */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const response = (error as { response?: { status?: unknown } }).response;
  return typeof response?.status === 'number' ? response.status : undefined;
}

/** The caller gave up on purpose (an aborted request or an `AbortSignal`): not a fault of the callee. */
export function isCallerAbort(error: unknown): boolean {
  return (
    error instanceof HttpCanceledError ||
    error instanceof OperationCanceledError ||
    (typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError')
  );
}

/**
 * A client-side or policy timeout: the callee did not answer in time. A
 * retry's deadline counts when it cut an attempt short (not when it only
 * skipped a wait: then the last answer is known).
 */
export function isTimeout(error: unknown): boolean {
  return (
    error instanceof HttpTimeoutError ||
    error instanceof TimeoutRejectedError ||
    (error instanceof RetryDeadlineExceededError && error.phase === 'attempt')
  );
}

/** A refusal by a local policy (open breaker, full bulkhead): the call was never made. */
export function isLocalRejection(error: unknown): boolean {
  return error instanceof BrokenCircuitError || error instanceof BulkheadRejectedError;
}

/** 408 Request Timeout, 429 Too Many Requests and every 5xx: asking again later may work. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Default failure test of a circuit breaker: the callee looks unhealthy.
 * True for 5xx answers, timeouts, refused connections and any other error;
 * false for 4xx answers (the service is up and answered: the request was
 * wrong). Caller aborts and local rejections are neither: see
 * {@link isIgnoredByBreaker}.
 */
export function isBreakerFailure(error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status !== undefined) return status >= 500;
  return !isCallerAbort(error) && !isLocalRejection(error);
}

/**
 * Default "ignore" test of a circuit breaker: outcomes that say nothing about
 * the callee's health (the caller aborted, or a local policy refused) count
 * neither as success nor as failure.
 */
export function isIgnoredByBreaker(error: unknown): boolean {
  return isCallerAbort(error) || isLocalRejection(error);
}

/**
 * Default retry test: worth another attempt? False for 4xx answers other
 * than 408 and 429 (the same request will fail again), for an open breaker or
 * full bulkhead (retrying adds the load they shed) and for caller aborts;
 * true for everything else (5xx, 408, 429, timeouts, refused connections,
 * plain errors).
 */
export function isRetryable(error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status !== undefined) return isTransientStatus(status);
  return !isCallerAbort(error) && !isLocalRejection(error);
}

/**
 * For results that are HTTP responses (when `validateStatus` lets every
 * status through): retry 408, 429 and 5xx.
 */
export function isRetryableResponse(result: unknown): boolean {
  const status = typeof result === 'object' && result !== null ? (result as { status?: unknown }).status : undefined;
  return typeof status === 'number' && isTransientStatus(status);
}
