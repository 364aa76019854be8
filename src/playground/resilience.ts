/**
 * The resilience patterns, bound to the run's world: each factory fills in
 * the run's clock, a seeded random stream and the trace, so example code
 * only says what it means.
 *
 * @example
 * const breaker = circuitBreaker({ name: 'payments', policy: { kind: 'consecutive', failureThreshold: 5 }, breakDuration: 60_000 });
 * const retry = retryPolicy({ maxAttempts: 4, backoff: exponentialBackoff({ initialMs: 200, jitter: 'full' }) });
 * const pay = wrap(retry, breaker);
 * await pay.execute(({ signal }) => http.post('http://payment/payments', order, { timeout: 2000, signal }));
 */
import {
  Bulkhead,
  CircuitBreaker,
  FallbackPolicy,
  RetryBudget,
  RetryPolicy,
  ServiceTokens,
  TimeoutPolicy,
  deduplicate as dedupe,
  idempotencyKeys as idempotency,
  type BulkheadOptions,
  type CircuitBreakerOptions,
  type DeduplicateOptions,
  type DedupeOutcome,
  type FallbackOptions,
  type IdempotencyOptions,
  type RetryBudgetOptions,
  type RetryOptions,
  type ServiceTokensOptions,
  type TimeoutOptions,
} from '../patterns/index.js';
import type { Handler } from '../sim/index.js';
import { currentHost } from './host.js';

/** Options of a pattern without what the world supplies. */
type Bound<O, K extends keyof O> = Omit<O, K> & Partial<Pick<O, K>>;

/** A circuit breaker on the run's clock, recording its states in the trace. */
export function circuitBreaker(options: Bound<CircuitBreakerOptions, 'clock' | 'rng' | 'trace'>): CircuitBreaker {
  const h = currentHost();
  return new CircuitBreaker({ clock: h.clock, rng: h.rng.fork(`breaker:${options.name ?? 'breaker'}`), trace: h.trace, ...options });
}

/** A retry policy whose waits are on the run's clock and whose jitter is seeded. */
export function retryPolicy(options: Bound<RetryOptions, 'clock' | 'rng' | 'trace'>): RetryPolicy {
  const h = currentHost();
  return new RetryPolicy({ clock: h.clock, rng: h.rng.fork(`retry:${options.name ?? 'retry'}`), trace: h.trace, ...options });
}

/**
 * A retry budget on the run's clock: a token bucket that every retry policy
 * given it shares, so retries stop when too many have been spent lately.
 *
 * @example
 * const budget = retryBudget({ capacity: 10, refillPerSecond: 2, depositPerSuccess: 0.1 });
 * const retry = retryPolicy({ maxAttempts: 3, budget });
 */
export function retryBudget(options: Bound<RetryBudgetOptions, 'clock'>): RetryBudget {
  return new RetryBudget({ clock: currentHost().clock, ...options });
}

/** A timeout policy on the run's clock. */
export function timeoutPolicy(options: Bound<TimeoutOptions, 'clock' | 'trace'>): TimeoutPolicy {
  const h = currentHost();
  return new TimeoutPolicy({ clock: h.clock, trace: h.trace, ...options });
}

/** A bulkhead (concurrency limit with a bounded queue). */
export function bulkhead(options: Bound<BulkheadOptions, 'trace'>): Bulkhead {
  return new Bulkhead({ trace: currentHost().trace, ...options });
}

/** A fallback for the failures `when` accepts. */
export function fallback<F>(options: Bound<FallbackOptions<F>, 'trace'>): FallbackPolicy<F> {
  return new FallbackPolicy<F>({ trace: currentHost().trace, ...options });
}

/** Express-style middleware that makes a POST safe to retry with an `Idempotency-Key` header. */
export function idempotencyKeys(options: Bound<IdempotencyOptions, 'clock' | 'trace'> = {} as Bound<IdempotencyOptions, 'clock' | 'trace'>): Handler {
  const h = currentHost();
  return idempotency({ clock: h.clock, trace: h.trace, ...options });
}

/** Wraps a message handler so a redelivered message's effect is applied once. */
export function deduplicate<M, R>(handler: (message: M) => R | PromiseLike<R>, options: Bound<DeduplicateOptions<M>, 'trace'>): (message: M) => Promise<DedupeOutcome<R>> {
  return dedupe(handler, { trace: currentHost().trace, ...options });
}

/** Signs and verifies service tokens (HS256 JWTs) on the run's clock. */
export function serviceTokens(options: Bound<Omit<ServiceTokensOptions, 'signer'>, 'scheduler' | 'epoch'>): ServiceTokens {
  const h = currentHost();
  return new ServiceTokens({ scheduler: h.clock, epoch: h.epoch, ...options, ...(h.tokenSigner ? { signer: h.tokenSigner } : {}) });
}
