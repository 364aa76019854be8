/** Idempotency: a keyed store of results, the HTTP middleware that replays them, and message deduplication. */
export * from './idempotency-store.js';
export * from './idempotency-middleware.js';
export * from './deduplicate.js';
