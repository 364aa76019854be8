/** Resilience policies: circuit breaker, retry and backoff, timeout, fallback, bulkhead, and the wrap that composes them. */
export * from './errors.js';
export * from './policy.js';
export * from './trace-events.js';
export * from './failure-predicates.js';
export * from './backoff.js';
export * from './breaker-window.js';
export * from './breaker-policy.js';
export * from './breaker-reporter.js';
export * from './circuit-breaker.js';
export * from './retry-after.js';
export * from './retry-budget.js';
export * from './retry.js';
export * from './timeout.js';
export * from './fallback.js';
export * from './bulkhead.js';
export * from './wrap.js';
